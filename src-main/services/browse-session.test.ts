/**
 * A browse session over a large JSON response: the response arrives in pieces (progressive
 * read), each indexed with its skip, shown before the download ends; evicted pieces are re-read
 * from the response's offset past their skip; the timeline records the response once.
 */
import { afterAll, beforeAll, expect, it } from 'vitest'
import { Client } from '../../src-shared/client/node.js'
import { startServer, type TestServer } from '../../test/helpers/server.js'
import { BrowseSession } from './browse-session.js'

let srv: TestServer
let client: Client
beforeAll(async () => {
  srv = await startServer()
  client = new Client({ baseUrl: srv.url })
})
afterAll(async () => {
  await client.close()
  await srv.stop()
})

it('indexes a large response in pieces and re-reads evicted pieces by offset and skip', async () => {
  const n = 50_000
  const stream = await client.create(`/v1/stream/browse-pieces-${Date.now()}`, {
    contentType: 'application/json',
  })
  const body = JSON.stringify(Array.from({ length: n }, (_, i) => ({ i, pad: 'p'.repeat(20) })))
  expect(
    (
      await fetch(stream.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      })
    ).status,
  ).toBe(204)
  const totals: number[] = []
  const session: BrowseSession = new BrowseSession({
    id: 's1',
    ownerId: 'w1',
    stream,
    contentType: 'application/json',
    startOffset: '-1',
    live: 'long-poll',
    maxCached: 5_000,
    onChange: () => totals.push(session.index.total),
  })
  session.start()
  for (let k = 0; k < 200 && !session.upToDate; k++) await new Promise((r) => setTimeout(r, 20))
  expect(session.upToDate).toBe(true)
  expect(session.index.total).toBe(n)
  // Rows were available before the whole response was read.
  expect(totals.find((t) => t > 0)).toBeLessThan(n)

  const pieces = session.index.batches
  expect(pieces.length).toBeGreaterThan(2)
  expect(new Set(pieces.map((b) => `${b.start}→${b.end}`)).size).toBe(1) // one response
  expect(pieces.map((b) => b.skip)).toEqual(pieces.map((b) => b.first))
  expect(session.index.cachedCount()).toBeLessThanOrEqual(5_000 + pieces.at(-1)!.count)

  // The first pieces were evicted: reading them again goes back to the server.
  const mid = pieces[1]!
  expect(session.index.peek(mid.n)).toBeNull()
  const page = await session.page(mid.first + 3, 2, 'all')
  expect(page.rows.map((r) => (r.payload as { value: { i: number } }).value.i)).toEqual([
    mid.first + 3,
    mid.first + 4,
  ])
  expect(page.rows[0]!.inBatch).toBe(mid.first + 3) // position within the response
  expect(session.locate('-1')).toBe(0)

  const t = session.timeline.snapshot()
  const catchUp = t.segments.filter((s) => s.kind === 'catch-up')
  expect(catchUp).toHaveLength(1)
  expect(catchUp[0]).toMatchObject({ firstIndex: 0, count: n, responses: 1 })
  expect(session.responses).toBe(1)
  await session.dispose()
})
