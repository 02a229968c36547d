/**
 * SSE edge cases against raw `node:http` servers that send exactly the bytes we choose:
 * split lines and characters, line endings, special characters, `data:` spacing, base64,
 * unknown and malformed events, closure without a cursor, and reconnection.
 */
import type http from 'node:http'
import { describe, expect, it } from 'vitest'
import {
  Client,
  ConnectionError,
  ParseError,
  StreamNotFoundError,
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
import { SSE_HEADERS, sseEvent, writeSlowly, type RawHandler } from '../helpers/raw-server.js'

useRoutedRawServer()

/** Registers a handler on a fresh path and returns a handle with the given content type. */
const route = (contentType: string, handler: RawHandler): Stream =>
  routeOn('sse', contentType, handler)

const control = (o: Record<string, unknown>): string => sseEvent('control', JSON.stringify(o))
const CLOSED = (offset: string): string => control({ streamNextOffset: offset, streamClosed: true })

/** Sends one SSE response: headers, then the given text in one write, then ends. */
function sendSse(
  res: http.ServerResponse,
  text: string,
  extra: http.OutgoingHttpHeaders = {},
): void {
  res.writeHead(200, { ...SSE_HEADERS, ...extra })
  res.end(text)
}

/** Splits bytes at the given indexes. */
function splitAt(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const out: Uint8Array[] = []
  let prev = 0
  for (const c of [...cuts].sort((a, b) => a - b)) {
    out.push(bytes.slice(prev, c))
    prev = c
  }
  out.push(bytes.slice(prev))
  return out
}
const enc = new TextEncoder()
/** Byte index of the first occurrence of `needle` in the UTF-8 encoding of `text`. */
const byteIndex = (text: string, needle: string): number =>
  enc.encode(text.slice(0, text.indexOf(needle))).length

describe('SSE framing', () => {
  it('reassembles lines split mid-line and mid-UTF-8 character across TCP writes', async () => {
    const text =
      sseEvent('data', '["héllo","€😀"]') +
      control({ streamNextOffset: '1_1', streamCursor: 'c1' }) +
      CLOSED('1_1')
    const bytes = enc.encode(text)
    const cuts = [
      3, // inside "event"
      byteIndex(text, 'é') + 1, // inside é (2 bytes)
      byteIndex(text, '€') + 2, // inside € (3 bytes)
      byteIndex(text, '😀') + 1, // inside 😀 (4 bytes)
      byteIndex(text, '😀') + 3,
      byteIndex(text, '\n\n') + 1, // between the two newlines ending the event
      byteIndex(text, 'streamNextOffset') + 6,
    ]
    const s = route('application/json', async (_req, res) => {
      res.writeHead(200, SSE_HEADERS)
      await writeSlowly(res, splitAt(bytes, cuts), 15)
      res.end()
    })
    const r = s.readJson({ offset: 'now', live: 'sse' })
    expect(await r.toArray()).toEqual(['héllo', '€😀'])
    expect(r.closed).toBe(true)
    expect(r.nextOffset).toBe('1_1')
    expect(r.cursor).toBe('c1') // kept: the closing control event has no cursor
    expect(requestsOf(s)).toHaveLength(1)
  })

  it('accepts CRLF and bare CR line endings, also with CR and LF in separate writes', async () => {
    const s = route('application/json', async (_req, res) => {
      res.writeHead(200, SSE_HEADERS)
      await writeSlowly(res, [
        'event: data\r\ndata: ["a"]\r\n\r',
        '\nevent: control\rdata: {"streamNextOffset":"1_1","streamCursor":"7"}\r\r',
        'event: data\r\ndata: ["b"]\r',
        '\n\r\nevent: control\r\ndata: {"streamNextOffset":"1_2","streamClosed":true}\r\n\r\n',
      ])
      res.end()
    })
    const r = s.readJson({ offset: 'now', live: 'sse' })
    expect(await r.toArray()).toEqual(['a', 'b'])
    expect(r.nextOffset).toBe('1_2')
    expect(r.closed).toBe(true)
  })

  it('keeps U+2028, U+2029 and U+0085 inside JSON data (they are not SSE line breaks)', async () => {
    const value = 'a\u2028b\u2029c\u0085d'
    const s = route('application/json', (_req, res) => {
      // Raw characters, not JSON escapes.
      sendSse(res, `event: data\ndata: ["${value}"]\n\n` + CLOSED('1_1'))
    })
    expect(await s.readJson({ offset: 'now', live: 'sse' }).toArray()).toEqual([value])
  })

  it('keeps U+2028 and U+0085 inside text data', async () => {
    const s = route('text/plain', (_req, res) => {
      sendSse(res, 'event: data\ndata: x\u2028y\u0085z\n\n' + CLOSED('1_1'))
    })
    expect(await s.readText({ offset: 'now', live: 'sse' }).toArray()).toEqual(['x\u2028y\u0085z'])
  })

  it('strips exactly one leading space after "data:" and joins data lines with \\n', async () => {
    const ev = (data: string, offset: string): string =>
      `event: data\n${data}\n\n` + control({ streamNextOffset: offset, streamCursor: 'c' })
    const s = route('text/plain', (_req, res) => {
      sendSse(
        res,
        ev('data:x', '1_1') +
          ev('data: y', '1_2') +
          ev('data:  z', '1_3') +
          ev('data: line1\ndata:line2\ndata:', '1_4') +
          CLOSED('1_4'),
      )
    })
    expect(await s.readText({ offset: 'now', live: 'sse' }).toArray()).toEqual([
      'x',
      'y',
      ' z',
      'line1\nline2\n',
    ])
  })

  it('decodes base64 data split across several data: lines and events', async () => {
    const bytes = new Uint8Array(300).map((_, i) => (i * 7) % 256)
    const b64a = Buffer.from(bytes.slice(0, 200)).toString('base64')
    const b64b = Buffer.from(bytes.slice(200)).toString('base64')
    const lines = (b: string): string =>
      (b.match(/.{1,76}/g) ?? []).map((l) => `data:${l}`).join('\r\n')
    const s = route('application/octet-stream', (_req, res) => {
      sendSse(
        res,
        `event: data\r\n${lines(b64a)}\r\n\r\n` +
          `event: data\n${lines(b64b).replace(/\r\n/g, '\n')}\n\n` +
          control({ streamNextOffset: '1_300', streamCursor: 'c' }) +
          'event: data\ndata:\n\n' + // an empty payload
          CLOSED('1_300'),
        { 'stream-sse-data-encoding': 'base64' },
      )
    })
    const chunks = await s.readBytes({ offset: 'now', live: 'sse' }).toArray()
    expect(chunks).toEqual([bytes])
  })

  it('invalid base64 is a ParseError', async () => {
    const s = route('application/octet-stream', (_req, res) => {
      sendSse(res, 'event: data\ndata: @@@@\n\n' + CLOSED('1_1'), {
        'stream-sse-data-encoding': 'base64',
      })
    })
    await expect(s.readBytes({ offset: 'now', live: 'sse' }).toArray()).rejects.toBeInstanceOf(
      ParseError,
    )
  })

  it('ignores unknown event types, default-type events, comments, id and retry fields', async () => {
    const s = route('application/json', (_req, res) => {
      sendSse(
        res,
        sseEvent('foo', '{"x":1}') +
          'data: ["untyped message"]\n\n' +
          ': a comment\n\n' +
          'id: 42\nretry: 10\n\n' +
          sseEvent('data', '["kept"]') +
          sseEvent('future-control', '{"streamNextOffset":"9_9"}') +
          CLOSED('1_1'),
      )
    })
    const r = s.readJson({ offset: 'now', live: 'sse' })
    expect(await r.toArray()).toEqual(['kept'])
    expect(r.nextOffset).toBe('1_1')
  })
})

describe('malformed SSE', () => {
  it.each([
    ['not JSON', '{not json', 'Malformed SSE control event'],
    ['an empty object', '{}', 'without streamNextOffset'],
    ['an empty string', '""', 'without streamNextOffset'],
    ['null', 'null', 'without streamNextOffset'],
    ['a numeric offset', '{"streamNextOffset":5}', 'without streamNextOffset'],
  ])('a control event with %s is a ParseError', async (_label, data, message) => {
    const s = route('application/json', (_req, res) => {
      sendSse(res, sseEvent('data', '["a"]') + sseEvent('control', data))
    })
    const err = await s
      .readJson({ offset: 'now', live: 'sse' })
      .toArray()
      .catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ParseError)
    expect((err as ParseError).url).toBe(s.url)
    expect((err as Error).message).toContain(message)
    expect((err as Error).message).toContain(s.url)
    expect(requestsOf(s)).toHaveLength(1) // not retried
  })

  it('a data event that is not a JSON array is a ParseError', async () => {
    const s = route('application/json', (_req, res) => {
      sendSse(res, sseEvent('data', '{"a":1}') + CLOSED('1_1'))
    })
    const err = await s
      .readJson({ offset: 'now', live: 'sse' })
      .toArray()
      .catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ParseError)
    expect((err as Error).message).toContain('Expected a JSON array')
  })
})

describe('SSE connection lifecycle', () => {
  it('reconnects from the last streamNextOffset with the cursor when the server ends each connection', async () => {
    const s = route('application/json', (_req, res, info) => {
      const k = requestsOf(s).indexOf(info)
      if (k === 0)
        sendSse(
          res,
          sseEvent('data', '["a"]') + control({ streamNextOffset: '1_1', streamCursor: 'c1' }),
        )
      else if (k === 1)
        sendSse(
          res,
          sseEvent('data', '["b"]') +
            control({ streamNextOffset: '1_2', streamCursor: 'c2', upToDate: true }),
        )
      else sendSse(res, CLOSED('1_2'))
    })
    const r = s.readJson({ offset: 'now', live: 'sse' })
    expect(await r.toArray()).toEqual(['a', 'b'])
    expect(r.reconnects).toBe(2)
    expect(r.closed).toBe(true)
    await delay(100)
    expect(requestsOf(s).map(query)).toEqual([
      { live: 'sse', offset: 'now' },
      { cursor: 'c1', live: 'sse', offset: '1_1' },
      { cursor: 'c2', live: 'sse', offset: '1_2' },
    ])
  })

  it('drops data not confirmed by a control event and re-reads it after a dropped connection', async () => {
    const s = route('application/json', (_req, res, info) => {
      const k = requestsOf(s).indexOf(info)
      if (k === 0) {
        res.writeHead(200, SSE_HEADERS)
        res.write(
          sseEvent('data', '["a"]') + control({ streamNextOffset: '1_1', streamCursor: 'c1' }),
        )
        res.write(sseEvent('data', '["unconfirmed"]'))
        setTimeout(() => res.socket?.destroy(), 30)
      } else {
        sendSse(res, sseEvent('data', '["unconfirmed"]') + CLOSED('1_2'))
      }
    })
    const r = s.readJson({ offset: 'now', live: 'sse' })
    expect(await r.toArray()).toEqual(['a', 'unconfirmed'])
    expect(requestsOf(s).map(query)[1]).toEqual({ cursor: 'c1', live: 'sse', offset: '1_1' })
  })

  it('does not reconnect after streamClosed even if the server keeps the connection open', async () => {
    const s = route('application/json', (_req, res) => {
      res.writeHead(200, SSE_HEADERS)
      res.write(sseEvent('data', '["last"]') + CLOSED('1_1'))
      // never ends the response
    })
    const r = s.readJson({ offset: 'now', live: 'sse' })
    expect(await r.toArray()).toEqual(['last'])
    await delay(100)
    expect(requestsOf(s)).toHaveLength(1)
    expect(r.reconnects).toBe(0)
    await raw.waitForNoOpenRequests() // the client hung up
  })

  it('retries opening the SSE connection after a 503', async () => {
    const s = route('application/json', (_req, res, info) => {
      if (requestsOf(s).indexOf(info) === 0) {
        res.writeHead(503, { 'content-type': 'text/plain' })
        res.end('busy')
      } else sendSse(res, sseEvent('data', '["ok"]') + CLOSED('1_1'))
    })
    expect(await s.readJson({ offset: 'now', live: 'sse' }).toArray()).toEqual(['ok'])
    expect(requestsOf(s).map(query)).toEqual([
      { live: 'sse', offset: 'now' },
      { live: 'sse', offset: 'now' },
    ])
  })

  it('connections that keep dropping before any control event end in a ConnectionError', async () => {
    const s = route('application/json', (_req, res) => {
      res.writeHead(200, SSE_HEADERS)
      res.write('event: data\ndata: ["never confirmed"]\n\n')
      setTimeout(() => res.socket?.destroy(), 10)
    })
    const reader = s.readJson({ offset: 'now', live: 'sse' })
    const outcome = await Promise.race([
      reader.toArray().catch((e: unknown) => e),
      delay(2_000).then(() => 'still reconnecting after 2 s'),
    ])
    reader.close()
    expect(outcome).toBeInstanceOf(ConnectionError)
    expect((outcome as Error).message).toContain(s.url)
    expect(requestsOf(s)).toHaveLength(3) // maxRetries 2: first try + 2 reconnects
  })

  it('backs off, then gives up, when every SSE connection ends without any event', async () => {
    // The spec requires a control event at once; a server that never sends one is broken.
    const s = route('application/json', (_req, res) => sendSse(res, ''))
    const started = Date.now()
    const err = await s
      .readJson({ offset: 'now', live: 'sse' })
      .toArray()
      .then(
        () => undefined,
        (e: unknown) => e,
      )
    expect(err).toBeInstanceOf(ConnectionError)
    expect((err as ConnectionError).message).toMatch(/ending without data \(3 times\)/)
    // maxRetries 2: the first connection plus two retries plus the one that exhausts the budget,
    // with backoff between them (no reconnect storm).
    expect(requestsOf(s).length).toBe(3)
    expect(Date.now() - started).toBeGreaterThanOrEqual(5)
  })
})

describe('SSE connections that go silent', () => {
  /** The same path through a client that gives live connections `idleMs` of silence. */
  const quiet = (s: Stream, idleMs: number): { client: Client; stream: Stream } => {
    const c = new Client({
      baseUrl: raw.url,
      sseIdleTimeout: idleMs,
      retry: { maxRetries: 2, initialDelayMs: 5, maxDelayMs: 20 },
    })
    return { client: c, stream: c.stream(new URL(s.url).pathname, { contentType: s.contentType }) }
  }

  it('treats a connection silent for longer than sseIdleTimeout as lost and resumes from the last offset', async () => {
    const s = route('application/json', (_req, res, info) => {
      if (requestsOf(s).indexOf(info) === 0) {
        res.writeHead(200, SSE_HEADERS)
        res.write(sseEvent('data', '["a"]') + control({ streamNextOffset: '1_1', upToDate: true }))
        // then silence, with the socket open (a server whose handler died)
      } else sendSse(res, sseEvent('data', '["b"]') + CLOSED('1_2'))
    })
    const { client: c, stream } = quiet(s, 200)
    const r = stream.readJson({ offset: 'now', live: 'sse' })
    expect(await r.toArray()).toEqual(['a', 'b'])
    expect(r.reconnects).toBe(1)
    expect(requestsOf(s).map(query)[1]).toEqual({ live: 'sse', offset: '1_1' })
    await raw.waitForNoOpenRequests() // the silent connection was hung up
    await c.close()
  })

  it('surfaces what the reopened connection gets: a deleted stream is a StreamNotFoundError', async () => {
    const s = route('application/json', (_req, res, info) => {
      if (requestsOf(s).indexOf(info) === 0) {
        res.writeHead(200, SSE_HEADERS)
        res.write(control({ streamNextOffset: '1_1', upToDate: true }))
      } else {
        res.writeHead(404, { 'content-type': 'text/plain' })
        res.end('Stream not found')
      }
    })
    const { client: c, stream } = quiet(s, 150)
    await expect(stream.readJson({ offset: 'now', live: 'sse' }).toArray()).rejects.toBeInstanceOf(
      StreamNotFoundError,
    )
    await c.close()
  })

  it('keeps a connection that is slow but never silent for that long', async () => {
    const s = route('application/json', async (_req, res) => {
      res.writeHead(200, SSE_HEADERS)
      for (let i = 1; i <= 6; i++) {
        await delay(60)
        res.write(control({ streamNextOffset: `1_${i}`, upToDate: true }))
      }
      res.end(CLOSED('1_6'))
    })
    const { client: c, stream } = quiet(s, 150)
    const r = stream.readJson({ offset: 'now', live: 'sse' })
    expect(await r.toArray()).toEqual([])
    expect([r.reconnects, r.closed]).toEqual([0, true])
    expect(requestsOf(s)).toHaveLength(1)
    await c.close()
  })

  it('does not count time the consumer spends on a batch as silence', async () => {
    const s = route('application/json', async (_req, res) => {
      res.writeHead(200, SSE_HEADERS)
      for (let i = 1; i <= 8; i++) {
        res.write(sseEvent('data', `[${i}]`) + control({ streamNextOffset: `1_${i}` }))
        await delay(50)
      }
      res.end(CLOSED('1_8'))
    })
    const { client: c, stream } = quiet(s, 150)
    const r = stream.readJson<number>({ offset: 'now', live: 'sse' })
    const got: number[] = []
    for await (const b of r.batches()) {
      got.push(...b.items)
      if (got.length === 1) await delay(400) // a slow consumer, while data keeps arriving
    }
    expect(got).toEqual([1, 2, 3, 4, 5, 6, 7, 8])
    expect([r.reconnects, requestsOf(s).length]).toEqual([0, 1])
    await c.close()
  })

  it('in auto mode, falls back to long-poll after three connections that stay silent', async () => {
    const s = route('application/json', (_req, res, info) => {
      const live = info.url.searchParams.get('live')
      if (live === 'sse') {
        res.writeHead(200, SSE_HEADERS) // and nothing more
        res.flushHeaders()
      } else if (live === 'long-poll') {
        res.writeHead(200, {
          'content-type': 'application/json',
          'stream-next-offset': '1_1',
          'stream-closed': 'true',
        })
        res.end('["by long-poll"]')
      } else {
        res.writeHead(200, {
          'content-type': 'application/json',
          'stream-next-offset': '1_0',
          'stream-up-to-date': 'true',
        })
        res.end('[]')
      }
    })
    const { client: c, stream } = quiet(s, 100)
    const r = stream.readJson({ offset: '-1', live: 'auto' })
    expect(await r.toArray()).toEqual(['by long-poll'])
    expect(requestsOf(s).map((q) => q.url.searchParams.get('live') ?? 'none')).toEqual([
      'none',
      'sse',
      'sse',
      'sse',
      'long-poll',
    ])
    await c.close()
  })

  it('refuses a sseIdleTimeout that is not a positive number of milliseconds', () => {
    expect(() => new Client({ baseUrl: raw.url, sseIdleTimeout: 0 })).toThrow(/sseIdleTimeout/)
  })
})
