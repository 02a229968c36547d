/**
 * Type guards for the client's errors. They check `name` as well as `instanceof`, so they work
 * on errors rebuilt in another realm (IPC, workers, WebSockets).
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
  InvalidArgumentError,
  OffsetRegressionError,
  AppendOutcomeUnknownError,
} from './errors.js'

function hasName(err: unknown, name: string): boolean {
  return typeof err === 'object' && err !== null && (err as { name?: unknown }).name === name
}

const ALL_NAMES = new Set([
  'DurableStreamsError',
  'StreamNotFoundError',
  'StreamExistsError',
  'SeqConflictError',
  'ContentTypeMismatchError',
  'StreamClosedError',
  'StreamGoneError',
  'StaleEpochError',
  'SequenceGapError',
  'RateLimitedError',
  'BadRequestError',
  'ConnectionError',
  'TimeoutError',
  'SSENotSupportedError',
  'ParseError',
  'FetchError',
  'AlreadyConsumedError',
  'ClosedError',
  'AbortError',
  'InvalidArgumentError',
  'OffsetRegressionError',
  'AppendOutcomeUnknownError',
])

/**
 * True for any client error, also one rebuilt in another realm (checks `name` and `code`).
 *
 * @example
 * ```ts
 * if (isDurableStreamsError(err)) console.log(err.code)
 * ```
 */
export function isDurableStreamsError(err: unknown): err is DurableStreamsError {
  if (err instanceof DurableStreamsError) return true
  return (
    typeof err === 'object' &&
    err !== null &&
    ALL_NAMES.has(String((err as { name?: unknown }).name)) &&
    typeof (err as { code?: unknown }).code === 'string'
  )
}

/** @example `if (isStreamNotFoundError(err)) showEmptyState()` */
export const isStreamNotFoundError = (e: unknown): e is StreamNotFoundError =>
  e instanceof StreamNotFoundError || hasName(e, 'StreamNotFoundError')
/** @example `if (isStreamExistsError(err)) reuseExisting()` */
export const isStreamExistsError = (e: unknown): e is StreamExistsError =>
  e instanceof StreamExistsError || hasName(e, 'StreamExistsError')
/** @example `if (isSeqConflictError(err)) skipDuplicate()` */
export const isSeqConflictError = (e: unknown): e is SeqConflictError =>
  e instanceof SeqConflictError || hasName(e, 'SeqConflictError')
/** @example `if (isContentTypeMismatchError(err)) warn()` */
export const isContentTypeMismatchError = (e: unknown): e is ContentTypeMismatchError =>
  e instanceof ContentTypeMismatchError || hasName(e, 'ContentTypeMismatchError')
/** @example `if (isStreamClosedError(err)) console.log(err.finalOffset)` */
export const isStreamClosedError = (e: unknown): e is StreamClosedError =>
  e instanceof StreamClosedError || hasName(e, 'StreamClosedError')
/** @example `if (isStreamGoneError(err)) forget()` */
export const isStreamGoneError = (e: unknown): e is StreamGoneError =>
  e instanceof StreamGoneError || hasName(e, 'StreamGoneError')
/** @example `if (isStaleEpochError(err)) console.log(err.currentEpoch)` */
export const isStaleEpochError = (e: unknown): e is StaleEpochError =>
  e instanceof StaleEpochError || hasName(e, 'StaleEpochError')
/** @example `if (isSequenceGapError(err)) console.log(err.expectedSeq)` */
export const isSequenceGapError = (e: unknown): e is SequenceGapError =>
  e instanceof SequenceGapError || hasName(e, 'SequenceGapError')
/** @example `if (isRateLimitedError(err)) console.log(err.retryAfter)` */
export const isRateLimitedError = (e: unknown): e is RateLimitedError =>
  e instanceof RateLimitedError || hasName(e, 'RateLimitedError')
/** @example `if (isBadRequestError(err)) showInputError(err.message)` */
export const isBadRequestError = (e: unknown): e is BadRequestError =>
  e instanceof BadRequestError || hasName(e, 'BadRequestError')
/** @example `if (isConnectionError(err)) showOffline()` */
export const isConnectionError = (e: unknown): e is ConnectionError =>
  e instanceof ConnectionError || hasName(e, 'ConnectionError')
/** @example `if (isTimeoutError(err)) retryLater()` */
export const isTimeoutError = (e: unknown): e is TimeoutError =>
  e instanceof TimeoutError || hasName(e, 'TimeoutError')
/** @example `if (isParseError(err)) report(err)` */
export const isParseError = (e: unknown): e is ParseError =>
  e instanceof ParseError || hasName(e, 'ParseError')
/** @example `if (isClosedError(err)) return` */
export const isClosedError = (e: unknown): e is ClosedError =>
  e instanceof ClosedError || hasName(e, 'ClosedError')
/** @example `if (isSSENotSupportedError(err)) useLongPoll()` */
export const isSSENotSupportedError = (e: unknown): e is SSENotSupportedError =>
  e instanceof SSENotSupportedError || hasName(e, 'SSENotSupportedError')
/** @example `if (isFetchError(err)) console.log(err.status)` */
export const isFetchError = (e: unknown): e is FetchError =>
  e instanceof FetchError || hasName(e, 'FetchError')
/** @example `if (isAlreadyConsumedError(err)) reader = stream.readJson()` */
export const isAlreadyConsumedError = (e: unknown): e is AlreadyConsumedError =>
  e instanceof AlreadyConsumedError || hasName(e, 'AlreadyConsumedError')
/**
 * True for an abort: the client's `AbortError` or the platform's `DOMException` of that name.
 * @example `if (isAbortError(err)) return // user cancelled`
 */
export const isAbortError = (e: unknown): e is Error & { name: 'AbortError' } =>
  hasName(e, 'AbortError')
/** @example `if (isInvalidArgumentError(err)) console.log(err.field)` */
export const isInvalidArgumentError = (e: unknown): e is InvalidArgumentError =>
  e instanceof InvalidArgumentError || hasName(e, 'InvalidArgumentError')
/** @example `if (isOffsetRegressionError(err)) console.log(err.requestedOffset, err.receivedOffset)` */
export const isOffsetRegressionError = (e: unknown): e is OffsetRegressionError =>
  e instanceof OffsetRegressionError || hasName(e, 'OffsetRegressionError')
/** @example `if (isAppendOutcomeUnknownError(err)) await checkWhetherStored()` */
export const isAppendOutcomeUnknownError = (e: unknown): e is AppendOutcomeUnknownError =>
  e instanceof AppendOutcomeUnknownError || hasName(e, 'AppendOutcomeUnknownError')
