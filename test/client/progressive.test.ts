/**
 * Progressive reads (`progressive: true`): a large JSON response is handed out in pieces while
 * it downloads, with offsets that never let a resume skip a message, and a connection lost
 * mid-body resumes without duplicates.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  Client,
  ConnectionError,
  ParseError,
  type JsonBatch,
} from '../../src-shared/client/node.js'
import { useSwitchableRawServer } from '../helpers/switchable-raw-server.js'
import { startServer, type TestServer } from '../helpers/server.js'

let srv: TestServer
let client: Client
beforeAll(async () => {
  srv = await startServer()
  client = new Client({
    baseUrl: srv.url,
    retry: { maxRetries: 2, initialDelayMs: 5, maxDelayMs: 20 },
  })
})
afterAll(async () => {
  await client.close()
  await srv.stop()
})

const message = (i: number): { i: number; note: string } => ({ i, note: `m${i} "q" ,]} ✓` })

async function bigStream(n: number): Promise<ReturnType<Client['stream']>> {
  const s = await client.create(`/v1/stream/prog-${Math.random().toString(36).slice(2)}`, {
    contentType: 'application/json',
  })
  for (let from = 0; from < n; from += 10_000) {
    // One POST of a JSON array appends each element as one message.
    const body = JSON.stringify(
      Array.from({ length: Math.min(10_000, n - from) }, (_, k) => message(from + k)),
    )
    const res = await fetch(s.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    })
    expect(res.status).toBe(204)
  }
  return s
}

async function batchesOf<B = JsonBatch>(reader: AsyncIterable<B>): Promise<B[]> {
  const out: B[] = []
  for await (const b of reader) out.push(b)
  return out
}

describe('progressive JSON reads against the real server', () => {
  it('hands out one large response in pieces: small first, offsets resume-safe, same messages', async () => {
    const n = 60_000
    const s = await bigStream(n)
    const whole = await batchesOf(s.readJson({ live: false }).batches())
    expect(whole).toHaveLength(1)
    const tail = whole[0]!.nextOffset

    const pieces = await batchesOf(s.readJson({ live: false, progressive: true }).batches())
    expect(pieces.length).toBeGreaterThan(2)
    expect(pieces.flatMap((b) => b.items)).toEqual(whole[0]!.items)
    const first = pieces[0]!
    expect(JSON.stringify(first.items).length).toBeLessThan(64 * 1024) // handed out early
    let skip = 0
    pieces.forEach((b, k) => {
      const last = k === pieces.length - 1
      expect(b.part).toEqual({ start: '-1', end: tail, skip, last })
      expect(b.nextOffset).toBe(last ? tail : '-1')
      expect(b.upToDate).toBe(last)
      skip += b.items.length
    })
  })

  it('resuming from a piece re-reads its response rather than skipping messages', async () => {
    const s = await bigStream(30_000)
    const reader = s.readJson({ live: false, progressive: true })
    let resumeAt = ''
    for await (const b of reader.batches()) {
      resumeAt = b.nextOffset
      break
    }
    expect(resumeAt).toBe('-1')
    expect(await s.readJson({ offset: resumeAt, live: false }).toArray()).toHaveLength(30_000)
  })

  it('small responses and live long-polls come as ordinary batches', async () => {
    const s = await client.create(`/v1/stream/prog-small-${Math.random()}`, {
      contentType: 'application/json',
    })
    await s.append({ a: 1 })
    const reader = s.readJson({ live: 'long-poll', progressive: true })
    const seen: JsonBatch[] = []
    const done = (async () => {
      for await (const b of reader.batches()) {
        seen.push(b)
        if (seen.flatMap((x) => x.items).length === 2) break
      }
    })()
    await new Promise((r) => setTimeout(r, 50))
    await s.append({ a: 2 })
    await done
    expect(seen.flatMap((b) => b.items)).toEqual([{ a: 1 }, { a: 2 }])
    expect(seen.every((b) => b.part === undefined)).toBe(true)
  })

  it('ignores progressive for byte streams', async () => {
    const s = await client.create(`/v1/stream/prog-bytes-${Math.random()}`, {
      contentType: 'application/octet-stream',
    })
    await s.append(new Uint8Array(200_000).fill(7))
    const chunks = await batchesOf(s.readBytes({ live: false, progressive: true }).batches())
    expect(chunks).toHaveLength(1)
    expect(chunks[0]!.data.length).toBe(200_000)
    expect(chunks[0]!.part).toBeUndefined()
  })
})

describe('progressive reads against a raw server', () => {
  const raw = useSwitchableRawServer()
  const headers = {
    'content-type': 'application/json',
    'stream-next-offset': '0000_0042',
    'stream-up-to-date': 'true',
  }
  const values = Array.from({ length: 5_000 }, (_, i) => message(i))
  const body = JSON.stringify(values)

  it('a connection lost mid-body resumes from the same offset without duplicates', async () => {
    raw.handler = (_req, res, n) => {
      res.writeHead(200, headers)
      if (n === 1) {
        res.write(body.slice(0, 100_000))
        setTimeout(() => res.socket?.destroy(), 20)
      } else res.end(body)
    }
    const c = new Client({ baseUrl: raw.url, retry: { maxRetries: 2, initialDelayMs: 5 } })
    const batches = await batchesOf(
      c.stream('/cut').readJson({ live: false, progressive: true }).batches(),
    )
    expect(raw.count).toBe(2)
    expect(batches.flatMap((b) => b.items)).toEqual(values)
    expect(batches.at(-1)!.nextOffset).toBe('0000_0042')
    await c.close()
  })

  it('gives up with a ConnectionError when every attempt is cut', async () => {
    raw.handler = (_req, res) => {
      res.writeHead(200, headers)
      res.write(body.slice(0, 50_000))
      setTimeout(() => res.socket?.destroy(), 10)
    }
    const c = new Client({ baseUrl: raw.url, retry: { maxRetries: 1, initialDelayMs: 5 } })
    const reader = c.stream('/always-cut').readJson({ live: false, progressive: true })
    const items: unknown[] = []
    const err = await (async () => {
      for await (const m of reader) items.push(m)
    })().catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ConnectionError)
    expect((err as Error).message).toContain('/always-cut')
    expect(raw.count).toBe(2)
    // What was handed out before the failure was handed out once.
    expect(items).toEqual(values.slice(0, items.length))
    await c.close()
  })

  it.each([
    ['node:http', undefined],
    ['fetch', (input: string, init: RequestInit) => globalThis.fetch(input, init)],
  ])('a stalled body times out and is resumed (%s engine)', async (_name, fetchImpl) => {
    raw.handler = (_req, res, n) => {
      res.writeHead(200, headers)
      if (n === 1)
        res.write(body.slice(0, 60_000)) // then nothing
      else res.end(body)
    }
    const c = new Client({
      baseUrl: raw.url,
      timeout: 200,
      retry: { maxRetries: 1, initialDelayMs: 5 },
      ...(fetchImpl ? { fetch: fetchImpl } : {}),
    })
    const items = await c.stream('/stall').readJson({ live: false, progressive: true }).toArray()
    expect(items).toEqual(values)
    expect(raw.count).toBe(2)
    await c.close()
  })

  it('a response whose body arrives in one chunk still ends with its own offset', async () => {
    // ~22 KB: more than the first piece, less than one socket read. A paged catch-up (no
    // Stream-Up-To-Date on the first response) must still hand out that response's end offset.
    const first = Array.from({ length: 400 }, (_, i) => ({ i, pad: 'x'.repeat(40) }))
    raw.handler = (req, res) => {
      const offset = new URL(req.url ?? '/', 'http://x').searchParams.get('offset')
      if (offset === '-1') {
        res.writeHead(200, {
          'content-type': 'application/json',
          'stream-next-offset': '0000_0400',
        })
        res.end(JSON.stringify(first))
      } else {
        res.writeHead(200, {
          'content-type': 'application/json',
          'stream-next-offset': '0000_0402',
          'stream-up-to-date': 'true',
        })
        res.end(JSON.stringify([{ i: 400 }, { i: 401 }]))
      }
    }
    const c = new Client({ baseUrl: raw.url })
    const got = await batchesOf(
      c.stream('/paged').readJson({ live: false, progressive: true }).batches(),
    )
    expect(got.flatMap((b) => b.items)).toHaveLength(402)
    // The first response's rows and its end offset come together, in its last batch.
    expect(got.map((b) => [b.items.length, b.nextOffset])).toEqual([
      [400, '0000_0400'],
      [2, '0000_0402'],
    ])
    await c.close()
  })

  it('a retry that gets a shorter response skips the rest in the next one (no duplicates)', async () => {
    // First attempt: 3000 messages, cut mid-body. Then the server answers in chunks of 1000
    // (a shorter cached chunk, say): what was already handed out must not come again.
    const all = Array.from({ length: 3000 }, (_, i) => ({ i, pad: 'y'.repeat(30) }))
    raw.handler = (req, res, n) => {
      const offset = new URL(req.url ?? '/', 'http://x').searchParams.get('offset') ?? '-1'
      if (n === 1) {
        res.writeHead(200, { 'content-type': 'application/json', 'stream-next-offset': '3000' })
        res.write(JSON.stringify(all).slice(0, 100_000))
        setTimeout(() => res.socket?.destroy(), 20)
        return
      }
      const from = offset === '-1' ? 0 : Number(offset)
      const to = Math.min(from + 1000, all.length)
      res.writeHead(200, {
        'content-type': 'application/json',
        'stream-next-offset': String(to).padStart(4, '0'),
        ...(to === all.length ? { 'stream-up-to-date': 'true' } : {}),
      })
      res.end(JSON.stringify(all.slice(from, to)))
    }
    const c = new Client({ baseUrl: raw.url, retry: { maxRetries: 2, initialDelayMs: 5 } })
    const items = await c.stream('/shorter').readJson({ live: false, progressive: true }).toArray()
    expect(items).toEqual(all)
    await c.close()
  })

  it('malformed JSON is a ParseError naming the URL', async () => {
    raw.handler = (_req, res) => {
      res.writeHead(200, headers)
      res.end('[{"a":1},,{"b":2}]')
    }
    const c = new Client({ baseUrl: raw.url })
    const err = await c
      .stream('/bad')
      .readJson({ live: false, progressive: true })
      .toArray()
      .catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ParseError)
    expect((err as Error).message).toContain(`${raw.url}/bad`)
    await c.close()
  })
})
