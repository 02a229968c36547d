/**
 * A `fetch` wrapper around the global `fetch` that records every request the client makes
 * (and the response status/headers), so tests can inspect query order, cursors, headers and
 * retry counts of real requests.
 */
import type { FetchLike } from '../../src-shared/client/index.js'

export interface RecordedRequest {
  method: string
  /** Full request URL, exactly as the client built it. */
  url: string
  /** Path of the URL. */
  path: string
  /** Raw query string without the leading `?` (order preserved). */
  rawQuery: string
  /** Parsed query. */
  query: Record<string, string>
  /** Query keys in the order they appear in the URL. */
  queryKeys: string[]
  /** Request headers (lower-case names). */
  headers: Record<string, string>
  /** Request body as text, when it was a string or bytes. */
  body: string | undefined
  /** Response status; undefined when fetch threw. */
  status?: number
  /** Response headers (lower-case names). */
  responseHeaders?: Record<string, string>
  /** What fetch threw, if it threw. */
  error?: unknown
}

export interface RecordingFetch {
  fetch: FetchLike
  requests: RecordedRequest[]
  /** Requests filtered by method and (optionally) `live` mode: 'none' for no live param. */
  filter(opts: { method?: string; live?: string }): RecordedRequest[]
  clear(): void
}

function headersOf(init: RequestInit): Record<string, string> {
  const out: Record<string, string> = {}
  new Headers(init.headers).forEach((v, k) => {
    out[k] = v
  })
  return out
}

function bodyText(body: RequestInit['body']): string | undefined {
  if (typeof body === 'string') return body
  if (body instanceof Uint8Array) return new TextDecoder().decode(body)
  return undefined
}

/** Wraps `inner` (default: global fetch) and records each call. */
export function recordingFetch(inner?: FetchLike): RecordingFetch {
  const base: FetchLike = inner ?? ((input, init) => globalThis.fetch(input, init))
  const requests: RecordedRequest[] = []
  const fetchImpl: FetchLike = async (input, init) => {
    const u = new URL(input)
    const rawQuery = u.search.startsWith('?') ? u.search.slice(1) : u.search
    const rec: RecordedRequest = {
      method: init.method ?? 'GET',
      url: input,
      path: u.pathname,
      rawQuery,
      query: Object.fromEntries(u.searchParams.entries()),
      queryKeys: [...u.searchParams.keys()],
      headers: headersOf(init),
      body: bodyText(init.body),
    }
    requests.push(rec)
    try {
      const res = await base(input, init)
      rec.status = res.status
      const rh: Record<string, string> = {}
      res.headers.forEach((v, k) => {
        rh[k] = v
      })
      rec.responseHeaders = rh
      return res
    } catch (err) {
      rec.error = err
      throw err
    }
  }
  return {
    fetch: fetchImpl,
    requests,
    filter: ({ method, live }) =>
      requests.filter(
        (r) =>
          (method === undefined || r.method === method) &&
          (live === undefined || (r.query.live ?? 'none') === live),
      ),
    clear: () => {
      requests.length = 0
    },
  }
}
