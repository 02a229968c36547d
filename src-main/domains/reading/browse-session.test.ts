/**
 * A browse session over a large JSON response: the response arrives in pieces (progressive
 * read), each indexed with its skip, shown before the download ends; evicted pieces are re-read
 * from the response's offset past their skip; the timeline records the response once.
 */
import { setTimeout as delay } from 'node:timers/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Client } from '../../../src-shared/client/node.js'
import { useSwitchableRawServer } from '../../../test/helpers/switchable-raw-server.js'
import { startServer, type TestServer } from '../../../test/helpers/server.js'
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

describe('a response still arriving in pieces', () => {
  const raw = useSwitchableRawServer()
  const N = 20_000
  const body = JSON.stringify(Array.from({ length: N }, (_, i) => ({ i, pad: 'z'.repeat(30) })))
  const headers = {
    'content-type': 'application/json',
    'stream-next-offset': 'B',
    'stream-up-to-date': 'true',
  }

  function session(c: Client, maxCached = 1_000_000): BrowseSession {
    return new BrowseSession({
      id: 's',
      ownerId: 'w',
      stream: c.stream('/s'),
      contentType: 'application/json',
      startOffset: 'A',
      live: 'long-poll',
      maxCached,
      onChange: () => undefined,
    })
  }

  it('locate() finds its first rows; a restart mid-way reads it again without duplicate rows', async () => {
    raw.handler = (_req, res, n) => {
      res.writeHead(200, headers)
      if (n === 1)
        res.write(body.slice(0, 100_000)) // stays open: the response is mid-way
      else if (n === 2) res.end(body)
      // later: live long-polls that never answer
    }
    const c = new Client({ baseUrl: raw.url, timeout: 60_000 })
    const s = session(c)
    s.start()
    for (let k = 0; k < 200 && s.index.total === 0; k++) await delay(10)
    expect(s.index.total).toBeGreaterThan(0)
    expect(s.index.total).toBeLessThan(N)
    expect(s.locate('A')).toBe(0) // not the end of the list
    await s.restart()
    for (let k = 0; k < 200 && s.index.total < N; k++) await delay(10)
    await delay(50)
    expect(s.index.total).toBe(N)
    const rows = (await s.page(0, N, 'all')).rows.map(
      (r) => (r.payload as { value: { i: number } }).value.i,
    )
    expect(rows).toEqual(Array.from({ length: N }, (_, i) => i))
    await s.dispose()
    await c.close()
  })

  it('a restart while a search is scanning starts the search over (no doubled matches)', async () => {
    const M = 60_000
    const long = JSON.stringify(Array.from({ length: M }, (_, i) => ({ i, pad: 'z'.repeat(30) })))
    let catchUps = 0
    raw.handler = (req, res) => {
      if (new URL(req.url ?? '/', 'http://x').searchParams.has('live')) return // never answers
      const n = ++catchUps
      res.writeHead(200, headers)
      if (n === 1) {
        res.write(long.slice(0, 1_300_000)) // two pieces, then it stays open
      } else if (n === 2) {
        setTimeout(() => res.end(long), 300) // the search's slow re-read
      } else res.end(long)
    }
    const c = new Client({ baseUrl: raw.url, timeout: 60_000 })
    const s = session(c, 1_000)
    s.start()
    for (let k = 0; k < 300 && s.index.batches.length < 2; k++) await delay(10)
    expect(s.index.peek(s.index.batches[0]!.n)).toBeNull() // evicted: the search must re-read it
    const search = s.setFilter({ text: 'zzz' }) // matches every message
    await delay(50)
    await s.restart()
    await search
    for (let k = 0; k < 300 && !(s.upToDate && s.progress().searching === false); k++)
      await delay(10)
    const p = s.progress()
    expect(p.total).toBe(M)
    expect(p.matchCount).toBe(M)
    await s.dispose()
    await c.close()
  })

  it('a search over evicted pieces reads the response once, not once per piece', async () => {
    const big = JSON.stringify(Array.from({ length: N }, (_, i) => ({ i, pad: 'z'.repeat(100) })))
    let catchUps = 0
    raw.handler = (req, res) => {
      if (new URL(req.url ?? '/', 'http://x').searchParams.has('live')) return // never answers
      catchUps++
      res.writeHead(200, headers)
      res.end(big)
    }
    const c = new Client({ baseUrl: raw.url, timeout: 60_000 })
    const s = session(c, 2_000)
    s.start()
    for (let k = 0; k < 300 && !s.upToDate; k++) await delay(10)
    expect(s.index.batches.length).toBeGreaterThan(2)
    expect(catchUps).toBe(1)
    expect(await s.setFilter({ text: '"i":1234,' })).toBe(1)
    // Every piece but the cached last ones was evicted: one GET re-read them all.
    expect(catchUps).toBe(2)
    await s.dispose()
    await c.close()
  })
})

it('a regex that backtracks for ever stops after its budget instead of freezing the process', async () => {
  const stream = await client.create(`/v1/stream/browse-redos-${Date.now()}`, {
    contentType: 'application/json',
  })
  const msgs = [
    ...Array.from({ length: 2_000 }, (_, i) => ({ s: `aaa${i}` })),
    { s: 'a'.repeat(30) + 'b' }, // /^(a+)+$/ needs ~2^30 steps here: seconds of a frozen process
  ]
  const res = await fetch(stream.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(msgs),
  })
  expect(res.status).toBe(204)
  const session: BrowseSession = new BrowseSession({
    id: 's-redos',
    ownerId: 'w1',
    stream,
    contentType: 'application/json',
    startOffset: '-1',
    live: 'long-poll',
    maxCached: 5_000,
    onChange: () => undefined,
  })
  session.start()
  for (let k = 0; k < 200 && !session.upToDate; k++) await delay(20)
  expect(session.index.total).toBe(msgs.length)
  // A sane regex still searches everything.
  expect(await session.setFilter({ path: '$.s =~ /^aaa1\\d*$/' })).toBe(1_111)
  const started = Date.now()
  await expect(session.setFilter({ path: '$.s =~ /^(a+)+$/' })).rejects.toMatchObject({
    code: 'INVALID_ARGUMENT',
    message: /regex \/\^\(a\+\)\+\$\/ took over 2 s .* backtracks too much/,
  })
  expect(Date.now() - started).toBeLessThan(6_000)
  expect(session.progress().matchCount).toBeNull() // no half-done search is left
  await session.dispose()
}, 30_000)
