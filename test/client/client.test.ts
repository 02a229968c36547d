/**
 * `Client` lifecycle (open, await using, close aborting in-flight work) and the
 * `DurableStreams` one-shot helpers and logger, against a real server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  Client,
  ClosedError,
  DurableStreams,
  Stream,
  StreamNotFoundError,
  type Logger,
} from '../../src-shared/client/index.js'
import { delay, waitUntil } from '../helpers/leaks.js'
import { recordingFetch } from '../helpers/recording-fetch.js'
import { startServer, type TestServer } from '../helpers/server.js'

let srv: TestServer
beforeAll(async () => {
  // A long server-side long-poll wait, so only client.close() can end a waiting request early.
  srv = await startServer({ longPollTimeout: 10_000 })
})
afterAll(async () => {
  await srv.stop()
})

const fast = { maxRetries: 3, initialDelayMs: 10, maxDelayMs: 50 }

describe('DurableStreams one-shot helpers', () => {
  it('create / connect / append / read a JSON stream', async () => {
    const url = srv.streamUrl('ds')
    const s = await DurableStreams.create({ url, contentType: 'application/json', ttlSeconds: 60 })
    expect(s).toBeInstanceOf(Stream)
    expect(s.url).toBe(url)
    expect(s.contentType).toBe('application/json')

    const r1 = await DurableStreams.append({ url, data: { n: 1 } })
    const r2 = await DurableStreams.append({ url, data: { n: 2 }, seq: '0001' })
    expect(r2.nextOffset! > r1.nextOffset!).toBe(true)
    expect(r1.duplicate).toBe(false)

    const c = await DurableStreams.connect({ url })
    expect(c.nextOffset).toBe(r2.nextOffset)
    expect((await c.head()).ttlSeconds).toBe(60)

    expect(await DurableStreams.read({ url })).toEqual([{ n: 1 }, { n: 2 }])
    expect(await DurableStreams.read({ url, offset: r1.nextOffset! })).toEqual([{ n: 2 }])
    expect(await DurableStreams.read({ url, offset: 'now' })).toEqual([])
  })

  it('reads byte streams as one Uint8Array', async () => {
    const url = srv.streamUrl('dsb')
    await DurableStreams.create({ url, body: new Uint8Array([1, 2]) })
    await DurableStreams.append({
      url,
      data: new Uint8Array([3]),
      contentType: 'application/octet-stream',
    })
    const all = await DurableStreams.read({ url })
    expect(all).toBeInstanceOf(Uint8Array)
    expect([...(all as Uint8Array)]).toEqual([1, 2, 3])
  })

  it('append and read pass their headers; connect() takes headers and a signal', async () => {
    const url = srv.streamUrl('dsh')
    await DurableStreams.create({ url, contentType: 'application/json' })
    await DurableStreams.append({ url, data: 1, headers: { 'x-a': () => 'dynamic' } })
    expect(await DurableStreams.read({ url, headers: { 'x-b': 'static' } })).toEqual([1])
    const rec = recordingFetch()
    const c = new Client({ baseUrl: srv.url, fetch: rec.fetch })
    const s = await c.connect(srv.pathOf(url), {
      headers: { 'x-c': 'c' },
      signal: new AbortController().signal,
    })
    expect(s.contentType).toBe('application/json')
    expect(rec.requests[0]!.headers['x-c']).toBe('c')
    await expect(c.connect(srv.pathOf(url), { signal: AbortSignal.abort() })).rejects.toMatchObject(
      {
        name: 'AbortError',
      },
    )
    await c.close()
  })

  it('connect to a missing stream throws StreamNotFoundError', async () => {
    const url = srv.streamUrl('missing')
    const err = await DurableStreams.connect({ url }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(StreamNotFoundError)
    expect((err as Error).message).toContain(url)
  })

  it('passes headers through, and logs through DurableStreams.logger', async () => {
    const url = srv.streamUrl('dsl')
    await DurableStreams.create({ url, contentType: 'text/plain', headers: { 'x-a': '1' } })
    const lines: string[] = []
    const logger: Logger = {
      debug: (...a: unknown[]) => lines.push(a.join(' ')),
      info: () => {},
      warn: () => {},
      error: () => {},
    }
    const previous = DurableStreams.logger
    DurableStreams.logger = logger
    try {
      expect(DurableStreams.logger).toBe(logger)
      srv.server.injectFault(srv.pathOf(url), { status: 503, count: 1, method: 'HEAD' })
      const r = await DurableStreams.append({ url, data: 'x' })
      expect(r.nextOffset).toBeDefined()
      expect(lines.some((l) => l.includes(`HEAD ${url}: status 503; retry 1/`))).toBe(true)
    } finally {
      DurableStreams.logger = previous
    }
  })
})

describe('Client lifecycle', () => {
  it('Client.open returns the callback result and closes the client afterwards', async () => {
    let captured: Client | undefined
    const p = `/t/open-${process.pid}`
    const result = await Client.open({ baseUrl: srv.url }, async (c) => {
      captured = c
      expect(c.closed).toBe(false)
      await c.create(p, { contentType: 'text/plain' })
      return (await c.connect(p)).contentType
    })
    expect(result).toBe('text/plain')
    expect(captured!.closed).toBe(true)
    await expect(captured!.stream(p).head()).rejects.toBeInstanceOf(ClosedError)
  })

  it('Client.open closes the client when the callback throws, and rethrows', async () => {
    let captured: Client | undefined
    await expect(
      Client.open({ baseUrl: srv.url }, (c) => {
        captured = c
        throw new Error('boom')
      }),
    ).rejects.toThrow('boom')
    expect(captured!.closed).toBe(true)
  })

  it('`await using` closes the client at the end of the scope', async () => {
    let captured: Client | undefined
    {
      await using c = new Client({ baseUrl: srv.url })
      captured = c
      expect(c.closed).toBe(false)
    }
    expect(captured.closed).toBe(true)
  })

  it('close() aborts an in-flight long-poll with ClosedError, quickly', async () => {
    const rec = recordingFetch()
    const c = new Client({ baseUrl: srv.url, fetch: rec.fetch, retry: fast })
    const s = await c.create(`/t/lp-${process.pid}`, { contentType: 'application/octet-stream' })
    const reader = s.readBytes({ offset: 'now', live: 'long-poll' })
    const done = reader.toArray().then(
      () => 'ended',
      (e: unknown) => e,
    )
    await waitUntil(() => rec.filter({ live: 'long-poll' }).length === 1, 'long-poll sent')
    await delay(50)
    const t0 = performance.now()
    await c.close()
    const err = await done
    expect(err).toBeInstanceOf(ClosedError)
    expect((err as ClosedError).url).toBe(s.url)
    expect(performance.now() - t0).toBeLessThan(1_000)
    expect(rec.filter({ live: 'long-poll' })).toHaveLength(1)
  })

  it('close() aborts an in-flight SSE read with ClosedError', async () => {
    const rec = recordingFetch()
    const c = new Client({ baseUrl: srv.url, fetch: rec.fetch, retry: fast })
    const s = await c.create(`/t/sse-${process.pid}`, { contentType: 'application/json' })
    const items: unknown[] = []
    const done = (async () => {
      for await (const m of s.readJson({ live: 'sse' })) items.push(m)
    })().then(
      () => 'ended',
      (e: unknown) => e,
    )
    await waitUntil(() => rec.filter({ live: 'sse' }).length === 1, 'sse opened')
    await s.append('one')
    await waitUntil(() => items.length === 1, 'first SSE message')
    await c.close()
    expect(await done).toBeInstanceOf(ClosedError)
    expect(items).toEqual(['one'])
  })

  it('a closed client refuses new requests with ClosedError; close() is idempotent', async () => {
    const c = new Client({ baseUrl: srv.url })
    await c.close()
    await c.close()
    expect(c.closed).toBe(true)
    await expect(c.create(`/t/after-close-${process.pid}`)).rejects.toBeInstanceOf(ClosedError)
    await expect(c.stream('/t/x').append('x')).rejects.toBeInstanceOf(ClosedError)
    await expect(c.stream('/t/x').readAll()).rejects.toBeInstanceOf(ClosedError)
  })

  it('a dynamic header that throws fails the call with its error, before any request', async () => {
    const rec = recordingFetch()
    const c = new Client({
      baseUrl: srv.url,
      fetch: rec.fetch,
      headers: {
        authorization: () => {
          throw new Error('no token')
        },
      },
    })
    await expect(c.stream('/t/x', { contentType: 'text/plain' }).append('x')).rejects.toThrow(
      'no token',
    )
    await expect(c.stream('/t/x').readJson({ live: false }).toArray()).rejects.toThrow('no token')
    expect(rec.requests).toHaveLength(0)
    await c.close()
  })

  it('client headers and handle headers are merged; handle headers win', async () => {
    const rec = recordingFetch()
    const c = new Client({
      baseUrl: srv.url,
      fetch: rec.fetch,
      headers: { 'x-client': 'c', 'x-both': 'client' },
    })
    const p = `/t/hdr-${process.pid}`
    await c.create(p, { contentType: 'text/plain', headers: { 'x-call': 'create' } })
    await c.stream(p, { headers: { 'x-both': 'handle' } }).head()
    expect(rec.requests[0]!.headers).toMatchObject({
      'x-client': 'c',
      'x-both': 'client',
      'x-call': 'create',
    })
    expect(rec.requests[1]!.headers).toMatchObject({ 'x-client': 'c', 'x-both': 'handle' })
    expect(rec.requests[1]!.headers['x-call']).toBeUndefined()
    await c.close()
  })
})
