import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DurableStreams } from '../../src-shared/client/node.js'
import type { Stream } from '../../src-shared/client/index.js'
import { tempDir } from '../testing/harness.js'
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
async function seeded(name: string, count: number): Promise<{ stream: Stream; url: string }> {
  const url = `${base}/${name}`
  const stream = await DurableStreams.create({ url, contentType: 'application/json' })
  for (let i = 0; i < count; i++) await stream.append({ i, pad: 'x'.repeat(280) })
  return { stream, url }
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
    const { url } = await seeded('bounded/grow', 40)
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

    // A new reader from the middle starts small again.
    const mid = await rawRead(url, '-1').then((r) => rawRead(url, r.next))
    const fresh = await rawRead(url, mid.next)
    expect(fresh.count).toBe(14)
    const other = await fetch(`${url}?offset=${encodeURIComponent(mid.next)}`)
    await other.arrayBuffer()
    const again = await rawRead(url, mid.next)
    expect([again.count, again.upToDate]).toEqual([4, false])
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
