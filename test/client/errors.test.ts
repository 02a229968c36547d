/**
 * Unit tests of the error hierarchy: codes, statuses, subclass fields, type guards across
 * realms, and serializeError/deserializeError round trips.
 */
import vm from 'node:vm'
import { describe, expect, it } from 'vitest'
import {
  AbortError,
  AlreadyConsumedError,
  BadRequestError,
  ClosedError,
  ConnectionError,
  ContentTypeMismatchError,
  DurableStreamsError,
  FetchError,
  InvalidArgumentError,
  ParseError,
  RateLimitedError,
  SeqConflictError,
  SequenceGapError,
  SSENotSupportedError,
  StaleEpochError,
  StreamClosedError,
  StreamExistsError,
  StreamGoneError,
  StreamNotFoundError,
  TimeoutError,
  deserializeError,
  isAbortError,
  isBadRequestError,
  isClosedError,
  isConnectionError,
  isContentTypeMismatchError,
  isDurableStreamsError,
  isInvalidArgumentError,
  isOffsetRegressionError,
  isAppendOutcomeUnknownError,
  OffsetRegressionError,
  AppendOutcomeUnknownError,
  isParseError,
  isRateLimitedError,
  isSeqConflictError,
  isSequenceGapError,
  isStaleEpochError,
  isStreamClosedError,
  isStreamExistsError,
  isStreamGoneError,
  isStreamNotFoundError,
  isTimeoutError,
  serializeError,
  type ErrorCode,
  type SerializedError,
} from '../../src-shared/client/index.js'

const URL_ = 'http://127.0.0.1:1/v1/stream/x'
const details = { url: URL_, headers: { 'x-a': '1' } }

interface Case {
  name: string
  make: () => DurableStreamsError
  ctor: abstract new (...args: never[]) => DurableStreamsError
  code: ErrorCode
  status: number | undefined
  /** Subclass-specific fields and their expected values. */
  extra?: Record<string, string | number>
  guard?: (e: unknown) => boolean
}

const cases: Case[] = [
  {
    name: 'DurableStreamsError',
    make: () => new DurableStreamsError('m', 'FETCH_ERROR', { ...details, status: 418 }),
    ctor: DurableStreamsError,
    code: 'FETCH_ERROR',
    status: 418,
  },
  {
    name: 'StreamNotFoundError',
    make: () => new StreamNotFoundError('m', details),
    ctor: StreamNotFoundError,
    code: 'NOT_FOUND',
    status: 404,
    guard: isStreamNotFoundError,
  },
  {
    name: 'StreamExistsError',
    make: () => new StreamExistsError('m', details),
    ctor: StreamExistsError,
    code: 'STREAM_EXISTS',
    status: 409,
    guard: isStreamExistsError,
  },
  {
    name: 'SeqConflictError',
    make: () => new SeqConflictError('m', details),
    ctor: SeqConflictError,
    code: 'SEQUENCE_CONFLICT',
    status: 409,
    guard: isSeqConflictError,
  },
  {
    name: 'ContentTypeMismatchError',
    make: () => new ContentTypeMismatchError('m', details),
    ctor: ContentTypeMismatchError,
    code: 'CONTENT_TYPE_MISMATCH',
    status: 409,
    guard: isContentTypeMismatchError,
  },
  {
    name: 'StreamClosedError',
    make: () => new StreamClosedError('m', { ...details, finalOffset: '0000_0042' }),
    ctor: StreamClosedError,
    code: 'STREAM_CLOSED',
    status: 409,
    extra: { finalOffset: '0000_0042' },
    guard: isStreamClosedError,
  },
  {
    name: 'StreamGoneError',
    make: () => new StreamGoneError('m', details),
    ctor: StreamGoneError,
    code: 'GONE',
    status: 410,
    guard: isStreamGoneError,
  },
  {
    name: 'StaleEpochError',
    make: () => new StaleEpochError('m', { ...details, currentEpoch: 7 }),
    ctor: StaleEpochError,
    code: 'STALE_EPOCH',
    status: 403,
    extra: { currentEpoch: 7 },
    guard: isStaleEpochError,
  },
  {
    name: 'SequenceGapError',
    make: () => new SequenceGapError('m', { ...details, expectedSeq: 3, receivedSeq: 5 }),
    ctor: SequenceGapError,
    code: 'SEQUENCE_GAP',
    status: 409,
    extra: { expectedSeq: 3, receivedSeq: 5 },
    guard: isSequenceGapError,
  },
  {
    name: 'RateLimitedError',
    make: () => new RateLimitedError('m', { ...details, retryAfter: 2 }),
    ctor: RateLimitedError,
    code: 'RATE_LIMITED',
    status: 429,
    extra: { retryAfter: 2 },
    guard: isRateLimitedError,
  },
  {
    name: 'BadRequestError',
    make: () => new BadRequestError('m', details),
    ctor: BadRequestError,
    code: 'BAD_REQUEST',
    status: 400,
    guard: isBadRequestError,
  },
  {
    name: 'ConnectionError',
    make: () => new ConnectionError('m', details),
    ctor: ConnectionError,
    code: 'CONNECTION_ERROR',
    status: undefined,
    guard: isConnectionError,
  },
  {
    name: 'TimeoutError',
    make: () => new TimeoutError('m', details),
    ctor: TimeoutError,
    code: 'TIMEOUT',
    status: undefined,
    guard: isTimeoutError,
  },
  {
    name: 'SSENotSupportedError',
    make: () => new SSENotSupportedError('m', { ...details, status: 200 }),
    ctor: SSENotSupportedError,
    code: 'SSE_NOT_SUPPORTED',
    status: 200,
  },
  {
    name: 'ParseError',
    make: () => new ParseError('m', details),
    ctor: ParseError,
    code: 'PARSE_ERROR',
    status: undefined,
    guard: isParseError,
  },
  {
    name: 'FetchError',
    make: () => new FetchError('m', { ...details, status: 502 }),
    ctor: FetchError,
    code: 'FETCH_ERROR',
    status: 502,
  },
  {
    name: 'AlreadyConsumedError',
    make: () => new AlreadyConsumedError('m', details),
    ctor: AlreadyConsumedError,
    code: 'ALREADY_CONSUMED',
    status: undefined,
  },
  {
    name: 'ClosedError',
    make: () => new ClosedError('m', details),
    ctor: ClosedError,
    code: 'CLOSED',
    status: undefined,
    guard: isClosedError,
  },
  {
    name: 'AbortError',
    make: () => new AbortError('m', details),
    ctor: AbortError,
    code: 'ABORTED',
    status: undefined,
    guard: isAbortError,
  },
  {
    name: 'InvalidArgumentError',
    make: () => new InvalidArgumentError('maxRetries', 'm'),
    ctor: InvalidArgumentError,
    code: 'INVALID_ARGUMENT',
    status: undefined,
    extra: { field: 'maxRetries' },
    guard: isInvalidArgumentError,
  },
  {
    name: 'OffsetRegressionError',
    make: () =>
      new OffsetRegressionError('m', { ...details, requestedOffset: '0_5', receivedOffset: '0_1' }),
    ctor: OffsetRegressionError,
    code: 'OFFSET_REGRESSION',
    status: undefined,
    extra: { requestedOffset: '0_5', receivedOffset: '0_1' },
    guard: isOffsetRegressionError,
  },
  {
    name: 'AppendOutcomeUnknownError',
    make: () => new AppendOutcomeUnknownError('m', details),
    ctor: AppendOutcomeUnknownError,
    code: 'APPEND_OUTCOME_UNKNOWN',
    status: undefined,
    guard: isAppendOutcomeUnknownError,
  },
]

const guards = cases.filter((c) => c.guard !== undefined)

describe('error hierarchy', () => {
  it.each(cases)('$name has its name, code, status and fields', (c) => {
    const e = c.make()
    expect(e).toBeInstanceOf(Error)
    expect(e).toBeInstanceOf(DurableStreamsError)
    expect(e).toBeInstanceOf(c.ctor)
    expect(e.name).toBe(c.name)
    expect(e.code).toBe(c.code)
    expect(e.status).toBe(c.status)
    expect(e.message).toBe('m')
    expect(typeof e.stack).toBe('string')
    if (c.name !== 'InvalidArgumentError') {
      expect(e.url).toBe(URL_)
      expect(e.headers).toEqual({ 'x-a': '1' })
    } else {
      expect(e.url).toBeUndefined()
      expect(e.headers).toEqual({})
    }
    for (const [k, v] of Object.entries(c.extra ?? {})) {
      expect((e as unknown as Record<string, unknown>)[k]).toBe(v)
    }
    expect(isDurableStreamsError(e)).toBe(true)
  })

  it('every subclass has a distinct code', () => {
    const codes = cases.filter((c) => c.name !== 'DurableStreamsError').map((c) => c.code)
    expect(new Set(codes).size).toBe(codes.length)
  })

  it('keeps the cause', () => {
    const cause = new Error('socket hang up')
    const e = new ConnectionError('failed', { url: URL_, cause })
    expect(e.cause).toBe(cause)
    expect(new ConnectionError('x').cause).toBeUndefined()
    expect('cause' in new ConnectionError('x')).toBe(false)
  })

  it('an explicit status overrides the subclass default', () => {
    expect(new StreamNotFoundError('m', { status: 410 }).status).toBe(410)
    expect(new StreamNotFoundError('m').status).toBe(404)
    expect(new StreamNotFoundError('m').headers).toEqual({})
  })

  it('AbortError is named like the platform abort error', () => {
    const e = new AbortError('aborted')
    expect(e.name).toBe('AbortError')
    expect(isAbortError(new DOMException('x', 'AbortError'))).toBe(true)
    expect(isAbortError(new DOMException('x', 'TimeoutError'))).toBe(false)
  })
})

describe('type guards', () => {
  it.each(guards)('$name guard accepts its own class only', (c) => {
    const own = c.make()
    expect(c.guard!(own)).toBe(true)
    for (const other of cases) {
      if (other.name === c.name) continue
      expect(c.guard!(other.make())).toBe(false)
    }
  })

  it.each(guards)('$name guard works on an object rebuilt from JSON', (c) => {
    const json = JSON.parse(JSON.stringify(c.make())) as unknown
    expect(json).not.toBeInstanceOf(Error)
    expect(c.guard!(json)).toBe(true)
    expect(isDurableStreamsError(json)).toBe(true)
    expect((json as { code: string }).code).toBe(c.code)
  })

  it.each(guards)('$name guard works after structuredClone of serializeError()', (c) => {
    const cloned = structuredClone(serializeError(c.make()))
    expect(c.guard!(cloned)).toBe(true)
    expect(isDurableStreamsError(cloned)).toBe(true)
  })

  it.each(guards)('$name guard works on an error created in another realm (vm)', (c) => {
    const foreign: unknown = vm.runInNewContext(
      `class E extends Error { constructor() { super('m'); this.name = ${JSON.stringify(c.name)}; this.code = ${JSON.stringify(c.code)} } }; new E()`,
    )
    expect(foreign instanceof Error).toBe(false) // another realm's Error
    expect(c.guard!(foreign)).toBe(true)
    expect(isDurableStreamsError(foreign)).toBe(true)
  })

  it('isDurableStreamsError rejects look-alikes and non-objects', () => {
    expect(isDurableStreamsError({ name: 'StreamNotFoundError' })).toBe(false) // no code
    expect(isDurableStreamsError({ name: 'SomethingElse', code: 'NOT_FOUND' })).toBe(false)
    expect(isDurableStreamsError(new Error('x'))).toBe(false)
    expect(isDurableStreamsError(null)).toBe(false)
    expect(isDurableStreamsError(undefined)).toBe(false)
    expect(isDurableStreamsError('StreamNotFoundError')).toBe(false)
    expect(isStreamNotFoundError(null)).toBe(false)
    expect(isStreamNotFoundError('StreamNotFoundError')).toBe(false)
    expect(isStreamNotFoundError({ name: 'StreamGoneError' })).toBe(false)
  })
})

describe('serializeError / deserializeError', () => {
  it.each(cases)('$name round trips through JSON with every field', (c) => {
    const original = c.make()
    const data = serializeError(original)
    expect(data.name).toBe(c.name)
    expect(data.code).toBe(c.code)
    expect(data.message).toBe('m')
    expect(data.status).toBe(c.status)
    if (c.extra) expect(data.details).toEqual(c.extra)
    else expect(data.details).toBeUndefined()

    const wire = JSON.parse(JSON.stringify(data)) as SerializedError
    const back = deserializeError(wire)
    expect(back).toBeInstanceOf(c.ctor)
    expect(back).toBeInstanceOf(DurableStreamsError)
    const b = back as DurableStreamsError
    expect(b.name).toBe(c.name)
    expect(b.code).toBe(c.code)
    expect(b.message).toBe('m')
    expect(b.status).toBe(c.status)
    expect(b.url).toBe(original.url)
    for (const [k, v] of Object.entries(c.extra ?? {})) {
      expect((b as unknown as Record<string, unknown>)[k]).toBe(v)
    }
    if (c.guard) expect(c.guard(back)).toBe(true)
  })

  it.each(cases)('$name round trips through structuredClone (IPC)', (c) => {
    const back = deserializeError(structuredClone(serializeError(c.make())))
    expect(back).toBeInstanceOf(c.ctor)
    expect((back as DurableStreamsError).code).toBe(c.code)
    expect(serializeError(back)).toEqual(serializeError(c.make()))
  })

  it('subclass fields that are undefined are left out of details', () => {
    expect(serializeError(new StreamClosedError('m')).details).toBeUndefined()
    const gap = serializeError(new SequenceGapError('m', { expectedSeq: 1 }))
    expect(gap.details).toEqual({ expectedSeq: 1 })
    const back = deserializeError(gap) as SequenceGapError
    expect(back.expectedSeq).toBe(1)
    expect(back.receivedSeq).toBeUndefined()
  })

  it('serializes foreign errors and non-errors as UNKNOWN', () => {
    const te = new TypeError('bad type')
    expect(serializeError(te)).toEqual({ name: 'TypeError', code: 'UNKNOWN', message: 'bad type' })
    expect(serializeError('boom')).toEqual({ name: 'Error', code: 'UNKNOWN', message: 'boom' })
    expect(serializeError(42)).toEqual({ name: 'Error', code: 'UNKNOWN', message: '42' })
    const back = deserializeError(serializeError(te))
    expect(back).toBeInstanceOf(Error)
    expect(back).not.toBeInstanceOf(DurableStreamsError)
    expect(back.name).toBe('TypeError')
    expect(back.message).toBe('bad type')
  })

  it('serializes a cross-realm client error by its name and fields', () => {
    const foreign = JSON.parse(
      JSON.stringify({
        name: 'StreamClosedError',
        code: 'STREAM_CLOSED',
        finalOffset: 'f',
        status: 409,
      }),
    ) as unknown
    const data = serializeError(foreign)
    expect(data).toMatchObject({ name: 'StreamClosedError', code: 'STREAM_CLOSED', status: 409 })
    expect(data.details).toEqual({ finalOffset: 'f' })
    const back = deserializeError(data) as StreamClosedError
    expect(back).toBeInstanceOf(StreamClosedError)
    expect(back.finalOffset).toBe('f')
  })

  it('InvalidArgumentError without a field deserializes with field "unknown"', () => {
    const back = deserializeError({
      name: 'InvalidArgumentError',
      code: 'INVALID_ARGUMENT',
      message: 'm',
    }) as InvalidArgumentError
    expect(back).toBeInstanceOf(InvalidArgumentError)
    expect(back.field).toBe('unknown')
  })
})
