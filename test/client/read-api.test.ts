/**
 * The reader API against a real server: take/toArray, single consumption, close and abort,
 * batch metadata, cursor echo, and per-request dynamic headers and params.
 */
import { describe, expect, it } from 'vitest'
import {
  AlreadyConsumedError,
  Client,
  Stream,
  type JsonBatch,
} from '../../src-shared/client/index.js'
import { abortListenerCount, delay, waitUntil } from '../helpers/leaks.js'
import { client, rec, srv, useLiveServer } from '../helpers/live-server.js'
import { recordingFetch } from '../helpers/recording-fetch.js'

useLiveServer()
let n = 0
const path = (): string => `/t/ra-${process.pid}-${++n}`

async function seeded(values: unknown[] = [0, 1, 2]): Promise<Stream> {
  const s = await client.create(path(), { contentType: 'application/json' })
  for (const v of values) await s.append(v)
  return s
}
const reqsOf = (s: Stream) => rec.requests.filter((r) => r.url.startsWith(s.url + '?'))

describe('take / toArray', () => {
  it('take(n) resolves the first n and stops reading: no live request follows', async () => {
    const s = await seeded()
    expect(await s.readJson({ live: 'long-poll' }).take(2)).toEqual([0, 1])
    await delay(50)
    expect(reqsOf(s).map((r) => r.query)).toEqual([{ offset: '-1' }])
  })

  it('take(n) is lazy when iterated and closes the SSE connection after n items', async () => {
    const s = await seeded([])
    const got: unknown[] = []
    const done = (async () => {
      for await (const m of s.readJson({ live: 'sse' }).take(2)) got.push(m)
    })()
    await waitUntil(() => reqsOf(s).some((r) => r.query.live === 'sse'), 'sse open')
    await s.append('a')
    await s.append('b')
    await done
    await s.append('c')
    await delay(50)
    expect(got).toEqual(['a', 'b'])
    expect(reqsOf(s).filter((r) => r.query.live === 'sse')).toHaveLength(1)
  })

  it('take(0) reads nothing', async () => {
    const s = await seeded()
    expect(await s.readJson({ live: 'sse' }).take(0)).toEqual([])
    expect(reqsOf(s)).toHaveLength(0)
  })

  it('toArray collects a catch-up read; the reader is single-consumer', async () => {
    const s = await seeded()
    const r = s.readJson({ live: false })
    expect(await r.toArray()).toEqual([0, 1, 2])
    const again = await r.toArray().catch((e: unknown) => e)
    expect(again).toBeInstanceOf(AlreadyConsumedError)
    expect((again as Error).message).toContain(s.url)
    expect(() => r.batches()).toThrow(AlreadyConsumedError)
    await expect(r[Symbol.asyncIterator]().next()).rejects.toBeInstanceOf(AlreadyConsumedError)
  })

  it('batches() then iteration is also refused', async () => {
    const s = await seeded()
    const r = s.readJson({ live: false })
    r.batches()
    await expect(r.take(1)).rejects.toBeInstanceOf(AlreadyConsumedError)
  })
})

describe('stopping a read', () => {
  it('reader.close() ends a waiting long-poll read quietly and promptly', async () => {
    const s = await seeded()
    const r = s.readJson({ live: 'long-poll' })
    const items: unknown[] = []
    const done = (async () => {
      for await (const m of r) items.push(m)
    })()
    await waitUntil(() => reqsOf(s).some((q) => q.query.live === 'long-poll'), 'long-poll')
    await delay(30)
    const t0 = performance.now()
    r.close()
    r.close() // idempotent
    await done
    expect(performance.now() - t0).toBeLessThan(500)
    expect(items).toEqual([0, 1, 2])
    expect(r.closed).toBe(false)
  })

  it('aborting the caller signal ends an SSE read quietly and unhooks the signal', async () => {
    const s = await seeded()
    const ac = new AbortController()
    const r = s.readJson({ live: 'sse', signal: ac.signal })
    const items: unknown[] = []
    const done = (async () => {
      for await (const m of r) items.push(m)
    })()
    await waitUntil(() => items.length === 3, 'history')
    expect(abortListenerCount(ac.signal)).toBe(1)
    ac.abort()
    await done
    expect(items).toEqual([0, 1, 2])
    expect(abortListenerCount(ac.signal)).toBe(0)
  })

  it('a reader given an already-aborted signal yields nothing and sends nothing', async () => {
    const s = await seeded()
    expect(await s.readJson({ live: 'sse', signal: AbortSignal.abort() }).toArray()).toEqual([])
    expect(reqsOf(s)).toHaveLength(0)
  })

  it('breaking out of a loop stops the read and removes the signal listener', async () => {
    const s = await seeded()
    const ac = new AbortController()
    for await (const m of s.readJson({ live: 'long-poll', signal: ac.signal })) {
      expect(m).toBe(0)
      break
    }
    expect(abortListenerCount(ac.signal)).toBe(0)
    await delay(30)
    expect(reqsOf(s)).toHaveLength(1)
  })
})

describe('batches() metadata', () => {
  it('catch-up: one batch per response, with the tail offset and upToDate', async () => {
    const s = await seeded()
    const tail = (await s.head()).nextOffset
    const batches: JsonBatch[] = []
    for await (const b of s.readJson({ live: false }).batches()) batches.push(b)
    expect(batches).toEqual([
      {
        items: [0, 1, 2],
        nextOffset: tail,
        cursor: undefined,
        upToDate: true,
        closed: false,
        phase: 'catch-up',
        receivedAt: expect.any(Number) as number,
        status: 200,
      },
    ])
  })

  it.each(['long-poll', 'sse'] as const)(
    '%s: live batches, then a closed EOF batch',
    async (live) => {
      const s = await seeded([0])
      const r = s.readJson({ live })
      const batches: JsonBatch[] = []
      const done = (async () => {
        for await (const b of r.batches()) batches.push(b)
      })()
      await waitUntil(() => batches.length >= 1, 'catch-up batch')
      await waitUntil(() => reqsOf(s).some((q) => q.query.live === live), 'live request')
      const a = await s.append('x')
      await waitUntil(() => batches.some((b) => b.items.includes('x')), 'live batch')
      await s.close()
      await done

      expect(batches[0]).toMatchObject({
        items: [0],
        phase: 'catch-up',
        upToDate: true,
        closed: false,
      })
      const liveBatch = batches.find((b) => b.items.includes('x'))!
      expect(liveBatch).toMatchObject({
        items: ['x'],
        nextOffset: a.nextOffset,
        phase: live,
        closed: false,
      })
      expect(liveBatch.cursor).toMatch(/^\d+$/)
      // Between data batches only empty up-to-date batches (tail reached / keep-alives) appear.
      for (const b of batches.slice(1)) {
        if (b.items.length === 0) expect(b.upToDate).toBe(true)
      }
      const last = batches.at(-1)!
      expect(last).toMatchObject({
        items: [],
        nextOffset: a.nextOffset,
        upToDate: true,
        closed: true,
        phase: live,
      })
      expect(r.nextOffset).toBe(a.nextOffset)
      expect(r.closed).toBe(true)
      expect(r.cursor).toMatch(/^\d+$/)
      expect(r.lastRequest?.params).toMatchObject({ offset: expect.any(String) as string, live })
    },
  )
})

describe('cursor echo', () => {
  it('every long-poll request echoes the previous Stream-Cursor', async () => {
    const s = await seeded([0])
    const r = s.readJson({ live: 'long-poll' })
    const items: unknown[] = []
    const done = (async () => {
      for await (const m of r) items.push(m)
    })()
    const polls = () => reqsOf(s).filter((q) => q.query.live === 'long-poll')
    for (const [i, v] of ['a', 'b', 'c'].entries()) {
      await waitUntil(() => polls().length >= i + 1, 'next long-poll')
      await delay(20)
      await s.append(v)
      await waitUntil(() => items.includes(v), `item ${v}`)
    }
    await s.close()
    await done
    const all = polls()
    expect(all.length).toBeGreaterThanOrEqual(4)
    expect(all[0]!.query.cursor).toBeUndefined() // the catch-up had no cursor
    for (let i = 1; i < all.length; i++) {
      const previous = all[i - 1]!.responseHeaders!['stream-cursor']
      expect(previous).toMatch(/^\d+$/)
      expect(all[i]!.query.cursor).toBe(previous)
    }
  })
})

describe('dynamic headers and params', () => {
  it('function values are evaluated per request; params are sent sorted', async () => {
    let h = 0
    let p = 0
    const local = recordingFetch()
    const c = new Client({
      baseUrl: srv.url,
      fetch: local.fetch,
      headers: { 'X-Req': () => `h${++h}`, 'x-static': 's' },
      params: { zeta: 'z', alpha: async () => `a${++p}`, Mid: () => 'm' },
    })
    const s = await c.create(path(), { contentType: 'application/json' })
    await s.append(1)
    let reads = 0
    const items: unknown[] = []
    const r = s.readJson({ live: 'long-poll', headers: { 'x-read': () => `r${++reads}` } })
    const done = (async () => {
      for await (const m of r) items.push(m)
    })()
    await waitUntil(() => local.requests.some((q) => q.query.live === 'long-poll'), 'long-poll')
    await s.append(2)
    await waitUntil(() => items.length === 2, 'second item')
    await s.close()
    await done
    await c.close()

    const all = local.requests
    expect(all.map((q) => q.headers['x-req'])).toEqual(all.map((_, i) => `h${i + 1}`))
    expect(all.map((q) => q.query.alpha)).toEqual(all.map((_, i) => `a${i + 1}`))
    for (const q of all) {
      expect(q.headers['x-static']).toBe('s')
      expect(q.query).toMatchObject({ zeta: 'z', Mid: 'm' })
      expect(q.queryKeys).toEqual([...q.queryKeys].sort())
    }
    const gets = all.filter((q) => q.method === 'GET')
    expect(gets.map((q) => q.headers['x-read'])).toEqual(gets.map((_, i) => `r${i + 1}`))
    expect(
      all.filter((q) => q.method !== 'GET').every((q) => q.headers['x-read'] === undefined),
    ).toBe(true)
    expect(gets[0]!.queryKeys).toEqual(['Mid', 'alpha', 'offset', 'zeta'])
    const withCursor = gets.find((q) => q.query.cursor !== undefined)!
    expect(withCursor.queryKeys).toEqual(['Mid', 'alpha', 'cursor', 'live', 'offset', 'zeta'])
    expect(withCursor.rawQuery).toMatch(
      /^Mid=m&alpha=a\d+&cursor=\d+&live=long-poll&offset=\d+_\d+&zeta=z$/,
    )
  })
})

describe('per-call headers and params', () => {
  it('every operation takes its own headers and params, on top of the handle and client ones', async () => {
    let k = 0
    const local = recordingFetch()
    const c = new Client({ baseUrl: srv.url, fetch: local.fetch, params: { client: 'c' } })
    const s = new Stream({
      url: c.resolve(path()),
      client: c,
      params: { handle: () => `h${++k}` },
      headers: { 'x-handle': 'h' },
    })
    const call = { headers: { 'x-call': 'y' }, params: { call: () => 'z' } }
    await s.createStream({ contentType: 'application/json', ...call })
    await s.head(call)
    await s.append(1, call)
    expect(await s.readJson({ live: false, ...call }).toArray()).toEqual([1])
    await s.close(call)
    await s.delete(call)
    await c.close()
    expect(local.requests.map((q) => q.method)).toEqual([
      'PUT',
      'HEAD',
      'POST',
      'GET',
      'POST',
      'DELETE',
    ])
    for (const [i, q] of local.requests.entries()) {
      expect(q.query).toMatchObject({ client: 'c', handle: `h${i + 1}`, call: 'z' })
      expect(q.queryKeys).toEqual([...q.queryKeys].sort())
      expect(q.headers).toMatchObject({ 'x-handle': 'h', 'x-call': 'y' })
    }
  })

  it('stream.lastRequest and reader.lastRequest show the evaluated values', async () => {
    let k = 0
    const s = client.stream(path(), { headers: { 'x-n': () => `n${++k}` } })
    expect(s.lastRequest).toBeUndefined()
    await s.createStream({ contentType: 'text/plain', params: { p: 'v' } })
    expect(s.lastRequest?.headers['x-n']).toBe('n1')
    expect(s.lastRequest?.params).toEqual({ p: 'v' })
    await s.append('x')
    expect(s.lastRequest?.headers['x-n']).toBe('n2')
    expect(s.lastRequest?.params).toEqual({})
    const r = s.readText({ live: false })
    await r.toArray()
    expect(r.lastRequest?.headers['x-n']).toBe('n3')
    expect(r.lastRequest?.params).toEqual({ offset: '-1' })
  })
})
