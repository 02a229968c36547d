/**
 * Unit tests of option validation: retry options, TTL/expiry headers, Client construction
 * (baseUrl, timeout, retry) and path resolution.
 */
import { describe, expect, it } from 'vitest'
import {
  Client,
  DEFAULT_RETRY,
  InvalidArgumentError,
  isInvalidArgumentError,
  validateProducerOptions,
  validateRetryOptions,
  type RetryOptions,
} from '../../src-shared/client/index.js'
import { expiryHeaders, validateTimeout } from '../../src-shared/client/options.js'
import { recordingFetch } from '../helpers/recording-fetch.js'

/** Runs `fn`, expecting an InvalidArgumentError for `field` whose message names the field. */
function expectInvalid(fn: () => unknown, field: string): InvalidArgumentError {
  let caught: unknown
  try {
    fn()
  } catch (err) {
    caught = err
  }
  expect(caught).toBeInstanceOf(InvalidArgumentError)
  const e = caught as InvalidArgumentError
  expect(e.field).toBe(field)
  expect(e.code).toBe('INVALID_ARGUMENT')
  expect(e.message).toContain(field)
  expect(isInvalidArgumentError(e)).toBe(true)
  return e
}

/** A value of the wrong type, for validation paths the type system would normally stop. */
const bad = (v: unknown): number => v as number

describe('validateRetryOptions', () => {
  it('fills in the defaults', () => {
    expect(validateRetryOptions(undefined)).toEqual({
      maxRetries: 8,
      initialDelayMs: 100,
      maxDelayMs: 3000,
      multiplier: 2,
    })
    expect(validateRetryOptions({})).toEqual(DEFAULT_RETRY)
    expect(validateRetryOptions({ maxRetries: 3 })).toEqual({ ...DEFAULT_RETRY, maxRetries: 3 })
  })

  it('DEFAULT_RETRY is frozen and not mutated by validation', () => {
    expect(Object.isFrozen(DEFAULT_RETRY)).toBe(true)
    const r = validateRetryOptions({ maxRetries: 1 })
    r.maxRetries = 99
    expect(DEFAULT_RETRY.maxRetries).toBe(8)
  })

  it('accepts boundary values', () => {
    expect(
      validateRetryOptions({ maxRetries: 0, initialDelayMs: 1, maxDelayMs: 1, multiplier: 1 }),
    ).toEqual({ maxRetries: 0, initialDelayMs: 1, maxDelayMs: 1, multiplier: 1 })
    expect(validateRetryOptions({ initialDelayMs: 0.5, maxDelayMs: 0.5 }).initialDelayMs).toBe(0.5)
  })

  it.each([-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, bad('3'), bad(null)])(
    'rejects maxRetries %s naming the field',
    (v) => {
      expectInvalid(() => validateRetryOptions({ maxRetries: v }), 'maxRetries')
    },
  )

  it.each([0, -10, Number.NaN, Number.POSITIVE_INFINITY, bad('10')])(
    'rejects initialDelayMs %s naming the field',
    (v) => {
      expectInvalid(() => validateRetryOptions({ initialDelayMs: v }), 'initialDelayMs')
    },
  )

  it.each([50, Number.NaN, Number.POSITIVE_INFINITY, bad('5000')])(
    'rejects maxDelayMs %s (below initialDelayMs 100 or not finite) naming the field',
    (v) => {
      const e = expectInvalid(() => validateRetryOptions({ maxDelayMs: v }), 'maxDelayMs')
      if (v === 50) expect(e.message).toContain('initialDelayMs 100')
    },
  )

  it.each([0.99, 0, -2, Number.NaN, bad('2')])('rejects multiplier %s naming the field', (v) => {
    expectInvalid(() => validateRetryOptions({ multiplier: v }), 'multiplier')
  })

  it('checks fields in order: the first invalid field is named', () => {
    expectInvalid(() => validateRetryOptions({ maxRetries: -1, multiplier: 0 }), 'maxRetries')
    expectInvalid(
      () => validateRetryOptions({ initialDelayMs: -1, multiplier: 0 }),
      'initialDelayMs',
    )
  })

  it('treats explicitly undefined fields as absent (allowed by the RetryOptions type)', () => {
    const opts: RetryOptions = { maxRetries: undefined, initialDelayMs: 10, multiplier: undefined }
    expect(validateRetryOptions(opts)).toEqual({ ...DEFAULT_RETRY, initialDelayMs: 10 })
  })
})

describe('expiryHeaders', () => {
  it('emits nothing without ttl or expiry', () => {
    expect(expiryHeaders({})).toEqual({})
    expect(expiryHeaders({ ttlSeconds: undefined, expiresAt: undefined })).toEqual({})
  })

  it('emits Stream-TTL as a decimal integer', () => {
    expect(expiryHeaders({ ttlSeconds: 0 })).toEqual({ 'stream-ttl': '0' })
    expect(expiryHeaders({ ttlSeconds: 3600 })).toEqual({ 'stream-ttl': '3600' })
    expect(expiryHeaders({ ttlSeconds: 86_400 })).toEqual({ 'stream-ttl': '86400' })
  })

  it.each([-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53, bad('60')])(
    'rejects ttlSeconds %s',
    (v) => {
      expectInvalid(() => expiryHeaders({ ttlSeconds: v }), 'ttlSeconds')
    },
  )

  it('emits Stream-Expires-At: strings verbatim, Dates as ISO 8601', () => {
    expect(expiryHeaders({ expiresAt: '2099-01-02T03:04:05Z' })).toEqual({
      'stream-expires-at': '2099-01-02T03:04:05Z',
    })
    expect(expiryHeaders({ expiresAt: new Date(Date.UTC(2099, 0, 2, 3, 4, 5, 6)) })).toEqual({
      'stream-expires-at': '2099-01-02T03:04:05.006Z',
    })
  })

  it.each(['not a date', '', new Date(Number.NaN)])('rejects expiresAt %s', (v) => {
    expectInvalid(() => expiryHeaders({ expiresAt: v }), 'expiresAt')
  })

  it('rejects ttlSeconds together with expiresAt', () => {
    const e = expectInvalid(
      () => expiryHeaders({ ttlSeconds: 60, expiresAt: '2099-01-01T00:00:00Z' }),
      'ttlSeconds',
    )
    expect(e.message).toContain('expiresAt')
  })
})

describe('validateTimeout', () => {
  it('accepts positive finite numbers', () => {
    expect(validateTimeout(1)).toBe(1)
    expect(validateTimeout(0.5)).toBe(0.5)
    expect(validateTimeout(30_000)).toBe(30_000)
  })
  it.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY, '100', null])('rejects %s', (v) => {
    expectInvalid(() => validateTimeout(v), 'timeout')
  })
})

describe('Client construction', () => {
  it('accepts no options at all', async () => {
    const c = new Client()
    expect(c.baseUrl).toBeUndefined()
    expect(c.closed).toBe(false)
    await c.close()
    expect(c.closed).toBe(true)
  })

  it.each(['not a url', '/v1/stream', 'http://', ''])('rejects baseUrl %j', (v) => {
    const e = expectInvalid(() => new Client({ baseUrl: v }), 'baseUrl')
    expect(e.message).toContain(JSON.stringify(v))
  })

  it.each([0, -5, Number.NaN, Number.POSITIVE_INFINITY])('rejects timeout %s', (v) => {
    expectInvalid(() => new Client({ timeout: v }), 'timeout')
  })

  it('validates retry options, naming the field', () => {
    expectInvalid(() => new Client({ retry: { maxRetries: -1 } }), 'maxRetries')
    expectInvalid(() => new Client({ retry: { initialDelayMs: 0 } }), 'initialDelayMs')
    expectInvalid(
      () => new Client({ retry: { initialDelayMs: 100, maxDelayMs: 10 } }),
      'maxDelayMs',
    )
    expectInvalid(() => new Client({ retry: { multiplier: 0.5 } }), 'multiplier')
  })

  it('resolves stream paths against the base URL', () => {
    const c = new Client({ baseUrl: 'http://h:1/v1/stream' })
    expect(c.baseUrl).toBe('http://h:1/v1/stream')
    expect(c.resolve('a/b')).toBe('http://h:1/v1/stream/a/b')
    expect(c.resolve('/a/b')).toBe('http://h:1/v1/stream/a/b')
    expect(c.resolve('//a')).toBe('http://h:1/v1/stream/a')
    expect(new Client({ baseUrl: 'http://h:1/v1/stream///' }).resolve('/x')).toBe(
      'http://h:1/v1/stream/x',
    )
    expect(c.resolve('https://other.example/s')).toBe('https://other.example/s')
    expect(c.stream('/orders').url).toBe('http://h:1/v1/stream/orders')
  })

  it('refuses relative paths without a base URL', () => {
    const c = new Client()
    expectInvalid(() => c.resolve('orders'), 'path')
    expectInvalid(() => c.stream('/orders'), 'path')
    expect(c.stream('http://h:1/orders').url).toBe('http://h:1/orders')
  })

  it('stream() does no I/O and carries the given content type', () => {
    const rec = recordingFetch()
    const c = new Client({ baseUrl: 'http://127.0.0.1:1', fetch: rec.fetch })
    const s = c.stream('/x', { contentType: 'application/json' })
    expect(s.contentType).toBe('application/json')
    expect(s.isJson).toBe(true)
    expect(s.nextOffset).toBeUndefined()
    expect(c.stream('/y').contentType).toBeUndefined()
    expect(rec.requests).toHaveLength(0)
  })

  it('takes explicitly undefined options as absent (exactOptionalPropertyTypes callers)', () => {
    const c = new Client({
      baseUrl: undefined,
      headers: undefined,
      params: undefined,
      timeout: undefined,
      sseIdleTimeout: undefined,
      retry: undefined,
      fetch: undefined,
      logger: undefined,
      appendRetry: undefined,
    })
    expect(c.baseUrl).toBeUndefined()
    const s = c.stream('http://h:1/x', { contentType: undefined, headers: undefined })
    expect(s.contentType).toBeUndefined()
    expect(
      validateProducerOptions({
        producerId: 'p',
        epoch: undefined,
        autoClaim: undefined,
        maxBatchBytes: undefined,
        maxBatchItems: undefined,
        lingerMs: undefined,
        maxInFlight: undefined,
        url: undefined,
        client: undefined,
        path: undefined,
      }),
    ).toEqual(validateProducerOptions({ producerId: 'p' }))
    expect(expiryHeaders({ ttlSeconds: undefined, expiresAt: undefined })).toEqual({})
  })

  it('rejects an invalid create option before any request', async () => {
    const rec = recordingFetch()
    const c = new Client({ baseUrl: 'http://127.0.0.1:1', fetch: rec.fetch })
    await expect(c.create('/x', { ttlSeconds: -1 })).rejects.toMatchObject({
      name: 'InvalidArgumentError',
      field: 'ttlSeconds',
    })
    await expect(c.create('/x', { ttlSeconds: 1, expiresAt: new Date() })).rejects.toBeInstanceOf(
      InvalidArgumentError,
    )
    expect(rec.requests).toHaveLength(0)
  })
})
