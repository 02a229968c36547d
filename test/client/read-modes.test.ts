/**
 * Reads against a real server: every start offset (-1, now, a stored mid offset) in every
 * live mode (false, long-poll, sse, auto), closure as EOF in each, and the typed readers
 * (JSON, bytes, text, dynamic) over catch-up, long-poll and SSE.
 */
import { describe, expect, it } from 'vitest'
import {
  ByteReader,
  DynamicReader,
  JsonReader,
  type LiveMode,
  type Stream,
} from '../../src-shared/client/index.js'
import { delay, waitUntil } from '../helpers/leaks.js'
import { client, rec, useLiveServer } from '../helpers/live-server.js'

useLiveServer()
let n = 0
const path = (): string => `/t/rm-${process.pid}-${++n}`

const dec = new TextDecoder()

/** A JSON stream holding 0, 1, 2 (three appends) and the offset after each message. */
async function seeded(): Promise<{ s: Stream; offsets: string[] }> {
  const s = await client.create(path(), { contentType: 'application/json' })
  const offsets: string[] = []
  for (const v of [0, 1, 2]) offsets.push((await s.append(v)).nextOffset!)
  return { s, offsets }
}

type Start = '-1' | 'now' | 'mid'
const starts: Start[] = ['-1', 'now', 'mid']
const liveModes: Exclude<LiveMode, false>[] = ['long-poll', 'sse', 'auto']

describe('catch-up only (live: false)', () => {
  it.each(starts)('from %s reads exactly the stored messages and stops', async (start) => {
    const { s, offsets } = await seeded()
    const offset = start === 'mid' ? offsets[0]! : start
    const reader = s.readJson({ offset, live: false })
    const expected = { '-1': [0, 1, 2], mid: [1, 2], now: [] }[start]
    expect(await reader.toArray()).toEqual(expected)
    expect(reader.upToDate).toBe(true)
    expect(reader.closed).toBe(false)
    expect(reader.nextOffset).toBe(offsets[2])
    expect(s.nextOffset).toBe(offsets[2])
    const gets = rec.filter({ method: 'GET' }).filter((r) => r.path === new URL(s.url).pathname)
    expect(gets.map((r) => r.query)).toEqual([{ offset }])
  })

  it('on a closed stream ends with closed = true', async () => {
    const { s, offsets } = await seeded()
    await s.close()
    const reader = s.readJson({ live: false })
    expect(await reader.toArray()).toEqual([0, 1, 2])
    expect(reader.closed).toBe(true)
    const atEnd = s.readJson({ offset: offsets[2]!, live: false })
    expect(await atEnd.toArray()).toEqual([])
    expect(atEnd.closed).toBe(true)
    const now = s.readJson({ offset: 'now', live: false })
    expect(await now.toArray()).toEqual([])
    expect(now.closed).toBe(true)
    expect(now.nextOffset).toBe(offsets[2])
  })
})

describe.each(liveModes)('live: %s', (live) => {
  it.each(starts)('from %s: history, then live appends, then EOF on close', async (start) => {
    const { s, offsets } = await seeded()
    const offset = start === 'mid' ? offsets[0]! : start
    const history = { '-1': [0, 1, 2], mid: [1, 2], now: [] }[start]
    const p = new URL(s.url).pathname
    const mine = () => rec.requests.filter((r) => r.path === p && r.method === 'GET')
    const reader = s.readJson({ offset, live })
    const items: unknown[] = []
    const done = (async () => {
      for await (const m of reader) items.push(m)
    })()

    await waitUntil(() => items.length >= history.length, 'history delivered')
    const expectLive = live === 'auto' ? 'sse' : live
    await waitUntil(() => mine().some((r) => r.query.live === expectLive), 'live request')
    // Keep appending until one arrives (for `now` the server fixes the tail when it sees
    // the request; appends before that are rightly skipped).
    const appended: string[] = []
    while (items.length === history.length) {
      const v = `live-${appended.length}`
      await s.append(v)
      appended.push(v)
      await delay(30)
    }
    const { finalOffset } = await s.close()
    await done

    expect(items.slice(0, history.length)).toEqual(history)
    const liveItems = items.slice(history.length)
    if (start === 'now') {
      expect(liveItems).toEqual(appended.slice(appended.indexOf(liveItems[0] as string)))
    } else {
      expect(liveItems).toEqual(appended)
    }
    expect(reader.closed).toBe(true)
    expect(reader.upToDate).toBe(true)
    expect(reader.nextOffset).toBe(finalOffset)
    expect(reader.contentType).toBe('application/json')

    // Request pattern: catch-up unless `now` with an explicit live mode, then one live mode.
    const reqs = mine()
    const first = reqs[0]!
    if (start === 'now' && live !== 'auto')
      expect(first.query).toMatchObject({ offset: 'now', live })
    else expect(first.query).toEqual({ offset })
    for (const r of reqs.slice(1)) expect(r.query.live).toBe(expectLive)
    if (expectLive === 'sse') {
      // One SSE connection; closure is EOF, no reconnect.
      await delay(100)
      expect(mine().filter((r) => r.query.live === 'sse')).toHaveLength(1)
      expect(reader.reconnects).toBe(0)
    }
  })

  it('a stream closed while the reader waits at the tail ends the read', async () => {
    const { s, offsets } = await seeded()
    const reader = s.readJson({ offset: offsets[2]!, live })
    const done = reader.toArray()
    const expectLive = live === 'auto' ? 'sse' : live
    await waitUntil(
      () => rec.requests.some((r) => r.url.startsWith(s.url) && r.query.live === expectLive),
      'live request',
    )
    await delay(50)
    const t0 = performance.now()
    await s.close()
    expect(await done).toEqual([])
    expect(performance.now() - t0).toBeLessThan(900) // not a long-poll timeout
    expect(reader.closed).toBe(true)
  })
})

describe('typed readers', () => {
  it('read() picks the reader by content type; unknown types get a DynamicReader', async () => {
    const j = await client.create(path(), { contentType: 'application/json' })
    const b = await client.create(path())
    expect(j.read({ live: false })).toBeInstanceOf(JsonReader)
    expect(b.read({ live: false })).toBeInstanceOf(ByteReader)
    const unknown = client.stream(new URL(j.url).pathname)
    expect(unknown.read({ live: false })).toBeInstanceOf(DynamicReader)
  })

  it('a DynamicReader parses JSON streams and yields bytes for others', async () => {
    const j = await client.create(path(), { contentType: 'application/json' })
    await j.append({ a: 1 })
    const jr = client.stream(new URL(j.url).pathname).read({ live: false })
    expect(await jr.toArray()).toEqual([{ a: 1 }])
    expect(jr.contentType).toBe('application/json')
    const b = await client.create(path(), { body: new Uint8Array([9, 8]) })
    const handle = client.stream(new URL(b.url).pathname)
    const br = await handle.read({ live: false }).toArray()
    expect(br).toEqual([new Uint8Array([9, 8])])
    expect(handle.contentType).toBe('application/octet-stream')
  })

  it('a handle without a content type reads a JSON stream live over SSE (auto)', async () => {
    const { s } = await seeded()
    const handle = client.stream(new URL(s.url).pathname)
    const items: unknown[] = []
    const done = (async () => {
      for await (const m of handle.read({ live: 'auto' })) items.push(m)
    })()
    await waitUntil(() => items.length === 3, 'history')
    await waitUntil(
      () => rec.requests.some((q) => q.url.startsWith(s.url) && q.query.live === 'sse'),
      'sse',
    )
    await s.append({ live: true })
    await s.close()
    await done
    expect(items).toEqual([0, 1, 2, { live: true }])
    expect(handle.contentType).toBe('application/json')
  })

  it('subscribe() rejects with the handler error and stops the live read', async () => {
    const { s } = await seeded()
    const before = rec.requests.filter((q) => q.url.startsWith(s.url)).length
    const err = await s
      .subscribe({ live: 'sse' }, (m) => {
        if (m === 1) throw new Error('handler failed')
      })
      .catch((e: unknown) => e)
    expect((err as Error).message).toBe('handler failed')
    await delay(50)
    // Only the catch-up request was made: the handler failed on catch-up data.
    expect(rec.requests.filter((q) => q.url.startsWith(s.url)).length - before).toBe(1)
  })

  it('readBytes on a JSON stream returns the raw JSON array bytes', async () => {
    const { s } = await seeded()
    const chunks = await s.readBytes({ live: false }).toArray()
    expect(chunks).toHaveLength(1)
    expect(JSON.parse(dec.decode(chunks[0]))).toEqual([0, 1, 2])
  })

  it.each(['long-poll', 'sse'] as const)(
    'readText decodes multi-byte text exactly over catch-up then %s',
    async (live) => {
      const s = await client.create(path(), { contentType: 'text/plain; charset=utf-8' })
      await s.append('héllo ')
      const reader = s.readText({ live })
      const out: string[] = []
      const done = (async () => {
        for await (const t of reader) out.push(t)
      })()
      await waitUntil(() => out.length === 1, 'catch-up text')
      await waitUntil(
        () => rec.requests.some((r) => r.url.startsWith(s.url) && r.query.live === live),
        'live',
      )
      await s.append('wörld ✓ 😀\n')
      await waitUntil(() => out.length === 2, 'live text')
      await s.close()
      await done
      expect(out).toEqual(['héllo ', 'wörld ✓ 😀\n'])
      expect(reader.closed).toBe(true)
    },
  )

  it.each(['long-poll', 'sse', 'auto'] as const)(
    'readBytes delivers exact binary data over %s (base64-decoded for SSE)',
    async (live) => {
      const s = await client.create(path(), { contentType: 'application/octet-stream' })
      const all = new Uint8Array(256).map((_, i) => i)
      await s.append(all.slice(0, 100))
      const reader = s.readBytes({ live })
      const chunks: Uint8Array[] = []
      const done = (async () => {
        for await (const c of reader) chunks.push(c)
      })()
      await waitUntil(() => chunks.length === 1, 'catch-up bytes')
      const mode = live === 'auto' ? 'long-poll' : live // auto: long-poll for binary
      await waitUntil(
        () => rec.requests.some((r) => r.url.startsWith(s.url) && r.query.live === mode),
        'live',
      )
      await s.append(all.slice(100))
      await waitUntil(() => chunks.reduce((a, c) => a + c.length, 0) === 256, 'live bytes')
      await s.close()
      await done
      const joined = new Uint8Array(256)
      let pos = 0
      for (const c of chunks) {
        joined.set(c, pos)
        pos += c.length
      }
      expect(joined).toEqual(all)
      expect(
        rec.requests.filter(
          (r) => r.url.startsWith(s.url) && r.query.live === (mode === 'sse' ? 'long-poll' : 'sse'),
        ),
      ).toHaveLength(0)
    },
  )

  it('readBytes over SSE on a text stream yields the UTF-8 bytes', async () => {
    const s = await client.create(path(), { contentType: 'text/plain' })
    await s.append('é1')
    const r = s.readBytes({ live: 'sse' })
    const chunks: Uint8Array[] = []
    const done = (async () => {
      for await (const c of r) chunks.push(c)
    })()
    await waitUntil(() => chunks.length === 1, 'catch-up')
    await waitUntil(
      () => rec.requests.some((q) => q.url.startsWith(s.url) && q.query.live === 'sse'),
      'sse',
    )
    await s.append('€2')
    await waitUntil(() => chunks.length === 2, 'sse chunk')
    await s.close()
    await done
    expect(chunks.map((c) => [...c])).toEqual([
      [0xc3, 0xa9, 0x31],
      [0xe2, 0x82, 0xac, 0x32],
    ])
  })

  it('readAll from a stored offset, and subscribe() awaits its handler in order', async () => {
    const { s, offsets } = await seeded()
    expect(await s.readAll({ offset: offsets[1]! })).toEqual([2])
    const seen: unknown[] = []
    await s.subscribe({ live: false }, async (m) => {
      await delay(m === 0 ? 30 : 0)
      seen.push(m)
    })
    expect(seen).toEqual([0, 1, 2])
  })

  it('subscribe() with live SSE resolves at EOF', async () => {
    const { s } = await seeded()
    const seen: unknown[] = []
    const done = s.subscribe({ live: 'sse' }, (m) => {
      seen.push(m)
    })
    await waitUntil(() => seen.length === 3, 'history')
    await s.close({ data: 'bye' })
    await done
    expect(seen).toEqual([0, 1, 2, 'bye'])
  })
})
