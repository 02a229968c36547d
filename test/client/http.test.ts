/**
 * Unit tests of the transport's pure helpers: URL building (sorted, percent-encoded query),
 * Retry-After parsing, backoff bounds, response → error mapping, signal linking and sleep.
 */
import { afterEach, describe, expect, it, vi } from 'vitest'
import {
  BadRequestError,
  ContentTypeMismatchError,
  FetchError,
  RateLimitedError,
  SeqConflictError,
  SequenceGapError,
  StaleEpochError,
  StreamClosedError,
  StreamExistsError,
  StreamGoneError,
  StreamNotFoundError,
  type DurableStreamsError,
} from '../../src-shared/client/index.js'
import type { Method } from '../../src-shared/client/http.js'
import { wrapFetchResponse } from '../../src-shared/client/engine.js'
import {
  backoffDelay,
  buildUrl,
  linkSignals,
  parseRetryAfter,
  sleep,
} from '../../src-shared/client/http-util.js'
import { errorFromResponse, headersToRecord, isTrue } from '../../src-shared/client/response.js'
import { validateRetryOptions } from '../../src-shared/client/options.js'
import { abortListenerCount, activeTimeouts, trackTimers } from '../helpers/leaks.js'

afterEach(() => {
  vi.restoreAllMocks()
})

describe('buildUrl', () => {
  it('returns the base unchanged without params', () => {
    expect(buildUrl('http://h/s', {})).toBe('http://h/s')
  })

  it('orders keys lexicographically', () => {
    expect(
      buildUrl('http://h/s', { offset: '1_2', live: 'sse', cursor: 'c9', a: 'x', z: 'y' }),
    ).toBe('http://h/s?a=x&cursor=c9&live=sse&offset=1_2&z=y')
    // Code-unit order: upper case sorts before lower case, '_' between them.
    expect(buildUrl('http://h/s', { b: '1', B: '2', _: '3', a: '4' })).toBe(
      'http://h/s?B=2&_=3&a=4&b=1',
    )
  })

  it('percent-encodes opaque offsets so they survive a round trip', () => {
    const offset = 'a b/c?d&e=f,g+h%i#j'
    const url = buildUrl('http://h/s', { offset })
    expect(url).toBe('http://h/s?offset=a%20b%2Fc%3Fd%26e%3Df%2Cg%2Bh%25i%23j')
    expect(new URL(url).searchParams.get('offset')).toBe(offset)
    expect([...new URL(url).searchParams.keys()]).toEqual(['offset'])
  })

  it('percent-encodes non-ASCII keys and values as UTF-8', () => {
    const url = buildUrl('http://h/s', { clé: 'é€😀' })
    expect(url).toBe('http://h/s?cl%C3%A9=%C3%A9%E2%82%AC%F0%9F%98%80')
    expect(new URL(url).searchParams.get('clé')).toBe('é€😀')
  })

  it('keeps sentinels readable and appends to an existing query', () => {
    expect(buildUrl('http://h/s', { offset: '-1' })).toBe('http://h/s?offset=-1')
    expect(buildUrl('http://h/s', { offset: 'now' })).toBe('http://h/s?offset=now')
    expect(buildUrl('http://h/s?tenant=t', { offset: '-1' })).toBe('http://h/s?tenant=t&offset=-1')
  })

  it('encodes empty values', () => {
    expect(buildUrl('http://h/s', { cursor: '' })).toBe('http://h/s?cursor=')
  })
})

describe('parseRetryAfter', () => {
  it('parses delta seconds into milliseconds', () => {
    expect(parseRetryAfter('0')).toBe(0)
    expect(parseRetryAfter('2')).toBe(2000)
    expect(parseRetryAfter(' 3 ')).toBe(3000)
    expect(parseRetryAfter('1.5')).toBe(1500)
    expect(parseRetryAfter('-5')).toBe(0)
  })

  it('parses an HTTP date relative to now', () => {
    vi.spyOn(Date, 'now').mockReturnValue(Date.UTC(2030, 0, 1, 0, 0, 0))
    expect(parseRetryAfter('Tue, 01 Jan 2030 00:00:07 GMT')).toBe(7000)
    expect(parseRetryAfter('Mon, 31 Dec 2029 23:59:00 GMT')).toBe(0) // past: no wait
  })

  it('returns undefined for missing or garbage values', () => {
    expect(parseRetryAfter(null)).toBeUndefined()
    expect(parseRetryAfter('')).toBeUndefined()
    expect(parseRetryAfter('   ')).toBeUndefined()
    expect(parseRetryAfter('soon')).toBeUndefined()
  })
})

describe('backoffDelay', () => {
  const retry = validateRetryOptions({ initialDelayMs: 100, maxDelayMs: 1000, multiplier: 2 })

  it('grows exponentially with equal jitter: [base/2, base]', () => {
    const rnd = vi.spyOn(Math, 'random')
    rnd.mockReturnValue(0)
    expect([0, 1, 2, 3].map((a) => backoffDelay(retry, a))).toEqual([50, 100, 200, 400])
    rnd.mockReturnValue(0.5)
    expect([0, 1, 2, 3].map((a) => backoffDelay(retry, a))).toEqual([75, 150, 300, 600])
    rnd.mockReturnValue(0.999999)
    expect(backoffDelay(retry, 0)).toBeCloseTo(100, 3)
    expect(backoffDelay(retry, 0)).toBeLessThan(100)
  })

  it('is capped by maxDelayMs', () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.999999)
    for (const attempt of [4, 5, 10, 100, 5000]) {
      const d = backoffDelay(retry, attempt)
      expect(d).toBeLessThanOrEqual(1000)
      expect(d).toBeGreaterThanOrEqual(500)
      expect(Number.isFinite(d)).toBe(true)
    }
  })

  it('stays within bounds for random jitter', () => {
    for (let attempt = 0; attempt < 12; attempt++) {
      const base = Math.min(1000, 100 * 2 ** attempt)
      for (let i = 0; i < 50; i++) {
        const d = backoffDelay(retry, attempt)
        expect(d).toBeGreaterThanOrEqual(base / 2)
        expect(d).toBeLessThanOrEqual(base)
      }
    }
  })

  it('with multiplier 1 stays flat', () => {
    vi.spyOn(Math, 'random').mockReturnValue(0)
    const flat = validateRetryOptions({ initialDelayMs: 40, maxDelayMs: 40, multiplier: 1 })
    expect([0, 5, 50].map((a) => backoffDelay(flat, a))).toEqual([20, 20, 20])
  })
})

describe('isTrue', () => {
  it('accepts only "true", case-insensitively (PROTOCOL.md §4.1)', () => {
    for (const v of ['true', 'TRUE', 'True', 'tRuE']) expect(isTrue(v)).toBe(true)
    for (const v of ['false', 'yes', '1', '', 'true ', ' true', 'truee', null, undefined]) {
      expect(isTrue(v)).toBe(false)
    }
  })
})

describe('headersToRecord', () => {
  it('returns lower-case names', () => {
    const h = new Headers({ 'Stream-Next-Offset': '1_2', 'X-Y': 'z' })
    expect(headersToRecord(h)).toEqual({ 'stream-next-offset': '1_2', 'x-y': 'z' })
  })
})

describe('errorFromResponse', () => {
  const url = 'http://h/v1/stream/orders'
  function map(
    status: number,
    opts: {
      headers?: Record<string, string>
      body?: string
      method?: Method
      sent?: Record<string, string>
    } = {},
  ): DurableStreamsError {
    const res = wrapFetchResponse(new Response(null, { status, headers: opts.headers ?? {} }))
    return errorFromResponse(res, opts.body ?? '', opts.method ?? 'POST', url, opts.sent ?? {})
  }

  it('maps 404 to StreamNotFoundError naming the URL and method', () => {
    const e = map(404, { method: 'HEAD' })
    expect(e).toBeInstanceOf(StreamNotFoundError)
    expect(e.status).toBe(404)
    expect(e.url).toBe(url)
    expect(e.message).toBe(`Stream not found: ${url} (HEAD 404)`)
  })

  it('maps 410, 400 and unknown statuses, with a body snippet', () => {
    expect(map(410, { method: 'GET' })).toBeInstanceOf(StreamGoneError)
    const bad = map(400, { body: 'Invalid offset format\n', method: 'GET' })
    expect(bad).toBeInstanceOf(BadRequestError)
    expect(bad.message).toBe(`Bad request: GET ${url} returned 400: Invalid offset format`)
    const other = map(503, { body: 'x'.repeat(300) })
    expect(other).toBeInstanceOf(FetchError)
    expect(other.status).toBe(503)
    expect(other.message).toContain(url)
    expect(other.message).toContain('x'.repeat(200) + '…')
    expect(other.message).not.toContain('x'.repeat(201))
  })

  it('maps 429 with Retry-After seconds', () => {
    const e = map(429, { headers: { 'retry-after': '7' } })
    expect(e).toBeInstanceOf(RateLimitedError)
    expect((e as RateLimitedError).retryAfter).toBe(7)
    expect((map(429) as RateLimitedError).retryAfter).toBeUndefined()
  })

  it('maps 403 with Producer-Epoch to StaleEpochError, otherwise FetchError', () => {
    const e = map(403, { headers: { 'producer-epoch': '4' }, sent: { 'producer-epoch': '2' } })
    expect(e).toBeInstanceOf(StaleEpochError)
    expect((e as StaleEpochError).currentEpoch).toBe(4)
    expect(e.message).toContain('epoch 2 is stale, server epoch is 4')
    const plain = map(403)
    expect(plain).toBeInstanceOf(FetchError)
    expect(plain.status).toBe(403)
  })

  it('maps 409 + Stream-Closed to StreamClosedError with the final offset (precedence)', () => {
    const e = map(409, {
      headers: { 'stream-closed': 'true', 'stream-next-offset': '0_99' },
      body: 'Content-type mismatch',
      sent: { 'stream-seq': '5', 'content-type': 'text/plain' },
    })
    expect(e).toBeInstanceOf(StreamClosedError)
    expect((e as StreamClosedError).finalOffset).toBe('0_99')
    expect(e.headers['stream-closed']).toBe('true')
    expect(e.message).toContain(url)
    expect(map(409, { headers: { 'stream-closed': 'TRUE' } })).toBeInstanceOf(StreamClosedError)
    // Only "true" means closed.
    expect(map(409, { headers: { 'stream-closed': 'yes' } })).not.toBeInstanceOf(StreamClosedError)
  })

  it('maps 409 + Producer-Expected-Seq to SequenceGapError', () => {
    const e = map(409, {
      headers: { 'producer-expected-seq': '3', 'producer-received-seq': '5' },
    }) as SequenceGapError
    expect(e).toBeInstanceOf(SequenceGapError)
    expect(e.expectedSeq).toBe(3)
    expect(e.receivedSeq).toBe(5)
  })

  it('maps 409 on PUT to StreamExistsError', () => {
    const e = map(409, {
      method: 'PUT',
      body: 'Stream already exists with different configuration',
    })
    expect(e).toBeInstanceOf(StreamExistsError)
    expect(e.message).toContain(url)
  })

  it('maps 409 with Stream-Seq sent to SeqConflictError, unless the body names a content type', () => {
    const seq = map(409, { body: 'Sequence conflict', sent: { 'stream-seq': '0001' } })
    expect(seq).toBeInstanceOf(SeqConflictError)
    expect(seq.message).toContain('seq 0001')
    const ct = map(409, {
      body: 'Content-type mismatch',
      sent: { 'stream-seq': '0001', 'content-type': 'text/plain' },
    })
    expect(ct).toBeInstanceOf(ContentTypeMismatchError)
    const plain = map(409, { body: 'Content type mismatch', sent: { 'content-type': 'a/b' } })
    expect(plain).toBeInstanceOf(ContentTypeMismatchError)
    expect(plain.message).toContain('sent a/b')
  })
})

describe('linkSignals', () => {
  it('aborts the target with the source reason and removes its listeners on cleanup', () => {
    const a = new AbortController()
    const b = new AbortController()
    const target = new AbortController()
    const unlink = linkSignals(target, [a.signal, undefined, b.signal])
    expect(abortListenerCount(a.signal)).toBe(1)
    expect(abortListenerCount(b.signal)).toBe(1)
    b.abort('why')
    expect(target.signal.aborted).toBe(true)
    expect(target.signal.reason).toBe('why')
    unlink()
    expect(abortListenerCount(a.signal)).toBe(0)
    expect(abortListenerCount(b.signal)).toBe(0)
  })

  it('aborts at once for an already-aborted source and adds no listener', () => {
    const a = new AbortController()
    a.abort('early')
    const target = new AbortController()
    const unlink = linkSignals(target, [a.signal])
    expect(target.signal.reason).toBe('early')
    unlink()
  })
})

describe('sleep', () => {
  it('resolves after the delay and leaves no timer or listener', async () => {
    const timers = trackTimers()
    try {
      const ac = new AbortController()
      const before = activeTimeouts()
      const t0 = performance.now()
      await sleep(30, [ac.signal, undefined])
      expect(performance.now() - t0).toBeGreaterThanOrEqual(25)
      expect(abortListenerCount(ac.signal)).toBe(0)
      expect(timers.pending()).toBe(0)
      expect(activeTimeouts()).toBeLessThanOrEqual(before)
    } finally {
      timers.restore()
    }
  })

  it('rejects with the abort reason, clears its timer and removes its listeners', async () => {
    const timers = trackTimers()
    try {
      const a = new AbortController()
      const b = new AbortController()
      const p = sleep(60_000, [a.signal, b.signal])
      expect(timers.pending()).toBe(1)
      expect(abortListenerCount(a.signal)).toBe(1)
      a.abort('stop')
      await expect(p).rejects.toBe('stop')
      expect(timers.pending()).toBe(0)
      expect(abortListenerCount(a.signal)).toBe(0)
      expect(abortListenerCount(b.signal)).toBe(0)
    } finally {
      timers.restore()
    }
  })

  it('rejects at once for an already-aborted signal without starting a timer', async () => {
    const timers = trackTimers()
    try {
      const a = new AbortController()
      a.abort('already')
      await expect(sleep(60_000, [a.signal])).rejects.toBe('already')
      expect(timers.pending()).toBe(0)
    } finally {
      timers.restore()
    }
  })
})
