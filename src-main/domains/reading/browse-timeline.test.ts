/**
 * The browse session's timeline counts body bytes where the reader knows them: text and
 * binary streams read from a real server (exactly what was appended, also per second); JSON
 * streams say null rather than a guess.
 */
import { afterAll, beforeAll, expect, it } from 'vitest'
import { Client } from '../../../src-shared/client/node.js'
import { startServer, type TestServer } from '../../../test/helpers/server.js'
import { BrowseSession } from './browse-session.js'
import { Timeline } from './browse-timeline.js'

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

async function readAll(path: string, contentType: string, bodies: Uint8Array[]) {
  const stream = await client.create(`/v1/stream/${path}-${Date.now()}`, { contentType })
  for (const body of bodies) {
    const r = await fetch(stream.url, {
      method: 'POST',
      headers: { 'content-type': contentType },
      body: new Blob([new Uint8Array(body)]),
    })
    expect(r.status).toBe(204)
  }
  const session = new BrowseSession({
    id: 's1',
    ownerId: 'w1',
    stream,
    contentType,
    startOffset: '-1',
    live: 'long-poll',
    maxCached: 1_000,
    onChange: () => undefined,
  })
  session.start()
  try {
    await expect.poll(() => session.upToDate, { timeout: 5_000 }).toBe(true)
    return session.progress().timeline
  } finally {
    await session.dispose()
  }
}

it('counts the body bytes of a text stream (UTF-8), in total and per second', async () => {
  const enc = new TextEncoder()
  const parts = ['héllo ', 'wörld ', '→ done'].map((t) => enc.encode(t))
  const t = await readAll('tl-bytes-text', 'text/plain', parts)
  const sent = parts.reduce((a, p) => a + p.byteLength, 0)
  expect(t.bytes).toBe(sent)
  expect(t.bytesPerSecond?.reduce((a, b) => a + b, 0)).toBe(sent)
})

it('counts the body bytes of a binary stream', async () => {
  const parts = [new Uint8Array([0, 1, 2, 255]), new Uint8Array(1000).fill(7)]
  const t = await readAll('tl-bytes-bin', 'application/octet-stream', parts)
  expect(t.bytes).toBe(1004)
})

it('says null for JSON streams, whose reads hand out parsed messages only', async () => {
  const t = await readAll('tl-bytes-json', 'application/json', [
    new TextEncoder().encode(JSON.stringify([{ a: 1 }, { a: 2 }])),
  ])
  expect(t.bytes).toBeNull()
  expect(t.bytesPerSecond).toBeNull()
})

it('ages the byte buckets with the message buckets', () => {
  let now = 1_800_000_000_000
  const tl = new Timeline(() => now)
  const r = {
    start: 'a',
    end: 'b',
    firstIndex: 0,
    count: 2,
    phase: 'long-poll' as const,
    upToDate: true,
    closed: false,
  }
  tl.response({ ...r, at: now, bytes: 10 })
  now += 1000
  tl.response({ ...r, at: now, bytes: 5 })
  now += 3000
  const s = tl.snapshot()
  expect(s.sparkline.slice(-5)).toEqual([2, 2, 0, 0, 0])
  expect(s.bytesPerSecond?.slice(-5)).toEqual([10, 5, 0, 0, 0])
  expect(s.bytes).toBe(15)
})
