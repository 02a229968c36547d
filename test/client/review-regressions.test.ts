/**
 * Regressions for defects found in review: SSE tails behind connection-resetting proxies,
 * `offset: 'now'` over SSE with an unknown content type, `push` ordering after a failure and
 * with pre-serialised JSON, and which statuses are retried.
 */
import { describe, expect, it } from 'vitest'
import { Client, DurableStreams, RateLimitedError } from '../../src-shared/client/index.js'
import { route, requestsOf, useRoutedRawServer } from '../helpers/routed-raw-server.js'
import { sseEvent } from '../helpers/raw-server.js'
import { startServer } from '../helpers/server.js'

useRoutedRawServer()

describe('SSE reconnection budget', () => {
  it('keeps tailing through many drops when every connection delivered data', async () => {
    let n = 0
    const s = route('drop', 'application/json', (_req, res, info) => {
      if (info.url.searchParams.get('live') !== 'sse') {
        res.writeHead(200, {
          'content-type': 'application/json',
          'stream-next-offset': 'o000',
          'stream-up-to-date': 'true',
        })
        res.end('[]')
        return
      }
      n++
      res.writeHead(200, { 'content-type': 'text/event-stream' })
      res.write(
        sseEvent('data', `[${n}]`) +
          sseEvent(
            'control',
            JSON.stringify({
              streamNextOffset: `o${String(n).padStart(3, '0')}`,
              streamCursor: `${n}`,
              upToDate: true,
            }),
          ),
      )
      setTimeout(() => res.socket?.destroy(), 10) // a proxy resetting idle connections
    })
    // The fixture's client allows 2 retries; 10 drops with progress must not exhaust them.
    expect(await s.readJson({ live: 'sse' }).take(10)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
  })
})

describe('offset now over SSE', () => {
  it('learns an unknown content type first, so JSON stays JSON', async () => {
    const srv = await startServer()
    try {
      const url = srv.streamUrl('now-sse')
      await DurableStreams.create({ url, contentType: 'application/json' })
      const reader = new Client().stream(url).read({ offset: 'now', live: 'sse' })
      setTimeout(
        () => void DurableStreams.append({ url, data: { n: 1 }, contentType: 'application/json' }),
        100,
      )
      expect(await reader.take(1)).toEqual([{ n: 1 }])
    } finally {
      await srv.stop()
    }
  })
})

describe('push', () => {
  it('sends pre-serialised JSON bytes verbatim, like append', async () => {
    const srv = await startServer()
    try {
      const url = srv.streamUrl('push-bytes')
      const s = await DurableStreams.create({ url, contentType: 'application/json' })
      s.push(new TextEncoder().encode('{"a":1}')).push({ b: 2 })
      await s.flush()
      expect(await s.readAll()).toEqual([{ a: 1 }, { b: 2 }])
    } finally {
      await srv.stop()
    }
  })

  it('stops at the first failed batch: nothing after it is written, flush reports it', async () => {
    const srv = await startServer()
    try {
      const url = srv.streamUrl('push-fail')
      const s = await DurableStreams.create({ url, contentType: 'text/plain' })
      srv.server.injectFault(srv.pathOf(url), { status: 400, count: 1, method: 'POST' })
      s.push('1;')
      await new Promise((r) => setTimeout(r, 50))
      expect(() => s.push('2;')).toThrow(/not sent/)
      await expect(s.flush()).rejects.toMatchObject({ name: 'BadRequestError' })
      s.push('3;')
      await s.flush()
      expect(new TextDecoder().decode((await s.readAll()) as Uint8Array)).toBe('3;')
    } finally {
      await srv.stop()
    }
  })
})

describe('retried statuses', () => {
  it.each([408, 501])('%i is not retried', async (status) => {
    const s = route('status', 'text/plain', (_req, res) => {
      res.writeHead(status)
      res.end()
    })
    await expect(s.head()).rejects.toMatchObject({ status })
    expect(requestsOf(s)).toHaveLength(1)
  })

  it('reports Retry-After given as an HTTP date in seconds', async () => {
    const when = new Date(Date.now() + 1500).toUTCString()
    const s = route('date', 'text/plain', (_req, res) => {
      res.writeHead(429, { 'retry-after': when })
      res.end()
    })
    const err = await new Client({ baseUrl: new URL(s.url).origin, retry: { maxRetries: 0 } })
      .stream(new URL(s.url).pathname)
      .head()
      .catch((e: unknown) => e)
    expect(err).toBeInstanceOf(RateLimitedError)
    expect((err as RateLimitedError).retryAfter).toBeGreaterThanOrEqual(1)
    expect((err as RateLimitedError).retryAfter).toBeLessThanOrEqual(2)
  })
})
