/**
 * Nothing leaks after an operation settles, whether it succeeded, timed out or was aborted:
 * no abort listener left on the caller's signal or the client's, no pending timer, no open
 * open request/socket. Hanging requests are served by a raw server, so the server adds no timers.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { AbortError, Client, TimeoutError, type Stream } from '../../src-shared/client/index.js'
import {
  abortListenerCount,
  activeTimeouts,
  delay,
  trackTimers,
  waitUntil,
  type TimerTracker,
} from '../helpers/leaks.js'
import { SSE_HEADERS, startRawServer, type RawServer } from '../helpers/raw-server.js'
import { startServer, type TestServer } from '../helpers/server.js'

let srv: TestServer
let hang: RawServer
beforeAll(async () => {
  srv = await startServer()
  // Answers nothing for `/hang*`; for `/sse*` sends the SSE headers and one control event,
  // then keeps the connection open; 503 + Retry-After for `/busy`.
  hang = await startRawServer((req, res, info) => {
    const p = info.url.pathname
    if (p.startsWith('/sse')) {
      res.writeHead(200, SSE_HEADERS)
      res.write(
        'event: control\ndata: {"streamNextOffset":"1_1","streamCursor":"1","upToDate":true}\n\n',
      )
      return
    }
    if (p === '/busy') {
      res.writeHead(503, { 'retry-after': '30' })
      res.end()
      return
    }
    req.resume() // hang: never answer
  })
})
afterAll(async () => {
  await hang.stop()
  await srv.stop()
})

/** How many requests/backoffs are registered with the client's close hub (private). */
const clientHooks = (c: Client): number => (c as unknown as { hub: { size: number } }).hub.size

let timers: TimerTracker
let timeoutsBefore = 0
beforeEach(() => {
  timeoutsBefore = activeTimeouts()
  timers = trackTimers()
})
afterEach(() => {
  timers.restore()
})

/** Waits for the event loop to settle, then checks that nothing is left behind. */
async function expectNoLeaks(c: Client, signal?: AbortSignal): Promise<void> {
  // The connection that carried the request was torn down (undici may open a fresh idle
  // connection afterwards; that one is the pool's, not a leak).
  await hang.waitForNoOpenRequests()
  await delay(20)
  // Precise: no timer created by the client is still pending.
  expect(timers.pending()).toBe(0)
  // Coarse cross-check over the whole process (in-process servers add transient timers).
  await waitUntil(() => activeTimeouts() <= timeoutsBefore, 'process timers back to baseline')
  expect(clientHooks(c)).toBe(0)
  if (signal) expect(abortListenerCount(signal)).toBe(0)
}

describe('after success (real server)', () => {
  it('every operation removes its listeners from the caller and client signals', async () => {
    const c = new Client({
      baseUrl: srv.url,
      retry: { maxRetries: 1, initialDelayMs: 5, maxDelayMs: 5 },
    })
    const ac = new AbortController()
    const signal = ac.signal
    const s: Stream = c.stream(`/t/leak-${process.pid}`)
    await s.createStream({ contentType: 'application/json', signal })
    await s.head({ signal })
    await s.append({ a: 1 }, { signal })
    expect(await s.readJson({ live: false, signal }).toArray()).toEqual([{ a: 1 }])
    expect(await s.readAll({ signal })).toEqual([{ a: 1 }])
    await s.close({ signal })
    // An SSE read to EOF on the closed stream.
    expect(await s.readJson({ live: 'sse', signal }).toArray()).toEqual([{ a: 1 }])
    await s.delete({ signal })
    expect(abortListenerCount(signal)).toBe(0)
    expect(clientHooks(c)).toBe(0)
    expect(timers.pending()).toBe(0)
    await c.close()
  })
})

describe('after timeout or abort (raw hanging server)', () => {
  it('a timed-out request leaves no timer, listener or socket', async () => {
    const c = new Client({ baseUrl: hang.url, timeout: 100, retry: { maxRetries: 0 } })
    const ac = new AbortController()
    await expect(c.stream('/hang').head({ signal: ac.signal })).rejects.toBeInstanceOf(TimeoutError)
    await expectNoLeaks(c, ac.signal)
  })

  it('an aborted append leaves no timer, listener or socket', async () => {
    const c = new Client({ baseUrl: hang.url })
    const ac = new AbortController()
    const p = c.stream('/hang', { contentType: 'text/plain' }).append('x', { signal: ac.signal })
    await waitUntil(() => hang.openRequests() === 1, 'request open')
    expect(abortListenerCount(ac.signal)).toBe(1)
    expect(timers.pending()).toBe(1) // the request timeout
    ac.abort()
    await expect(p).rejects.toBeInstanceOf(AbortError)
    await expectNoLeaks(c, ac.signal)
  })

  it('an aborted long-poll read leaves no timer, listener or socket', async () => {
    const c = new Client({ baseUrl: hang.url })
    const ac = new AbortController()
    const r = c
      .stream('/hang', { contentType: 'application/octet-stream' })
      .readBytes({ offset: 'now', live: 'long-poll', signal: ac.signal })
    const done = r.toArray()
    await waitUntil(() => hang.openRequests() === 1, 'long-poll open')
    ac.abort()
    expect(await done).toEqual([])
    await expectNoLeaks(c, ac.signal)
  })

  it('an SSE read stopped with reader.close() leaves no timer, listener or socket', async () => {
    const c = new Client({ baseUrl: hang.url })
    const ac = new AbortController()
    const r = c
      .stream('/sse', { contentType: 'application/json' })
      .readJson({ offset: 'now', live: 'sse', signal: ac.signal })
    const batches: unknown[] = []
    const done = (async () => {
      for await (const b of r.batches()) batches.push(b)
    })()
    await waitUntil(() => batches.length === 1, 'first control event')
    // The request timeout only covers the wait for headers; what is left is the one idle
    // watchdog of the open connection (it is cleared below, with the read).
    expect(timers.pending()).toBe(1)
    r.close()
    await done
    await expectNoLeaks(c, ac.signal)
  })

  it('an abort during retry backoff leaves no timer, listener or socket', async () => {
    const c = new Client({
      baseUrl: hang.url,
      retry: { maxRetries: 3, initialDelayMs: 10, maxDelayMs: 10 },
    })
    const ac = new AbortController()
    const p = c.stream('/busy').head({ signal: ac.signal })
    await waitUntil(() => hang.requests.some((r) => r.url.pathname === '/busy'), 'first attempt')
    await delay(50)
    ac.abort()
    await expect(p).rejects.toBeInstanceOf(AbortError)
    await expectNoLeaks(c, ac.signal)
  })

  it('client.close() during many hanging requests leaves nothing behind', async () => {
    const c = new Client({ baseUrl: hang.url })
    const ops = [
      c
        .stream('/hang1')
        .head()
        .catch((e: unknown) => e),
      c
        .stream('/hang2', { contentType: 'text/plain' })
        .append('x')
        .catch((e: unknown) => e),
      c
        .stream('/hang3', { contentType: 'application/json' })
        .readJson({ offset: 'now', live: 'long-poll' })
        .toArray()
        .catch((e: unknown) => e),
      c
        .stream('/sse4', { contentType: 'application/json' })
        .readJson({ offset: 'now', live: 'sse' })
        .toArray()
        .catch((e: unknown) => e),
    ]
    await waitUntil(() => hang.openRequests() === 4, 'four requests open')
    expect(clientHooks(c)).toBe(4)
    await c.close()
    const results = await Promise.all(ops)
    for (const r of results) expect((r as Error).name).toBe('ClosedError')
    await expectNoLeaks(c)
  })
})
