/**
 * The transport used by handles created without a client.
 * @internal
 */
import { resolveEngine } from './engine.js'
import { Transport } from './http.js'
import { isNodeRuntime } from './http-util.js'
import { defaultLoggerProxy } from './logger.js'
import { DEFAULT_RETRY } from './options.js'

/** Default per-request timeout (ms). */
export const DEFAULT_TIMEOUT_MS = 30_000

let shared: Transport | undefined

/**
 * A transport with the default engine (global `fetch`, or `node:http` with the Node entry),
 * default retry and timeout, and the default logger.
 */
export function defaultTransport(): Transport {
  const { engine, streamLargeBodies } = resolveEngine(undefined, isNodeRuntime())
  shared ??= new Transport({
    engine,
    headers: {},
    params: {},
    timeout: DEFAULT_TIMEOUT_MS,
    retry: DEFAULT_RETRY,
    logger: defaultLoggerProxy,
    streamLargeBodies,
  })
  return shared
}
