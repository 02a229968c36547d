import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DurableStreams } from '../../../src-shared/client/node.js'
import type { Stream } from '../../../src-shared/client/index.js'
import { tempDir } from '../../testing/harness.js'
import { boundReads, type ReadableStore } from './bounded-reads.js'
import { EmbeddedServer } from './embedded-server.js'

// Small bounds so a few kilobytes show the behaviour: 1000 bytes, then 2000, then 4000 at most.
const dir = tempDir()
const server = new EmbeddedServer({
  userDataDir: dir.path,
  boundedReads: { firstBytes: 1000, growth: 2, maxBytes: 4000 },
})
let base = ''

beforeAll(async () => {
  base = await server.start()
})
afterAll(async () => {
  await server.stop()
  dir.remove()
})

/** One stored record per append: `{"i":n,"pad":"…"}`, about 300 bytes each. */
async function seeded(
  name: string,
  count: number,
): Promise<{ stream: Stream; url: string; offsets: string[] }> {
  const url = `${base}/${name}`
  const stream = await DurableStreams.create({ url, contentType: 'application/json' })
  const offsets: string[] = []
  for (let i = 0; i < count; i++) {
    const r = await stream.append({ i, pad: 'x'.repeat(280) })
    offsets.push(r.nextOffset ?? '')
  }
  return { stream, url, offsets }
}

interface RawRead {
  count: number
  next: string
  upToDate: boolean
  closed: boolean
}

async function rawRead(url: string, offset: string): Promise<RawRead> {
  const res = await fetch(`${url}?offset=${encodeURIComponent(offset)}`)
  expect(res.status).toBe(200)
  const body = (await res.json()) as unknown[]
  return {
    count: body.length,
    next: res.headers.get('stream-next-offset') ?? '',
    upToDate: res.headers.get('stream-up-to-date') === 'true',
    closed: res.headers.get('stream-closed') === 'true',
  }
}

describe('bounded catch-up reads on the embedded server', () => {
  it('ends a catch-up response early, grows the bound on each continuation, and says up-to-date only at the tail', async () => {
    const { url, offsets } = await seeded('bounded/grow', 40)
    const sizes: number[] = []
    let offset = '-1'
    let last: RawRead | null = null
    while (!last?.upToDate) {
      last = await rawRead(url, offset)
      sizes.push(last.count)
      offset = last.next
    }
    // ~300 B each: 1000 B → 4 records, then 2000 → 7, then 4000 → 14 (capped), 14, rest.
    expect(sizes).toEqual([4, 7, 14, 14, 1])
    expect(sizes.reduce((a, b) => a + b)).toBe(40)

    // A reader from any other offset starts small again; one from where a bounded response
    // ended is taken for a continuation (it gets that response's grown bound).
    const fresh = await rawRead(url, offsets[9]!)
    expect([fresh.count, fresh.upToDate]).toEqual([4, false])
    const continuing = await rawRead(url, (await rawRead(url, '-1')).next)
    expect(continuing.count).toBe(7)
  })

  it('readers catching up side by side all get the grown bounds', async () => {
    const { url } = await seeded('bounded/side-by-side', 40)
    const a1 = await rawRead(url, '-1')
    const b1 = await rawRead(url, '-1')
    expect([a1.count, b1.count]).toEqual([4, 4])
    const a2 = await rawRead(url, a1.next)
    const b2 = await rawRead(url, b1.next)
    expect([a2.count, b2.count]).toEqual([7, 7])
  })

  it('leaves the SSE catch-up unbounded: one pass, one control event', async () => {
    const { stream, url } = await seeded('bounded/sse', 20)
    await stream.close()
    const res = await fetch(`${url}?offset=-1&live=sse`)
    const text = await res.text()
    expect(text.match(/^event: data$/gm)?.length).toBe(20)
    expect(text.match(/^event: control$/gm)?.length).toBe(1)
    expect(text).toContain('"streamClosed":true')
  })

  it('answers a conditional read in full: a bounded response may share an older ETag', async () => {
    const url = `${base}/bounded/etag`
    const stream = await DurableStreams.create({ url, contentType: 'application/json' })
    await stream.append({ big: 'z'.repeat(5000) })
    const first = await fetch(`${url}?offset=-1`)
    await first.arrayBuffer()
    const etag = first.headers.get('etag') ?? ''
    expect(first.headers.get('stream-up-to-date')).toBe('true')
    await stream.append({ more: true })
    const again = await fetch(`${url}?offset=-1`, { headers: { 'if-none-match': etag } })
    expect(again.status).toBe(200)
    await again.arrayBuffer()
    // The same offset range as before, but no longer the tail.
    expect(again.headers.get('etag')).toBe(etag)
    expect(again.headers.get('stream-up-to-date')).toBeNull()
  })

  it('returns a record larger than the bound whole', async () => {
    const url = `${base}/bounded/huge`
    const stream = await DurableStreams.create({ url, contentType: 'application/json' })
    await stream.append({ big: 'y'.repeat(10_000) })
    await stream.append({ small: true })
    const first = await rawRead(url, '-1')
    expect([first.count, first.upToDate]).toEqual([1, false])
    const rest = await rawRead(url, first.next)
    expect([rest.count, rest.upToDate]).toEqual([1, true])
  })

  it('every reader (catch-up, long-poll, SSE) gets every message once, in order, and EOF on a closed stream', async () => {
    const { stream } = await seeded('bounded/readers', 60)
    await stream.close()
    const expected = Array.from({ length: 60 }, (_, i) => i)
    for (const live of [false, 'long-poll', 'sse'] as const) {
      const seen: number[] = []
      let responses = 0
      let closed = false
      for await (const b of stream.readJson<{ i: number }>({ live }).batches()) {
        responses++
        seen.push(...b.items.map((m) => m.i))
        closed = b.closed
      }
      expect(seen, `live: ${String(live)}`).toEqual(expected)
      expect(closed).toBe(true)
      expect(responses).toBeGreaterThan(1)
    }
  })

  it('refuses bounds that could never return a message', () => {
    const store: ReadableStore = { read: () => ({ messages: [], upToDate: true }) }
    expect(() => boundReads(store, { firstBytes: 0 })).toThrow(RangeError)
    expect(() => boundReads(store, { firstBytes: 10, maxBytes: 5 })).toThrow(/maxBytes/)
  })
})
