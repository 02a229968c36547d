/**
 * Retries, timeouts and error surfacing against a real server with fault injection:
 * 5xx/429/drops are retried within a bounded budget, 4xx never, delays hit the timeout,
 * corrupted bodies are parse errors, and AbortSignal cancels every operation.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import {
  AbortError,
  AppendOutcomeUnknownError,
  BadRequestError,
  Client,
  ClosedError,
  ConnectionError,
  FetchError,
  ParseError,
  RateLimitedError,
  StreamExistsError,
  StreamNotFoundError,
  TimeoutError,
  isAbortError,
  type RetryOptions,
  type Stream,
} from '../../src-shared/client/index.js'
import { recordingFetch, type RecordingFetch } from '../helpers/recording-fetch.js'
import { startServer, type TestServer } from '../helpers/server.js'

let srv: TestServer
let n = 0
const path = (): string => `/t/f-${process.pid}-${++n}`
const clients: Client[] = []

beforeAll(async () => {
  srv = await startServer()
})
afterEach(() => {
  srv.server.clearInjectedFaults()
})
afterAll(async () => {
  for (const c of clients) await c.close()
  await srv.stop()
})

const FAST: RetryOptions = { maxRetries: 4, initialDelayMs: 10, maxDelayMs: 50 }

function mk(opts: { retry?: RetryOptions; timeout?: number } = {}): {
  client: Client
  rec: RecordingFetch
} {
  const rec = recordingFetch()
  const client = new Client({
    baseUrl: srv.url,
    fetch: rec.fetch,
    retry: opts.retry ?? FAST,
    ...(opts.timeout !== undefined ? { timeout: opts.timeout } : {}),
  })
  clients.push(client)
  return { client, rec }
}

async function created(client: Client, contentType = 'application/json'): Promise<Stream> {
  return client.create(path(), { contentType })
}
const inject = (s: Stream, fault: Parameters<TestServer['server']['injectFault']>[1]): void =>
  srv.server.injectFault(srv.pathOf(s.url), fault)

describe('transient failures are retried', () => {
  it.each([500, 503])('HEAD: %s once, then success', async (status) => {
    const { client, rec } = mk()
    const s = await created(client)
    inject(s, { status, count: 1, method: 'HEAD' })
    const h = await s.head()
    expect(h.contentType).toBe('application/json')
    expect(rec.filter({ method: 'HEAD' }).map((r) => r.status)).toEqual([status, 200])
  })

  it('POST: 503 twice, then success; the data is appended once', async () => {
    const { client, rec } = mk()
    const s = await created(client)
    inject(s, { status: 503, count: 2, method: 'POST' })
    const r = await s.append({ once: true })
    expect(r.nextOffset).toBeDefined()
    expect(rec.filter({ method: 'POST' }).map((q) => q.status)).toEqual([503, 503, 204])
    expect(await s.readAll()).toEqual([{ once: true }])
  })

  it('GET catch-up: 500 twice, then success', async () => {
    const { client, rec } = mk()
    const s = await created(client)
    await s.append(1)
    inject(s, { status: 500, count: 2, method: 'GET' })
    expect(await s.readAll()).toEqual([1])
    expect(rec.filter({ method: 'GET' }).map((q) => q.status)).toEqual([500, 500, 200])
  })

  it('PUT: 500 once, then 201', async () => {
    const { client, rec } = mk()
    const p = path()
    srv.server.injectFault(p, { status: 500, count: 1, method: 'PUT' })
    await client.create(p, { contentType: 'text/plain' })
    expect(rec.filter({ method: 'PUT' }).map((q) => q.status)).toEqual([500, 201])
  })

  it('429 honours Retry-After (seconds) instead of the backoff', async () => {
    const { client, rec } = mk()
    const s = await created(client)
    inject(s, { status: 429, count: 1, retryAfter: 1, method: 'HEAD' })
    const t0 = performance.now()
    await s.head()
    const waited = performance.now() - t0
    expect(waited).toBeGreaterThanOrEqual(950)
    expect(waited).toBeLessThan(3_000)
    expect(rec.filter({ method: 'HEAD' }).map((q) => q.status)).toEqual([429, 200])
  })

  it('429 without retries left is a RateLimitedError carrying retryAfter', async () => {
    const { client, rec } = mk({ retry: { ...FAST, maxRetries: 0 } })
    const s = await created(client)
    inject(s, { status: 429, count: 1, retryAfter: 7, method: 'POST' })
    const err = await s.append(1).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(RateLimitedError)
    expect((err as RateLimitedError).retryAfter).toBe(7)
    expect((err as RateLimitedError).status).toBe(429)
    expect((err as Error).message).toContain(s.url)
    expect(rec.filter({ method: 'POST' })).toHaveLength(1)
  })

  it('20 consecutive 500s end in a FetchError after maxRetries + 1 attempts, quickly', async () => {
    const { client, rec } = mk({ retry: { maxRetries: 5, initialDelayMs: 10, maxDelayMs: 40 } })
    const s = await created(client)
    inject(s, { status: 500, count: 20 })
    const t0 = performance.now()
    const err = await s.head().catch((e: unknown) => e)
    expect(err).toBeInstanceOf(FetchError)
    expect((err as FetchError).status).toBe(500)
    expect((err as FetchError).url).toBe(s.url)
    expect(rec.filter({ method: 'HEAD' })).toHaveLength(6)
    expect(performance.now() - t0).toBeLessThan(2_000)
  })

  it('a dropped connection on a plain POST is not retried: the outcome is unknown', async () => {
    const { client, rec } = mk()
    const s = await created(client)
    await s.append('seed')
    inject(s, { dropConnection: true, count: 1, method: 'POST' })
    const err = await s.append('more').catch((e: unknown) => e)
    expect(err).toBeInstanceOf(AppendOutcomeUnknownError)
    expect(rec.filter({ method: 'POST' })).toHaveLength(2) // the seed and one attempt
  })

  // A POST with Stream-Seq cannot be stored twice (the server refuses a repeated seq).
  it.each(['GET', 'POST', 'HEAD'])('a dropped connection on %s is retried', async (method) => {
    const { client, rec } = mk()
    const s = await created(client)
    await s.append('seed', { seq: 1 })
    inject(s, { dropConnection: true, count: 1, method })
    if (method === 'GET') expect(await s.readAll()).toEqual(['seed'])
    else if (method === 'POST') await s.append('more', { seq: 2 })
    else await s.head()
    const tries = rec.filter({ method }).slice(method === 'POST' ? 1 : 0)
    expect(tries).toHaveLength(2)
    expect(tries[0]!.error).toBeDefined()
    expect(tries[1]!.status).toBeLessThan(300)
    if (method === 'POST') expect(await s.readAll()).toEqual(['seed', 'more'])
  })

  it('connections that keep dropping end in a ConnectionError', async () => {
    const { client, rec } = mk({ retry: { maxRetries: 2, initialDelayMs: 10, maxDelayMs: 20 } })
    const s = await created(client)
    inject(s, { dropConnection: true, count: 10, method: 'HEAD' })
    const err = await s.head().catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ConnectionError)
    expect((err as Error).message).toContain(s.url)
    expect(rec.filter({ method: 'HEAD' })).toHaveLength(3)
  })

  it('an unreachable server is a ConnectionError', async () => {
    const c = new Client({
      baseUrl: 'http://127.0.0.1:1',
      retry: { maxRetries: 1, initialDelayMs: 5, maxDelayMs: 5 },
    })
    clients.push(c)
    const err = await c
      .stream('/x')
      .head()
      .catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ConnectionError)
    expect((err as ConnectionError).url).toBe('http://127.0.0.1:1/x')
  })
})

describe('errors other than 404 are not swallowed', () => {
  it('exists() rethrows a persistent 500 as FetchError', async () => {
    const { client } = mk({ retry: { maxRetries: 1, initialDelayMs: 5, maxDelayMs: 5 } })
    const s = await created(client)
    inject(s, { status: 500, count: 5, method: 'HEAD' })
    await expect(s.exists()).rejects.toBeInstanceOf(FetchError)
  })

  it('client.close() during a retry backoff rejects with ClosedError', async () => {
    const { client, rec } = mk()
    const s = await created(client)
    inject(s, { status: 503, count: 1, retryAfter: 30, method: 'HEAD' })
    const p = s.head().catch((e: unknown) => e)
    await new Promise((r) => setTimeout(r, 100))
    const t0 = performance.now()
    await client.close()
    expect(await p).toBeInstanceOf(ClosedError)
    expect(performance.now() - t0).toBeLessThan(500)
    expect(rec.filter({ method: 'HEAD' })).toHaveLength(1)
  })
})

describe('timeouts', () => {
  it('a response slower than the timeout is a TimeoutError', async () => {
    const { client, rec } = mk({ retry: { ...FAST, maxRetries: 0 }, timeout: 200 })
    const s = await created(client)
    inject(s, { delayMs: 800, count: 1, method: 'HEAD' })
    const t0 = performance.now()
    const err = await s.head().catch((e: unknown) => e)
    const elapsed = performance.now() - t0
    expect(err).toBeInstanceOf(TimeoutError)
    expect((err as Error).message).toBe(`HEAD ${s.url} timed out after 200 ms`)
    expect(elapsed).toBeGreaterThanOrEqual(190)
    expect(elapsed).toBeLessThan(700)
    expect(rec.filter({ method: 'HEAD' })).toHaveLength(1)
  })

  it('the request timeout does not cut a long-poll wait or an open SSE stream short', async () => {
    const { client, rec } = mk({ timeout: 300 })
    for (const live of ['long-poll', 'sse'] as const) {
      const s = await created(client)
      const items: unknown[] = []
      const done = (async () => {
        for await (const m of s.readJson({ live })) items.push(m)
      })()
      await new Promise((r) => setTimeout(r, 1_200)) // > timeout, > server long-poll wait
      await s.append('late')
      await s.close()
      await done
      expect(items).toEqual(['late'])
      expect(rec.requests.filter((q) => q.url.startsWith(s.url) && q.error !== undefined)).toEqual(
        [],
      )
    }
  })

  it('a timed-out attempt is retried', async () => {
    const { client, rec } = mk({ timeout: 200 })
    const s = await created(client)
    inject(s, { delayMs: 800, count: 1, method: 'HEAD' })
    await s.head()
    expect(rec.filter({ method: 'HEAD' }).map((q) => q.status)).toEqual([undefined, 200])
  })
})

describe('corrupted responses', () => {
  it.each([
    ['truncateBodyBytes', { truncateBodyBytes: 5 }],
    ['corruptBody', { corruptBody: true }],
  ] as const)('%s on a JSON catch-up is a ParseError, not retried', async (_label, fault) => {
    const { client, rec } = mk()
    const s = await created(client)
    await s.append({ hello: 'world' })
    await s.append({ hello: 'again' })
    inject(s, { ...fault, count: 1, method: 'GET' })
    const err = await s.readAll().catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ParseError)
    expect((err as ParseError).url).toBe(s.url)
    expect((err as Error).message).toContain(s.url)
    expect(rec.filter({ method: 'GET' })).toHaveLength(1)
  })
})

describe('client errors are never retried', () => {
  it('400 from the server: exactly one request', async () => {
    const { client, rec } = mk()
    const s = await created(client)
    const err = await s.readAll({ offset: 'not-an-offset' }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(BadRequestError)
    expect((err as Error).message).toContain('Invalid offset format')
    expect(rec.filter({ method: 'GET' })).toHaveLength(1)
    inject(s, { status: 400, count: 5, method: 'POST' })
    await expect(s.append(1)).rejects.toBeInstanceOf(BadRequestError)
    expect(rec.filter({ method: 'POST' })).toHaveLength(1)
  })

  it('404 and 409: exactly one request each', async () => {
    const { client, rec } = mk()
    await expect(client.stream(path()).head()).rejects.toBeInstanceOf(StreamNotFoundError)
    expect(rec.filter({ method: 'HEAD' })).toHaveLength(1)
    const s = await created(client)
    inject(s, { status: 404, count: 5, method: 'GET' })
    await expect(s.readAll()).rejects.toBeInstanceOf(StreamNotFoundError)
    expect(rec.filter({ method: 'GET' })).toHaveLength(1)
    await expect(
      client.create(srv.pathOf(s.url), { contentType: 'text/plain' }),
    ).rejects.toBeInstanceOf(StreamExistsError)
    expect(rec.filter({ method: 'PUT' })).toHaveLength(2)
  })

  it('other 4xx (403, 413) are FetchErrors, not retried', async () => {
    const { client, rec } = mk()
    const s = await created(client)
    inject(s, { status: 413, count: 5, method: 'POST' })
    const err = await s.append(1).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(FetchError)
    expect((err as FetchError).status).toBe(413)
    expect(rec.filter({ method: 'POST' })).toHaveLength(1)
  })
})

describe('AbortSignal', () => {
  it.each(['head', 'append', 'create', 'close', 'delete'] as const)(
    '%s: aborting mid-request rejects with AbortError promptly',
    async (op) => {
      const { client } = mk()
      const s = await created(client)
      inject(s, { delayMs: 3_000, count: 1 })
      const ac = new AbortController()
      const signal = ac.signal
      const p =
        op === 'head'
          ? s.head({ signal })
          : op === 'append'
            ? s.append(1, { signal })
            : op === 'create'
              ? s.createStream({ contentType: 'application/json', signal })
              : op === 'close'
                ? s.close({ signal })
                : s.delete({ signal })
      setTimeout(() => ac.abort(), 50)
      const t0 = performance.now()
      const err = await p.catch((e: unknown) => e)
      expect(err).toBeInstanceOf(AbortError)
      expect(isAbortError(err)).toBe(true)
      expect((err as AbortError).code).toBe('ABORTED')
      expect((err as AbortError).url).toBe(s.url)
      expect(performance.now() - t0).toBeLessThan(1_000)
    },
  )

  it('an already-aborted signal rejects at once', async () => {
    const { client } = mk()
    const s = await created(client)
    await expect(s.head({ signal: AbortSignal.abort() })).rejects.toBeInstanceOf(AbortError)
  })

  it('aborting during a retry backoff (Retry-After: 30) rejects promptly', async () => {
    const { client, rec } = mk()
    const s = await created(client)
    inject(s, { status: 503, count: 1, retryAfter: 30, method: 'HEAD' })
    const ac = new AbortController()
    const p = s.head({ signal: ac.signal })
    setTimeout(() => ac.abort(), 100)
    const t0 = performance.now()
    await expect(p).rejects.toBeInstanceOf(AbortError)
    expect(performance.now() - t0).toBeLessThan(1_000)
    expect(rec.filter({ method: 'HEAD' })).toHaveLength(1)
  })

  it('a read aborted mid-request ends quietly', async () => {
    const { client } = mk()
    const s = await created(client)
    await s.append(1)
    inject(s, { delayMs: 3_000, count: 1, method: 'GET' })
    const ac = new AbortController()
    setTimeout(() => ac.abort(), 50)
    const t0 = performance.now()
    expect(await s.readJson({ live: false, signal: ac.signal }).toArray()).toEqual([])
    expect(performance.now() - t0).toBeLessThan(1_000)
  })
})
