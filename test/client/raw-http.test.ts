/**
 * Catch-up and long-poll edge cases against raw `node:http` servers: closure without a
 * cursor, 204 timeouts, SSE refusal and fallback, malformed JSON bodies, chunked catch-up,
 * opaque offsets, and text decoding across response boundaries.
 */
import type http from 'node:http'
import { describe, expect, it } from 'vitest'
import {
  Client,
  ParseError,
  SSENotSupportedError,
  type Stream,
} from '../../src-shared/client/index.js'
import { delay } from '../helpers/leaks.js'
import {
  query,
  raw,
  requestsOf,
  route as routeOn,
  useRoutedRawServer,
} from '../helpers/routed-raw-server.js'
import { type RawHandler, type RawRequestInfo } from '../helpers/raw-server.js'

useRoutedRawServer()

/** Registers a handler on a fresh path and returns a handle with the given content type. */
const route = (contentType: string | undefined, handler: RawHandler): Stream =>
  routeOn('http', contentType, handler)
const indexOf = (s: Stream, info: RawRequestInfo): number => requestsOf(s).indexOf(info)

/** Sends a response with protocol headers. */
function reply(
  res: http.ServerResponse,
  status: number,
  h: {
    next?: string
    upToDate?: boolean
    closed?: boolean
    cursor?: string
    type?: string
  },
  body?: string | Uint8Array,
): void {
  const headers: http.OutgoingHttpHeaders = {}
  if (h.type) headers['content-type'] = h.type
  if (h.next) headers['stream-next-offset'] = h.next
  if (h.upToDate) headers['stream-up-to-date'] = 'true'
  if (h.closed) headers['stream-closed'] = 'true'
  if (h.cursor) headers['stream-cursor'] = h.cursor
  res.writeHead(status, headers)
  res.end(body)
}
const JSON_T = 'application/json'

describe('closure without a cursor is tolerated', () => {
  it('catch-up: 200 + Stream-Closed, no Stream-Cursor: EOF, no live request', async () => {
    const s = route(JSON_T, (_q, res) => {
      reply(res, 200, { type: JSON_T, next: '1_1', upToDate: true, closed: true }, '["x"]')
    })
    const r = s.readJson({ live: 'long-poll' })
    expect(await r.toArray()).toEqual(['x'])
    expect(r.closed).toBe(true)
    expect(r.cursor).toBeUndefined()
    expect(requestsOf(s).map(query)).toEqual([{ offset: '-1' }])
  })

  it('long-poll: 204 + Stream-Closed, no Stream-Cursor: EOF, cursor kept', async () => {
    const s = route(JSON_T, (_q, res, info) => {
      const k = indexOf(s, info)
      if (k === 0) reply(res, 200, { type: JSON_T, next: '1_1', upToDate: true }, '["a"]')
      else if (k === 1)
        reply(res, 200, { type: JSON_T, next: '1_2', upToDate: true, cursor: 'c1' }, '["b"]')
      else reply(res, 204, { next: '1_2', upToDate: true, closed: true })
    })
    const r = s.readJson({ live: 'long-poll' })
    expect(await r.toArray()).toEqual(['a', 'b'])
    expect(r.closed).toBe(true)
    expect(r.cursor).toBe('c1')
    expect(r.nextOffset).toBe('1_2')
    expect(requestsOf(s).map(query)).toEqual([
      { offset: '-1' },
      { live: 'long-poll', offset: '1_1' },
      { cursor: 'c1', live: 'long-poll', offset: '1_2' },
    ])
  })
})

describe('long-poll', () => {
  it('204 timeouts keep the reader alive, and each request echoes the last cursor', async () => {
    const s = route('application/octet-stream', (_q, res, info) => {
      const k = indexOf(s, info)
      if (k === 0) reply(res, 204, { next: '1_0', upToDate: true, cursor: 'c1' })
      else if (k === 1) reply(res, 204, { next: '1_0', upToDate: true, cursor: 'c2' })
      else if (k === 2) reply(res, 200, { next: '1_3', upToDate: true, cursor: 'c3' }, 'abc')
      else reply(res, 204, { next: '1_3', upToDate: true, closed: true })
    })
    const r = s.readBytes({ offset: 'now', live: 'long-poll' })
    const batches = []
    for await (const b of r.batches()) batches.push(b)
    expect(
      batches.map((b) => [new TextDecoder().decode(b.data), b.status, b.upToDate, b.closed]),
    ).toEqual([
      ['', 204, true, false],
      ['', 204, true, false],
      ['abc', 200, true, false],
      ['', 204, true, true],
    ])
    expect(requestsOf(s).map(query)).toEqual([
      { live: 'long-poll', offset: 'now' },
      { cursor: 'c1', live: 'long-poll', offset: '1_0' },
      { cursor: 'c2', live: 'long-poll', offset: '1_0' },
      { cursor: 'c3', live: 'long-poll', offset: '1_3' },
    ])
  })
})

describe('SSE refused', () => {
  const refusals: Array<[string, (res: http.ServerResponse) => void]> = [
    ['400', (res) => reply(res, 400, { type: 'text/plain' }, 'live=sse not supported')],
    [
      'a non-event-stream content type',
      (res) => reply(res, 200, { type: JSON_T, next: '1_1', upToDate: true }, '[]'),
    ],
  ]

  it.each(refusals)(
    'SSE answered with %s: live "auto" falls back to long-poll',
    async (_l, refuse) => {
      const s = route(JSON_T, (_q, res, info) => {
        const live = info.url.searchParams.get('live')
        const k = indexOf(s, info)
        if (live === 'sse') refuse(res)
        else if (live === null)
          reply(res, 200, { type: JSON_T, next: '1_1', upToDate: true }, '["a"]')
        else if (k === 2)
          reply(res, 200, { type: JSON_T, next: '1_2', upToDate: true, cursor: 'c1' }, '["b"]')
        else reply(res, 204, { next: '1_2', upToDate: true, closed: true })
      })
      const r = s.readJson({ live: 'auto' })
      expect(await r.toArray()).toEqual(['a', 'b'])
      expect(r.closed).toBe(true)
      expect(requestsOf(s).map((q) => q.url.searchParams.get('live'))).toEqual([
        null,
        'sse',
        'long-poll',
        'long-poll',
      ])
    },
  )

  it.each(refusals)(
    'SSE answered with %s: live "sse" throws SSENotSupportedError',
    async (_l, refuse) => {
      const s = route(JSON_T, (_q, res) => refuse(res))
      const err = await s
        .readJson({ offset: 'now', live: 'sse' })
        .toArray()
        .catch((e: unknown) => e)
      expect(err).toBeInstanceOf(SSENotSupportedError)
      expect((err as SSENotSupportedError).url).toBe(s.url)
      expect((err as Error).message).toContain(s.url)
      expect(requestsOf(s)).toHaveLength(1)
    },
  )
})

describe('catch-up bodies', () => {
  it.each([
    ['a non-array JSON value', '{"a":1}', 'Expected a JSON array'],
    ['a JSON string', '"text"', 'Expected a JSON array'],
    ['invalid JSON', '[1,', 'Malformed JSON'],
  ])('%s is a ParseError naming the URL', async (_l, body, message) => {
    const s = route(JSON_T, (_q, res) =>
      reply(res, 200, { type: JSON_T, next: '1_1', upToDate: true }, body),
    )
    const err = await s.readAll().catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ParseError)
    expect((err as Error).message).toContain(message)
    expect((err as Error).message).toContain(s.url)
    expect(requestsOf(s)).toHaveLength(1)
  })

  it('follows Stream-Next-Offset through partial chunks until Stream-Up-To-Date', async () => {
    const s = route(JSON_T, (_q, res, info) => {
      const k = indexOf(s, info)
      if (k === 0) reply(res, 200, { type: JSON_T, next: '1_1' }, '["a"]')
      else if (k === 1) reply(res, 200, { type: JSON_T, next: '1_2' }, '["b"]')
      else reply(res, 200, { type: JSON_T, next: '1_3', upToDate: true }, '["c"]')
    })
    expect(await s.readAll()).toEqual(['a', 'b', 'c'])
    expect(requestsOf(s).map((q) => q.url.searchParams.get('offset'))).toEqual(['-1', '1_1', '1_2'])
  })

  it('percent-encodes opaque offsets so the server gets them back exactly', async () => {
    const weird = 'x+y%z~1 é'
    const s = route('application/octet-stream', (_q, res, info) => {
      const k = indexOf(s, info)
      if (k === 0) reply(res, 200, { next: encodeURIComponent(weird) }, 'a')
      // Offsets are ordered (PROTOCOL.md), so the next one sorts after the first.
      else reply(res, 200, { next: 'z-end', upToDate: true }, 'b')
    })
    // The opaque token itself contains '%' and '+' (the server sends it as-is in a header).
    const chunks = await s.readBytes({ live: false }).toArray()
    expect(chunks.map((c) => new TextDecoder().decode(c))).toEqual(['a', 'b'])
    const second = requestsOf(s)[1]!
    expect(second.url.searchParams.get('offset')).toBe(encodeURIComponent(weird))
    expect(second.url.search).toBe('?offset=' + encodeURIComponent(encodeURIComponent(weird)))
  })

  // PROTOCOL.md §9.1.5: an empty JSON range is `[]`, so "no data" is not "0 bytes" here.
  it('an empty JSON catch-up that neither advances nor says up-to-date does not loop', async () => {
    const s = route(JSON_T, (_q, res) => reply(res, 200, { type: JSON_T, next: '1_1' }, '[]'))
    const ac = new AbortController()
    const t = setTimeout(() => ac.abort(), 300)
    const items = await s.readJson({ offset: '1_1', live: false, signal: ac.signal }).toArray()
    clearTimeout(t)
    expect(items).toEqual([])
    expect(requestsOf(s)).toHaveLength(1)
  })

  it('text split inside a UTF-8 character across two responses is decoded exactly', async () => {
    const bytes = new TextEncoder().encode('hé😀!')
    const s = route('text/plain', (_q, res, info) => {
      const k = indexOf(s, info)
      if (k === 0) reply(res, 200, { type: 'text/plain', next: '1_2' }, bytes.slice(0, 2))
      else if (k === 1) reply(res, 200, { type: 'text/plain', next: '1_5' }, bytes.slice(2, 5))
      else
        reply(
          res,
          200,
          { type: 'text/plain', next: '1_8', upToDate: true, closed: true },
          bytes.slice(5),
        )
    })
    const parts = await s.readText({ live: false }).toArray()
    expect(parts.join('')).toBe('hé😀!')
    expect(parts).toEqual(['h', 'é', '😀!'])
  })
})

describe('misbehaving servers', () => {
  it('a 200 without Stream-Next-Offset keeps the previous offset', async () => {
    const s = route(JSON_T, (_q, res) => reply(res, 200, { type: JSON_T, upToDate: true }, '["a"]'))
    const r = s.readJson({ offset: 'now', live: false })
    expect(await r.toArray()).toEqual(['a'])
    expect(r.nextOffset).toBe('now')
    await delay(10)
    expect(requestsOf(s)).toHaveLength(1)
  })

  it('a connection dropped while reading a catch-up body is retried', async () => {
    const s = route(JSON_T, (_q, res, info) => {
      if (indexOf(s, info) === 0) {
        res.writeHead(200, {
          'content-type': JSON_T,
          'content-length': '100',
          'stream-next-offset': '1_1',
        })
        res.write('["a", "b"')
        setTimeout(() => res.socket?.destroy(), 10)
      } else reply(res, 200, { type: JSON_T, next: '1_1', upToDate: true }, '["a","b"]')
    })
    expect(await s.readAll()).toEqual(['a', 'b'])
    expect(requestsOf(s)).toHaveLength(2)
  })
})

describe('logging', () => {
  it('the SSE fallback is logged as a warning through the client logger', async () => {
    const warnings: string[] = []
    const noop = (): void => {}
    const c = new Client({
      baseUrl: raw.url,
      logger: {
        debug: noop,
        info: noop,
        error: noop,
        warn: (...a: unknown[]) => warnings.push(a.join(' ')),
      },
    })
    const registered = route(undefined, (_q, res, info) => {
      const live = info.url.searchParams.get('live')
      if (live === 'sse') reply(res, 400, { type: 'text/plain' }, 'no sse')
      else if (live === null)
        reply(res, 200, { type: JSON_T, next: '1_1', upToDate: true }, '["a"]')
      else reply(res, 204, { next: '1_1', upToDate: true, closed: true })
    })
    const p = new URL(registered.url).pathname
    expect(await c.stream(p, { contentType: JSON_T }).readJson().toArray()).toEqual(['a'])
    expect(warnings).toEqual([
      `[durable-streams] SSE not available for ${raw.url}${p}; falling back to long-poll`,
    ])
    await c.close()
  })
})
