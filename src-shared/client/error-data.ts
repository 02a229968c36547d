/**
 * Errors as plain data and back, for crossing IPC or a WebSocket.
 */
import {
  DurableStreamsError,
  StreamNotFoundError,
  StreamExistsError,
  SeqConflictError,
  ContentTypeMismatchError,
  StreamClosedError,
  StreamGoneError,
  StaleEpochError,
  SequenceGapError,
  RateLimitedError,
  BadRequestError,
  ConnectionError,
  TimeoutError,
  SSENotSupportedError,
  ParseError,
  FetchError,
  AlreadyConsumedError,
  ClosedError,
  AbortError,
  InvalidArgumentError,
  OffsetRegressionError,
  AppendOutcomeUnknownError,
  type ErrorCode,
  type ErrorDetails,
} from './errors.js'
import { isDurableStreamsError } from './error-guards.js'

/**
 * A client error as plain, structured-clone-safe data.
 *
 * @example
 * ```ts
 * const data: SerializedError = serializeError(err) // { name, code, message, status, url }
 * ```
 */
export interface SerializedError {
  name: string
  code: string
  message: string
  status?: number | undefined
  url?: string | undefined
  /** Subclass-specific fields: finalOffset, currentEpoch, expectedSeq, receivedSeq, retryAfter, field, requestedOffset, receivedOffset. */
  details?: Record<string, string | number | undefined> | undefined
}

/**
 * Turns any thrown value into plain data that can cross IPC or a WebSocket.
 *
 * @example
 * ```ts
 * ipc.send('error', serializeError(err))
 * ```
 */
export function serializeError(err: unknown): SerializedError {
  if (isDurableStreamsError(err)) {
    const e = err as DurableStreamsError & Record<string, unknown>
    const details: Record<string, string | number | undefined> = {}
    for (const key of [
      'finalOffset',
      'currentEpoch',
      'expectedSeq',
      'receivedSeq',
      'retryAfter',
      'field',
      'requestedOffset',
      'receivedOffset',
    ]) {
      const v = e[key]
      if (typeof v === 'string' || typeof v === 'number') details[key] = v
    }
    return {
      name: e.name,
      code: e.code,
      message: e.message,
      status: e.status,
      url: e.url,
      ...(Object.keys(details).length > 0 ? { details } : {}),
    }
  }
  if (err instanceof Error) return { name: err.name, code: 'UNKNOWN', message: err.message }
  return { name: 'Error', code: 'UNKNOWN', message: String(err) }
}

/**
 * Rebuilds a typed error from {@link serializeError}'s output, so `instanceof` and the
 * type guards work on the receiving side.
 *
 * @example
 * ```ts
 * const err = deserializeError(payload)
 * if (err instanceof StreamClosedError) console.log(err.finalOffset)
 * ```
 */
export function deserializeError(data: SerializedError): Error {
  const d = data.details ?? {}
  const base: ErrorDetails = { status: data.status, url: data.url }
  const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined)
  const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined)
  switch (data.name) {
    case 'StreamNotFoundError':
      return new StreamNotFoundError(data.message, base)
    case 'StreamExistsError':
      return new StreamExistsError(data.message, base)
    case 'SeqConflictError':
      return new SeqConflictError(data.message, base)
    case 'ContentTypeMismatchError':
      return new ContentTypeMismatchError(data.message, base)
    case 'StreamClosedError':
      return new StreamClosedError(data.message, { ...base, finalOffset: str(d.finalOffset) })
    case 'StreamGoneError':
      return new StreamGoneError(data.message, base)
    case 'StaleEpochError':
      return new StaleEpochError(data.message, { ...base, currentEpoch: num(d.currentEpoch) })
    case 'SequenceGapError':
      return new SequenceGapError(data.message, {
        ...base,
        expectedSeq: num(d.expectedSeq),
        receivedSeq: num(d.receivedSeq),
      })
    case 'RateLimitedError':
      return new RateLimitedError(data.message, { ...base, retryAfter: num(d.retryAfter) })
    case 'BadRequestError':
      return new BadRequestError(data.message, base)
    case 'ConnectionError':
      return new ConnectionError(data.message, base)
    case 'TimeoutError':
      return new TimeoutError(data.message, base)
    case 'SSENotSupportedError':
      return new SSENotSupportedError(data.message, base)
    case 'ParseError':
      return new ParseError(data.message, base)
    case 'FetchError':
      return new FetchError(data.message, base)
    case 'AlreadyConsumedError':
      return new AlreadyConsumedError(data.message, base)
    case 'ClosedError':
      return new ClosedError(data.message, base)
    case 'AbortError':
      return new AbortError(data.message, base)
    case 'InvalidArgumentError':
      return new InvalidArgumentError(str(d.field) ?? 'unknown', data.message)
    case 'OffsetRegressionError':
      return new OffsetRegressionError(data.message, {
        ...base,
        requestedOffset: str(d.requestedOffset),
        receivedOffset: str(d.receivedOffset),
      })
    case 'AppendOutcomeUnknownError':
      return new AppendOutcomeUnknownError(data.message, base)
    case 'DurableStreamsError':
      return new DurableStreamsError(data.message, data.code as ErrorCode, base)
    default: {
      const e = new Error(data.message)
      e.name = data.name
      return e
    }
  }
}
