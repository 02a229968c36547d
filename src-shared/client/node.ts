/**
 * The client's Node entry: everything from the portable entry, with the `node:http` engine
 * registered as the default for clients and handles that are not given a `fetch`.
 * Package consumers get it through the `node` export condition automatically.
 * @example
 * ```ts
 * import { DurableStreams } from 'durable-streams-inspector/client' // on Node: this entry
 * await DurableStreams.append(url, 'hello')
 * ```
 */
import { setDefaultEngine } from './engine.js'
import { createNodeEngine } from './node-engine.js'

setDefaultEngine(createNodeEngine())

export * from './index.js'
export { createNodeEngine, type NodeEngineOptions } from './node-engine.js'
