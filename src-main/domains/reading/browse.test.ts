import { afterEach, describe, expect, it } from 'vitest'
import type { ConnectionInfo } from '../../../src-shared/contract/index.js'
import type { BrowsePage, BrowseProgress } from '../../../src-shared/contract/index.js'
import { EventLog, startTestApp, tempDir, waitFor } from '../../testing/harness.js'
import type { RunningApp } from '../../core/app.js'

/** A streams.append body holding one JSON message. */
const json = (value: unknown) => ({ kind: 'jsonText', text: JSON.stringify([value]) })

const cleanups: Array<() => Promise<void> | void> = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

async function app(): Promise<RunningApp> {
  const dir = tempDir()
  const a = await startTestApp({ userDataDir: dir.path })
  cleanups.push(
    () => dir.remove(),
    () => a.stop(),
  )
  return a
}

async function call<T>(a: RunningApp, method: string, params: unknown, owner = 'w1'): Promise<T> {
  const r = await a.core.handle(owner, method, params)
  if (!r.ok) throw new Error(`${method}: ${r.error.message}`)
  return r.value as T
}

const conn = { connectionId: 'local', path: 'b' }

describe('browse sessions against the embedded server', () => {
  it('indexes batches, pages by position with offset ranges, locates, searches, tails live', async () => {
    const a = await app()
    const log = new EventLog()
    a.core.attach('w1', log.sink)
    await call(a, 'streams.create', { ...conn, contentType: 'application/json' })
    const ends: string[] = []
    for (let n = 0; n < 6; n++) {
      const r = await call<{ nextOffset: string }>(a, 'streams.append', {
        ...conn,
        body: json(n % 2 ? { n, odd: true } : { n }),
      })
      ends.push(r.nextOffset)
    }
    const { sessionId } = await call<{ sessionId: string }>(a, 'reading.open', conn)
    const last = (): BrowseProgress | undefined => log.of<BrowseProgress>('reading.progress').at(-1)
    await waitFor(() => last()?.upToDate === true && last()?.total === 6, 5000, 'catch-up').catch(
      (err: unknown) => {
        throw new Error(`${String(err)}: ${JSON.stringify(log.events.slice(-3))}`)
      },
    )
    const page = await call<BrowsePage>(a, 'reading.page', { sessionId, from: 2, count: 3 })
    expect(page.total).toBe(6)
    expect(page.rows.map((r) => (r.payload as { value: { n: number } }).value.n)).toEqual([2, 3, 4])
    // Each row carries its batch's offset range: start = previous batch's next offset.
    const r0 = page.rows[0]!
    expect(r0.endOffset > r0.startOffset || r0.startOffset === '-1').toBe(true)
    expect(page.rows.every((r) => r.receivedAt > 0)).toBe(true)

    const located = await call<{ index: number }>(a, 'reading.locate', {
      sessionId,
      offset: r0.startOffset,
    })
    expect(located.index).toBeLessThanOrEqual(2)
    const bad = await a.core.handle('w1', 'reading.locate', { sessionId, offset: 'zzzz' })
    expect(bad.ok).toBe(false)

    const s = await call<{ matchCount: number }>(a, 'reading.search', {
      sessionId,
      filter: { path: 'odd == true' },
    })
    expect(s.matchCount).toBe(3)
    const matches = await call<BrowsePage>(a, 'reading.page', {
      sessionId,
      from: 0,
      count: 10,
      view: 'matches',
    })
    expect(matches.rows.map((r) => r.index)).toEqual([1, 3, 5])
    const badFilter = await a.core.handle('w1', 'reading.search', {
      sessionId,
      filter: { path: 'a..b' },
    })
    expect(badFilter.ok ? '' : badFilter.error.message).toMatch(/Invalid JSON path/)

    // Live messages are indexed (and matched) as they arrive.
    await call(a, 'reading.search', { sessionId, filter: { text: 'live' } })
    await call(a, 'streams.append', { ...conn, body: json({ live: 1 }) })
    await waitFor(() => last()?.total === 7 && last()?.matchCount === 1, 5000, 'live message')
    expect(last()?.timeline.segments.some((seg) => seg.kind === 'live')).toBe(true)
    expect(last()?.timeline.markers.some((m) => m.kind === 'up-to-date')).toBe(true)

    // Switching the live mode restarts from the last offset without duplicates.
    await call(a, 'reading.setLive', { sessionId, live: 'long-poll' })
    await call(a, 'streams.append', { ...conn, body: json({ after: 1 }) })
    await waitFor(() => last()?.total === 8 && last()?.live === 'long-poll', 5000, 'long-poll')
    expect(last()?.reconnects).toBe(1)
    const curl = await call<{ command: string }>(a, 'reading.curl', { sessionId })
    expect(curl.command).toMatch(/^curl .*offset=.*live=long-poll/)

    await call(a, 'streams.close', conn)
    await waitFor(() => last()?.state === 'closed', 5000, 'closed')
    expect(last()?.timeline.markers.some((m) => m.kind === 'closed')).toBe(true)
  })

  it('evicted batches are re-read by offset; sessions die with their owner', async () => {
    const a = await app()
    a.core.attach('w2', () => undefined)
    await call(a, 'streams.create', { ...conn, contentType: 'application/json' })
    for (let i = 0; i < 4; i++) {
      await call(a, 'streams.append', { ...conn, body: json({ i }) })
    }
    const { sessionId } = await call<{ sessionId: string }>(a, 'reading.open', conn, 'w2')
    await waitFor(
      () =>
        (
          a.core as unknown as { services: { browse: { count(): number } } }
        ).services.browse.count() === 1,
    )
    let page: BrowsePage = { from: 0, rows: [], total: 0 }
    for (let tries = 0; page.total < 4 && tries < 100; tries++) {
      await new Promise((r) => setTimeout(r, 20))
      page = await call<BrowsePage>(a, 'reading.page', { sessionId, from: 0, count: 4 }, 'w2')
    }
    expect(page.rows.map((r) => (r.payload as { value: { i: number } }).value.i)).toEqual([
      0, 1, 2, 3,
    ])
    const other = await a.core.handle('w1', 'reading.page', { sessionId, from: 0, count: 1 })
    expect(other.ok).toBe(false)
    a.core.detach('w2')
    const after = await a.core.handle('w2', 'reading.page', { sessionId, from: 0, count: 1 })
    expect(after.ok).toBe(false)
  })
})

describe('browse session lifecycle races', () => {
  it('browse.open still in flight when its owner goes away leaves no session behind', async () => {
    const a = await app()
    a.core.attach('ws:X', () => undefined)
    await call(a, 'streams.create', { ...conn, contentType: 'application/json' })
    const pending = a.core.handle('ws:X', 'reading.open', conn)
    a.core.detach('ws:X') // socket closed while the HEAD is on the wire
    const r = await pending
    expect(r).toMatchObject({ ok: false, error: { name: 'OwnerGoneError' } })
    expect(a.browse.count('ws:X')).toBe(0)
    expect(a.browse.count()).toBe(0)
    // The same owner id (Electron reuses wc:N after a reload) can open again afterwards.
    a.core.attach('ws:X', () => undefined)
    await call(a, 'reading.open', conn, 'ws:X')
    expect(a.browse.count('ws:X')).toBe(1)
  })

  it('concurrent reconnect and setLive run one reader at a time (no duplicate rows)', async () => {
    const a = await app()
    a.core.attach('w1', () => undefined)
    await call(a, 'streams.create', { ...conn, contentType: 'application/json' })
    for (let i = 0; i < 5; i++) {
      await call(a, 'streams.append', { ...conn, body: json(i) })
    }
    const { sessionId } = await call<{ sessionId: string }>(a, 'reading.open', {
      ...conn,
      live: 'long-poll',
    })
    const page = (): Promise<BrowsePage> =>
      call<BrowsePage>(a, 'reading.page', { sessionId, from: 0, count: 100 })
    for (let tries = 0; (await page()).total < 5 && tries < 200; tries++) {
      await new Promise((r) => setTimeout(r, 10))
    }
    await Promise.all([
      call(a, 'reading.reconnect', { sessionId }),
      call(a, 'reading.setLive', { sessionId, live: 'long-poll' }),
      call(a, 'reading.reconnect', { sessionId }),
    ])
    await call(a, 'streams.append', { ...conn, body: json('new') })
    for (let tries = 0; (await page()).total < 6 && tries < 200; tries++) {
      await new Promise((r) => setTimeout(r, 10))
    }
    await new Promise((r) => setTimeout(r, 300)) // room for a second reader to add a duplicate
    const rows = (await page()).rows.map((r) => (r.payload as { value: unknown }).value)
    expect(rows).toEqual([0, 1, 2, 3, 4, 'new'])
  })
})

describe('copy as curl', () => {
  it('single-quotes header names so `$` and backticks in them are not expanded by a shell', async () => {
    const a = await app()
    a.core.attach('w1', () => undefined)
    const base = a.embedded?.baseUrl
    if (!base) throw new Error('no embedded server')
    const profile = await call<ConnectionInfo>(a, 'connections.save', {
      name: 'Odd',
      baseUrl: base,
      headers: [{ name: 'X-$HOME`id`', value: 'v' }],
    })
    const ref = { connectionId: profile.id, path: 'curl' }
    await call(a, 'streams.create', { ...ref, contentType: 'application/json' })
    const { sessionId } = await call<{ sessionId: string }>(a, 'reading.open', ref)
    const { command } = await call<{ command: string }>(a, 'reading.curl', { sessionId })
    expect(command).toContain(`-H 'X-$HOME\`id\`: '"\${DSI_X__HOME_ID_}"`)
  })
})
