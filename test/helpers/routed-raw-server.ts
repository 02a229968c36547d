/**
 * Shared fixture of the raw-server client tests: one `node:http` server per test file whose
 * paths are routed to per-test handlers, and a `Client` on it with fast retries. Bindings are
 * live ES module exports set by the hooks `useRoutedRawServer()` registers.
 */
import { afterAll, beforeAll } from 'vitest'
import { Client, type Stream } from '../../src-shared/client/index.js'
import {
  startRawServer,
  type RawHandler,
  type RawRequestInfo,
  type RawServer,
} from './raw-server.js'

export let raw: RawServer
export let client: Client
const routes = new Map<string, RawHandler>()
let n = 0

/** Starts the routed raw server and its client before the file's tests, stops them after. */
export function useRoutedRawServer(): void {
  beforeAll(async () => {
    raw = await startRawServer((req, res, info) => {
      const h = routes.get(info.url.pathname)
      if (!h) {
        res.writeHead(404)
        res.end()
        return
      }
      return h(req, res, info)
    })
    client = new Client({
      baseUrl: raw.url,
      retry: { maxRetries: 2, initialDelayMs: 5, maxDelayMs: 20 },
    })
  })
  afterAll(async () => {
    await client.close()
    await raw.stop()
  })
}

/** Registers `handler` on a fresh path and returns a stream handle on it. */
export function route(
  prefix: string,
  contentType: string | undefined,
  handler: RawHandler,
): Stream {
  const p = `/${prefix}-${++n}`
  routes.set(p, handler)
  return client.stream(p, contentType ? { contentType } : {})
}

/** The requests the server saw for a stream. */
export const requestsOf = (s: Stream): RawRequestInfo[] =>
  raw.requests.filter((r) => r.url.pathname === new URL(s.url).pathname)

/** A request's query parameters as a record. */
export const query = (r: RawRequestInfo): Record<string, string> =>
  Object.fromEntries(r.url.searchParams)
