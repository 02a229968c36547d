/**
 * Issue #11, defect 3: a plain append (no `seq`, no producer headers) is not idempotent, so it
 * is retried only when it provably never reached the server (connection refused, DNS, 429 and
 * 503 answers). Any other failure after sending raises AppendOutcomeUnknownError, which points
 * to IdempotentProducer; `appendRetry: 'at-least-once'` opts into retrying anyway.
 */
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { describe, expect, it } from 'vitest'
import {
  AppendOutcomeUnknownError,
  Client,
  ConnectionError,
  FetchError,
  InvalidArgumentError,
  TimeoutError,
  isAppendOutcomeUnknownError,
  type Stream,
} from '../../src-shared/client/index.js'
import {
  raw,
  requestsOf,
  route as routeOn,
  useRoutedRawServer,
} from '../helpers/routed-raw-server.js'
import type { RawHandler } from '../helpers/raw-server.js'
import { startChaosProxy } from '../helpers/chaos-proxy.js'
import { startServer } from '../helpers/server.js'

useRoutedRawServer()

const TEXT = 'text/plain'
const route = (handler: RawHandler): Stream => routeOn('append', TEXT, handler)
const posts = (s: Stream): number => requestsOf(s).filter((r) => r.method === 'POST').length

/** Reads the request body, then runs `then`. */
const afterBody =
  (then: (res: http.ServerResponse, n: number) => void): RawHandler =>
  (req, res) => {
    req.resume()
    req.on('end', () => then(res, ++count))
  }
let count = 0

const stored = (res: http.ServerResponse): void => {
  res.writeHead(204, { 'stream-next-offset': '1_1' })
  res.end()
}
const answer = (res: http.ServerResponse, status: number, extra: http.OutgoingHttpHeaders = {}) => {
  res.writeHead(status, { 'content-type': 'text/plain', ...extra })
  res.end(`status ${status}`)
}

async function failure(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => undefined,
    (e: unknown) => e,
  )
}

/** The reference server behind a proxy that loses the answer to the first POST. */
async function lostFirstAnswer(
  name: string,
  body: (s: Stream) => Promise<unknown>,
): Promise<{ err: unknown; text: string; dropped: number }> {
  const srv = await startServer()
  const proxy = await startChaosProxy(srv.url)
  let first = true
  proxy.shouldDrop = (req) => {
    if (req.method !== 'POST' || !first) return false
    first = false
    return true
  }
  const c = new Client({ baseUrl: proxy.url, retry: { initialDelayMs: 5 } })
  try {
    const url = srv.streamUrl(name).replace(srv.url, proxy.url)
    const s = await c.create(url, { contentType: TEXT })
    const err = await failure(body(s))
    const text = (await s.readText({ live: false }).toArray()).join('')
    return { err, text, dropped: proxy.dropped }
  } finally {
    await c.close()
    await proxy.close()
    await srv.stop()
  }
}

describe('plain append: outcome unknown is not retried', () => {
  it('connection lost after the body was sent: AppendOutcomeUnknownError, one POST', async () => {
    const s = route(afterBody((res) => res.socket?.destroy()))
    const err = await failure(s.append('once\n'))
    expect(err).toBeInstanceOf(AppendOutcomeUnknownError)
    const e = err as AppendOutcomeUnknownError
    expect(e.code).toBe('APPEND_OUTCOME_UNKNOWN')
    expect(e.url).toBe(s.url)
    expect(e.message).toMatch(/IdempotentProducer/)
    expect(e.cause).toBeInstanceOf(ConnectionError)
    expect(posts(s)).toBe(1)
  })

  it.each([500, 502, 504])('a %i answer: AppendOutcomeUnknownError with the status', async (st) => {
    const s = route(afterBody((res, n) => (n % 2 === 1 ? answer(res, st) : stored(res))))
    count = 0
    const err = await failure(s.append('x'))
    expect(err).toBeInstanceOf(AppendOutcomeUnknownError)
    expect((err as AppendOutcomeUnknownError).status).toBe(st)
    expect((err as Error).cause).toBeInstanceOf(FetchError)
    expect(posts(s)).toBe(1)
  })

  it('a timeout: AppendOutcomeUnknownError, one POST', async () => {
    const c = new Client({ baseUrl: raw.url, timeout: 200, retry: { initialDelayMs: 5 } })
    try {
      const s = route(afterBody(() => {})) // never answers
      const err = await failure(
        c.stream(new URL(s.url).pathname, { contentType: TEXT }).append('x'),
      )
      expect(err).toBeInstanceOf(AppendOutcomeUnknownError)
      expect((err as Error).cause).toBeInstanceOf(TimeoutError)
      expect(posts(s)).toBe(1)
    } finally {
      await c.close()
    }
  })

  it('queued pushes are plain appends too: flush reports the unknown outcome', async () => {
    const s = route(afterBody((res) => res.socket?.destroy()))
    s.push('a').push('b')
    const err = await failure(s.flush())
    expect(isAppendOutcomeUnknownError(err)).toBe(true)
    expect(posts(s)).toBe(1)
  })

  it('reference server behind a proxy that loses the answer: stored once, not twice', async () => {
    const r = await lostFirstAnswer('lost-answer', (s) => s.append('only once\n'))
    expect(r.err).toBeInstanceOf(AppendOutcomeUnknownError)
    expect(r.dropped).toBe(1)
    // The server did store it: a retry would have stored it a second time.
    expect(r.text).toBe('only once\n')
  })
})

describe('a retried close with data or append with seq refused as a repeat', () => {
  it('close({ data }) whose answer was lost: outcome unknown, not "stream closed"', async () => {
    const r = await lostFirstAnswer('close-lost', (s) => s.close({ data: 'final\n' }))
    expect(r.dropped).toBe(1)
    expect(r.err).toBeInstanceOf(AppendOutcomeUnknownError)
    expect((r.err as AppendOutcomeUnknownError).status).toBe(409)
    // It was stored (by the first attempt), once.
    expect(r.text).toBe('final\n')
  })

  it('append with seq whose answer was lost: outcome unknown, not a seq conflict', async () => {
    const r = await lostFirstAnswer('seq-lost', (s) => s.append('once\n', { seq: '0001' }))
    expect(r.dropped).toBe(1)
    expect(r.err).toBeInstanceOf(AppendOutcomeUnknownError)
    expect(r.text).toBe('once\n')
  })
})

describe('plain append: retried when it provably did not reach the server', () => {
  it.each([503, 429])('a %i answer is retried', async (st) => {
    count = 0
    const s = route(
      afterBody((res, n) => (n === 1 ? answer(res, st, { 'retry-after': '0' }) : stored(res))),
    )
    await expect(s.append('x')).resolves.toMatchObject({ nextOffset: '1_1' })
    expect(posts(s)).toBe(2)
  })

  it('connection refused is retried until the server is up', async () => {
    // A free port, closed again: connecting is refused until the server listens on it.
    const probe = http.createServer()
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r))
    const port = (probe.address() as AddressInfo).port
    await new Promise<void>((r) => probe.close(() => r()))
    let bodies = 0
    const late = http.createServer((req, res) => {
      req.resume()
      req.on('end', () => {
        bodies++
        stored(res)
      })
    })
    const c = new Client({
      baseUrl: `http://127.0.0.1:${port}`,
      retry: { maxRetries: 20, initialDelayMs: 20, maxDelayMs: 50 },
    })
    try {
      const t = setTimeout(() => late.listen(port, '127.0.0.1'), 150)
      await expect(c.stream('/s', { contentType: TEXT }).append('x')).resolves.toMatchObject({
        nextOffset: '1_1',
      })
      clearTimeout(t)
      expect(bodies).toBe(1)
    } finally {
      await c.close()
      await new Promise<void>((r) => late.close(() => r()))
    }
  })

  it('with seq the server refuses a repeat, so it is retried', async () => {
    count = 0
    const s = route(afterBody((res, n) => (n === 1 ? res.socket?.destroy() : stored(res))))
    await expect(s.append('x', { seq: 7 })).resolves.toMatchObject({ nextOffset: '1_1' })
    expect(posts(s)).toBe(2)
  })

  it('with producer headers the server de-duplicates, so it is retried', async () => {
    count = 0
    const s = route(afterBody((res, n) => (n === 1 ? answer(res, 500) : stored(res))))
    const headers = { 'Producer-Id': 'p', 'producer-epoch': '0', 'producer-seq': '0' }
    await expect(s.append('x', { headers })).resolves.toMatchObject({ nextOffset: '1_1' })
    expect(posts(s)).toBe(2)
  })

  it("appendRetry: 'at-least-once' (client or call) retries anyway", async () => {
    count = 0
    const s = route(afterBody((res, n) => (n % 2 === 1 ? answer(res, 500) : stored(res))))
    await expect(s.append('x', { retry: 'at-least-once' })).resolves.toBeDefined()
    expect(posts(s)).toBe(2)
    const c = new Client({ baseUrl: raw.url, appendRetry: 'at-least-once' })
    try {
      const s2 = route(afterBody((res, n) => (n % 2 === 1 ? answer(res, 500) : stored(res))))
      count = 0
      await c.stream(new URL(s2.url).pathname, { contentType: TEXT }).append('y')
      expect(posts(s2)).toBe(2)
    } finally {
      await c.close()
    }
  })

  it('a bad appendRetry value is an InvalidArgumentError', async () => {
    expect(() => new Client({ appendRetry: 'sometimes' as 'safe' })).toThrow(InvalidArgumentError)
    const s = route(afterBody(stored))
    await expect(s.append('x', { retry: 'always' as 'safe' })).rejects.toBeInstanceOf(
      InvalidArgumentError,
    )
    expect(posts(s)).toBe(0)
  })
})
