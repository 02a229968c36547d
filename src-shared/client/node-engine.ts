/**
 * The `node:http` engine: the client's default on Node (registered by the `node` entry).
 * Node's `fetch` (undici) spends most of a small request in WHATWG plumbing — Request and
 * Response objects, header guards, web streams. Measured against the reference server, a
 * 100-byte append through `node:http` takes ~50 µs against ~250 µs through `fetch`. This engine
 * keeps one keep-alive agent per protocol, reads bodies as Buffers, follows redirects the way
 * fetch does, and asks for compressed responses only from non-loopback hosts (over loopback,
 * compressing costs more than it saves).
 * @internal
 */
import http from 'node:http'
import https from 'node:https'
import type { EngineRequest, EngineResponse, HttpEngine } from './engine.js'
import { NodeResponse, abortError } from './node-response.js'

/**
 * Options of {@link createNodeEngine}.
 * @example
 * ```ts
 * const opts: NodeEngineOptions = { compression: 'never' }
 * ```
 */
export interface NodeEngineOptions {
  /**
   * When to ask for compressed responses (`Accept-Encoding: gzip, deflate, br`):
   * `'auto'` (default) for every host except loopback ones, `'always'`, or `'never'`.
   */
  compression?: 'auto' | 'always' | 'never' | undefined
  /** Agents to use instead of the engine's own keep-alive agents (e.g. for a custom CA). */
  httpAgent?: http.Agent | undefined
  httpsAgent?: https.Agent | undefined
}

const ACCEPT_COMPRESSED = 'gzip, deflate, br'
/** Followed like fetch does, at most `MAX_REDIRECTS` times. */
const REDIRECTS = new Set([301, 302, 303, 307, 308])
const MAX_REDIRECTS = 20
/** Dropped when a redirect leaves the origin (as fetch does). */
const CREDENTIAL_HEADERS = ['authorization', 'cookie', 'proxy-authorization']
/** Dropped when a redirect turns the request into a GET without a body. */
const BODY_HEADERS = [
  'content-type',
  'content-length',
  'content-encoding',
  'content-language',
  'content-location',
]

export function isLoopback(hostname: string): boolean {
  const h = hostname.toLowerCase().replace(/\.$/, '')
  return (
    h === 'localhost' ||
    h.endsWith('.localhost') ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h) ||
    h === '[::1]' ||
    h === '::1' ||
    /^\[::ffff:(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|7f[0-9a-f]{2}:[0-9a-f]{1,4})\]$/.test(h)
  )
}

/** The headers with lower-case names (later duplicates win); as is when they already are. */
function lowerCased(headers: Record<string, string>): Record<string, string> {
  let lower = true
  for (const k in headers) if (k !== k.toLowerCase()) lower = false
  if (lower) return headers // the transport's (never mutated: `send` copies)
  const out: Record<string, string> = {}
  for (const k in headers) out[k.toLowerCase()] = headers[k]!
  return out
}

/**
 * Creates an engine over `node:http`/`node:https` with keep-alive connection pools.
 * @example
 * ```ts
 * import { createNodeEngine, setDefaultEngine } from 'durable-streams-inspector/client'
 * setDefaultEngine(createNodeEngine({ compression: 'always' }))
 * ```
 */
export function createNodeEngine(options: NodeEngineOptions = {}): HttpEngine {
  const compression = options.compression ?? 'auto'
  const httpAgent = options.httpAgent ?? new http.Agent({ keepAlive: true, scheduling: 'lifo' })
  const httpsAgent = options.httpsAgent ?? new https.Agent({ keepAlive: true, scheduling: 'lifo' })
  return (req: EngineRequest) =>
    new Promise<EngineResponse>((resolve, reject) => {
      const { signal } = req
      if (signal.aborted) {
        reject(abortError(signal))
        return
      }
      const body = req.body
      const payload = typeof body === 'string' ? Buffer.from(body, 'utf8') : body
      let settled = false
      let request: http.ClientRequest | undefined
      let response: NodeResponse | undefined
      let complete = (): boolean => false
      const onAbort = (): void => {
        // A complete response has all its bytes already: draining them hands the socket back
        // to the pool. Destroying instead would be wrong too: once the body has been read the
        // socket may already serve another request.
        if (response && complete()) {
          response.drainComplete()
          return
        }
        request?.destroy(abortError(signal))
      }
      signal.addEventListener('abort', onAbort, { once: true })
      const cleanup = (): void => signal.removeEventListener('abort', onAbort)
      const fail = (err: unknown): void => {
        if (settled) return
        settled = true
        cleanup()
        reject(signal.aborted ? abortError(signal) : err)
      }

      const send = (
        target: string,
        method: string,
        data: Uint8Array | undefined,
        sendHeaders: Record<string, string>,
        redirectsLeft: number,
      ): void => {
        const url = new URL(target)
        const secure = url.protocol === 'https:'
        if (!secure && url.protocol !== 'http:') {
          throw new TypeError(`Unsupported protocol ${url.protocol} in ${target}`)
        }
        // A copy: the caller's record is also what it reports as sent.
        const headers: Record<string, string> = { ...sendHeaders }
        const wantCompressed =
          compression === 'always' || (compression === 'auto' && !isLoopback(url.hostname))
        if (wantCompressed && headers['accept-encoding'] === undefined) {
          headers['accept-encoding'] = ACCEPT_COMPRESSED
        }
        if (data !== undefined) headers['content-length'] = String(data.length)
        else if (method === 'POST' || method === 'PUT') headers['content-length'] = '0'
        const r = (secure ? https : http).request({
          protocol: url.protocol,
          hostname: url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname,
          port: url.port,
          path: url.pathname + url.search,
          method,
          headers,
          agent: secure ? httpsAgent : httpAgent,
        })
        request = r
        r.on('error', fail)
        r.once('response', (res) => {
          if (settled) {
            res.resume()
            return
          }
          try {
            const status = res.statusCode ?? 0
            const location = res.headers.location
            if (REDIRECTS.has(status) && location !== undefined) {
              res.resume() // frees the socket
              if (redirectsLeft === 0) throw new TypeError(`Too many redirects from ${req.url}`)
              const next = new URL(location, url)
              // Like fetch: 303 (and 301/302 after a POST) continue as GET without a body.
              const toGet = status === 303 ? method !== 'HEAD' : status <= 302 && method === 'POST'
              const nextHeaders = { ...sendHeaders }
              if (toGet) for (const h of BODY_HEADERS) delete nextHeaders[h]
              if (next.origin !== url.origin)
                for (const h of CREDENTIAL_HEADERS) delete nextHeaders[h]
              const nextMethod = toGet ? 'GET' : method
              send(next.href, nextMethod, toGet ? undefined : data, nextHeaders, redirectsLeft - 1)
              return
            }
            settled = true
            response = new NodeResponse(res, method, signal)
            complete = () => res.complete
            // The listener stays while the body is read; it is removed when the response ends.
            res.once('end', cleanup)
            res.once('close', cleanup)
            resolve(response)
          } catch (err) {
            // A bad Location or a request that cannot be made must reject, not throw from
            // this listener (that would be an uncaught exception).
            fail(err)
          }
        })
        if (data !== undefined && data.length > 0) r.end(data)
        else r.end()
      }

      try {
        send(req.url, req.method, payload, lowerCased(req.headers), MAX_REDIRECTS)
      } catch (err) {
        fail(err) // an invalid URL or header value
        return
      }
      req.onBodySent?.()
    })
}
