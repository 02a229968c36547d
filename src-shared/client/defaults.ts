/**
 * The transport used by handles created without a client.
 * @internal
 */
import { Transport } from './http.js'
import { isNodeRuntime } from './http-util.js'
import { defaultLoggerProxy } from './logger.js'
import { DEFAULT_RETRY } from './options.js'

/** Default per-request timeout (ms). */
export const DEFAULT_TIMEOUT_MS = 30_000

let shared: Transport | undefined

/** A transport with global `fetch`, default retry and timeout, and the default logger. */
export function defaultTransport(): Transport {
  shared ??= new Transport({
    fetch: (input, init) => globalThis.fetch(input, init),
    headers: {},
    params: {},
    timeout: DEFAULT_TIMEOUT_MS,
    retry: DEFAULT_RETRY,
    logger: defaultLoggerProxy,
    streamLargeBodies: isNodeRuntime(),
  })
  return shared
}
