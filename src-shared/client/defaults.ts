/**
 * The transport used by handles created without a client.
 * @internal
 */
import { getDefaultEngine, resolveEngine } from './engine.js'
import { Transport } from './http.js'
import { isNodeRuntime } from './http-util.js'
import { defaultLoggerProxy } from './logger.js'
import { DEFAULT_RETRY } from './options.js'

/** Default per-request timeout (ms). */
export const DEFAULT_TIMEOUT_MS = 30_000

let shared: Transport | undefined
/** The registered default engine `shared` was built for (`undefined`: the global fetch). */
let sharedFor: ReturnType<typeof getDefaultEngine>

/**
 * A transport with the default engine (global `fetch`, or `node:http` with the Node entry),
 * default retry and timeout, and the default logger. Rebuilt when `setDefaultEngine` has
 * registered another engine since, so every handle created afterwards uses that one; handles
 * created before keep the transport they were given.
 */
export function defaultTransport(): Transport {
  const current = getDefaultEngine()
  if (shared && sharedFor === current) return shared
  const { engine, streamLargeBodies } = resolveEngine(undefined, isNodeRuntime())
  sharedFor = current
  shared = new Transport({
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
