/**
 * The typed error hierarchy of the Durable Streams client.
 *
 * Every error thrown by the client is a {@link DurableStreamsError}. Subclasses
 * name the protocol condition (404, 409 closed, 403 stale epoch, ...). Because
 * errors may cross realms (Electron IPC, workers, WebSockets), type guards check
 * `name` rather than relying on `instanceof` only, and {@link serializeError} /
 * {@link deserializeError} turn errors into plain data and back.
 *
 * @packageDocumentation
 */

/**
 * Stable machine-readable error codes.
 *
 * @example
 * ```ts
 * if ((err as DurableStreamsError).code === 'STREAM_CLOSED') stop()
 * ```
 */
export type ErrorCode =
  | 'NOT_FOUND'
  | 'STREAM_EXISTS'
  | 'SEQUENCE_CONFLICT'
  | 'CONTENT_TYPE_MISMATCH'
  | 'STREAM_CLOSED'
  | 'GONE'
  | 'STALE_EPOCH'
  | 'SEQUENCE_GAP'
  | 'RATE_LIMITED'
  | 'BAD_REQUEST'
  | 'CONNECTION_ERROR'
  | 'TIMEOUT'
  | 'SSE_NOT_SUPPORTED'
  | 'PARSE_ERROR'
  | 'FETCH_ERROR'
  | 'ALREADY_CONSUMED'
  | 'CLOSED'
  | 'ABORTED'
  | 'INVALID_ARGUMENT'
  | 'OFFSET_REGRESSION'
  | 'APPEND_OUTCOME_UNKNOWN'

/**
 * Fields shared by every client error, beside the message.
 *
 * @example
 * ```ts
 * new StreamNotFoundError('gone', { url, status: 404 })
 * ```
 */
export interface ErrorDetails {
  /** URL of the stream (or request) the error concerns. */
  url?: string | undefined
  /** HTTP status, when the error came from a response. */
  status?: number | undefined
  /** Response headers (lower-case names), when the error came from a response. */
  headers?: Record<string, string> | undefined
  /** The underlying error, if any. */
  cause?: unknown
}

/**
 * Root of all errors raised by the client.
 *
 * @example
 * ```ts
 * try {
 *   await stream.append({ hello: 'world' })
 * } catch (err) {
 *   if (isDurableStreamsError(err)) console.error(err.code, err.status, err.url)
 * }
 * ```
 */
export class DurableStreamsError extends Error {
  /** Machine-readable code; stable across versions. */
  readonly code: ErrorCode
  /** URL of the stream the error concerns. */
  readonly url: string | undefined
  /** HTTP status of the response that caused the error, if any. */
  readonly status: number | undefined
  /** Response headers (lower-case), if the error came from a response. */
  readonly headers: Record<string, string>

  constructor(message: string, code: ErrorCode, details: ErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause })
    this.name = 'DurableStreamsError'
    this.code = code
    this.url = details.url
    this.status = details.status
    this.headers = details.headers ?? {}
  }
}

/**
 * The stream does not exist (HTTP 404).
 *
 * @example
 * ```ts
 * const exists = await stream.head().then(() => true, (e) => (isStreamNotFoundError(e) ? false : Promise.reject(e)))
 * ```
 */
export class StreamNotFoundError extends DurableStreamsError {
  constructor(message: string, details: ErrorDetails = {}) {
    super(message, 'NOT_FOUND', { status: 404, ...details })
    this.name = 'StreamNotFoundError'
  }
}

/**
 * A stream already exists at the URL with a different configuration (409 on create).
 *
 * @example
 * ```ts
 * await client.create('/orders', { contentType: 'text/plain' }).catch((e) => {
 *   if (e instanceof StreamExistsError) console.log('exists with another config')
 * })
 * ```
 */
export class StreamExistsError extends DurableStreamsError {
  constructor(message: string, details: ErrorDetails = {}) {
    super(message, 'STREAM_EXISTS', { status: 409, ...details })
    this.name = 'StreamExistsError'
  }
}

/**
 * `Stream-Seq` was not greater than the last sequence the server accepted (409).
 *
 * @example
 * ```ts
 * await stream.append('x', { seq: '0001' }).catch((e) => e instanceof SeqConflictError)
 * ```
 */
export class SeqConflictError extends DurableStreamsError {
  constructor(message: string, details: ErrorDetails = {}) {
    super(message, 'SEQUENCE_CONFLICT', { status: 409, ...details })
    this.name = 'SeqConflictError'
  }
}

/**
 * The appended content type does not match the stream's content type (409).
 *
 * @example
 * ```ts
 * await stream.append(bytes).catch((e) => e instanceof ContentTypeMismatchError)
 * ```
 */
export class ContentTypeMismatchError extends DurableStreamsError {
  constructor(message: string, details: ErrorDetails = {}) {
    super(message, 'CONTENT_TYPE_MISMATCH', { status: 409, ...details })
    this.name = 'ContentTypeMismatchError'
  }
}

/**
 * The stream is closed; no more appends are accepted (409 with `Stream-Closed: true`).
 *
 * @example
 * ```ts
 * await stream.append('late').catch((e) => {
 *   if (e instanceof StreamClosedError) console.log('closed at', e.finalOffset)
 * })
 * ```
 */
export class StreamClosedError extends DurableStreamsError {
  /** The stream's final offset, from `Stream-Next-Offset`. */
  readonly finalOffset: string | undefined
  constructor(message: string, details: ErrorDetails & { finalOffset?: string | undefined } = {}) {
    super(message, 'STREAM_CLOSED', { status: 409, ...details })
    this.name = 'StreamClosedError'
    this.finalOffset = details.finalOffset
  }
}

/**
 * The stream (or the requested offset) is gone: soft-deleted or past retention (410).
 *
 * @example
 * ```ts
 * await stream.head().catch((e) => e instanceof StreamGoneError)
 * ```
 */
export class StreamGoneError extends DurableStreamsError {
  constructor(message: string, details: ErrorDetails = {}) {
    super(message, 'GONE', { status: 410, ...details })
    this.name = 'StreamGoneError'
  }
}

/**
 * An idempotent producer was fenced by a newer epoch (403).
 *
 * @example
 * ```ts
 * producer.on('error', (e) => {
 *   if (e instanceof StaleEpochError) console.log('fenced by epoch', e.currentEpoch)
 * })
 * ```
 */
export class StaleEpochError extends DurableStreamsError {
  /** The server's current epoch for this producer id. */
  readonly currentEpoch: number | undefined
  constructor(message: string, details: ErrorDetails & { currentEpoch?: number | undefined } = {}) {
    super(message, 'STALE_EPOCH', { status: 403, ...details })
    this.name = 'StaleEpochError'
    this.currentEpoch = details.currentEpoch
  }
}

/**
 * An idempotent producer's sequence number skipped ahead of what the server expected (409).
 *
 * @example
 * ```ts
 * if (err instanceof SequenceGapError) console.log(err.expectedSeq, err.receivedSeq)
 * ```
 */
export class SequenceGapError extends DurableStreamsError {
  /** The sequence number the server expected. */
  readonly expectedSeq: number | undefined
  /** The sequence number the server received. */
  readonly receivedSeq: number | undefined
  constructor(
    message: string,
    details: ErrorDetails & {
      expectedSeq?: number | undefined
      receivedSeq?: number | undefined
    } = {},
  ) {
    super(message, 'SEQUENCE_GAP', { status: 409, ...details })
    this.name = 'SequenceGapError'
    this.expectedSeq = details.expectedSeq
    this.receivedSeq = details.receivedSeq
  }
}

/**
 * The server rate-limited the request (429) and retries were exhausted.
 *
 * @example
 * ```ts
 * if (err instanceof RateLimitedError) console.log('retry after', err.retryAfter, 's')
 * ```
 */
export class RateLimitedError extends DurableStreamsError {
  /** Seconds the server asked to wait (`Retry-After`), if given. */
  readonly retryAfter: number | undefined
  constructor(message: string, details: ErrorDetails & { retryAfter?: number | undefined } = {}) {
    super(message, 'RATE_LIMITED', { status: 429, ...details })
    this.name = 'RateLimitedError'
    this.retryAfter = details.retryAfter
  }
}

/**
 * The server rejected the request as malformed (400): bad offset, empty body, invalid JSON...
 *
 * @example
 * ```ts
 * await stream.readAll({ offset: 'garbage' }).catch((e) => e instanceof BadRequestError)
 * ```
 */
export class BadRequestError extends DurableStreamsError {
  constructor(message: string, details: ErrorDetails = {}) {
    super(message, 'BAD_REQUEST', { status: 400, ...details })
    this.name = 'BadRequestError'
  }
}

/**
 * The connection failed or dropped, and retries were exhausted.
 *
 * @example
 * ```ts
 * if (err instanceof ConnectionError) console.log('server unreachable:', err.url)
 * ```
 */
export class ConnectionError extends DurableStreamsError {
  constructor(message: string, details: ErrorDetails = {}) {
    super(message, 'CONNECTION_ERROR', details)
    this.name = 'ConnectionError'
  }
}

/**
 * A request did not complete within the configured timeout.
 *
 * @example
 * ```ts
 * const client = new Client({ baseUrl, timeout: 2_000 })
 * await client.stream('/slow').head().catch((e) => e instanceof TimeoutError)
 * ```
 */
export class TimeoutError extends DurableStreamsError {
  constructor(message: string, details: ErrorDetails = {}) {
    super(message, 'TIMEOUT', details)
    this.name = 'TimeoutError'
  }
}

/**
 * The server does not support SSE reads for this stream (explicit `live: 'sse'` only;
 * `live: 'auto'` falls back to long-poll instead).
 *
 * @example
 * ```ts
 * for await (const m of stream.read({ live: 'sse' })) {} // may throw SSENotSupportedError
 * ```
 */
export class SSENotSupportedError extends DurableStreamsError {
  constructor(message: string, details: ErrorDetails = {}) {
    super(message, 'SSE_NOT_SUPPORTED', details)
    this.name = 'SSENotSupportedError'
  }
}

/**
 * A response body or SSE control event could not be parsed.
 *
 * @example
 * ```ts
 * await stream.readAll().catch((e) => e instanceof ParseError && console.log(e.message))
 * ```
 */
export class ParseError extends DurableStreamsError {
  constructor(message: string, details: ErrorDetails = {}) {
    super(message, 'PARSE_ERROR', details)
    this.name = 'ParseError'
  }
}

/**
 * The server answered with a status the protocol gives no specific meaning to.
 *
 * @example
 * ```ts
 * if (err instanceof FetchError) console.log(err.status, err.message)
 * ```
 */
export class FetchError extends DurableStreamsError {
  constructor(message: string, details: ErrorDetails = {}) {
    super(message, 'FETCH_ERROR', details)
    this.name = 'FetchError'
  }
}

/**
 * A reader was iterated a second time; readers are single-consumer.
 *
 * @example
 * ```ts
 * const r = stream.readJson({ live: false })
 * await r.toArray()
 * await r.toArray() // throws AlreadyConsumedError
 * ```
 */
export class AlreadyConsumedError extends DurableStreamsError {
  constructor(message: string, details: ErrorDetails = {}) {
    super(message, 'ALREADY_CONSUMED', details)
    this.name = 'AlreadyConsumedError'
  }
}

/**
 * The client, producer or stream handle was closed and can no longer be used.
 *
 * @example
 * ```ts
 * await producer.close()
 * producer.append('x') // throws ClosedError
 * ```
 */
export class ClosedError extends DurableStreamsError {
  constructor(message: string, details: ErrorDetails = {}) {
    super(message, 'CLOSED', details)
    this.name = 'ClosedError'
  }
}

/**
 * The operation was aborted through its `AbortSignal`. Its `name` is `AbortError`,
 * like the platform's, so generic abort checks keep working.
 *
 * @example
 * ```ts
 * const ac = new AbortController()
 * const p = stream.append('x', { signal: ac.signal })
 * ac.abort()
 * await p.catch((e) => e.name === 'AbortError')
 * ```
 */
export class AbortError extends DurableStreamsError {
  constructor(message: string, details: ErrorDetails = {}) {
    super(message, 'ABORTED', details)
    this.name = 'AbortError'
  }
}

/**
 * An option or argument is invalid. The message names the offending field.
 *
 * @example
 * ```ts
 * new Client({ retry: { maxRetries: -1 } }) // throws InvalidArgumentError mentioning maxRetries
 * ```
 */
export class InvalidArgumentError extends DurableStreamsError {
  /** The name of the invalid field. */
  readonly field: string
  constructor(field: string, message: string) {
    super(message, 'INVALID_ARGUMENT')
    this.name = 'InvalidArgumentError'
    this.field = field
  }
}

/**
 * A read kept getting responses whose next offset is lower than the offset it asked for.
 * Offsets are ordered (PROTOCOL.md: lexicographically sortable), so such a response would move
 * the reader backwards and hand out messages twice; readers never follow one. Each is treated
 * as transient (counted in `reader.offsetRegressions`, re-read from the reader's own offset
 * with backoff); this error ends the read when it happens more often in a row than the retry
 * budget allows: a server that is broken, or a stream that was deleted and re-created shorter.
 *
 * @example
 * ```ts
 * await stream.readJson({ offset: saved, live: false }).toArray().catch((e) => {
 *   if (e instanceof OffsetRegressionError) console.log(e.requestedOffset, '->', e.receivedOffset)
 * })
 * ```
 */
export class OffsetRegressionError extends DurableStreamsError {
  /** The offset the reader asked for (and still holds). */
  readonly requestedOffset: string | undefined
  /** The lower next offset the server answered with. */
  readonly receivedOffset: string | undefined
  constructor(
    message: string,
    details: ErrorDetails & {
      requestedOffset?: string | undefined
      receivedOffset?: string | undefined
    } = {},
  ) {
    super(message, 'OFFSET_REGRESSION', details)
    this.name = 'OffsetRegressionError'
    this.requestedOffset = details.requestedOffset
    this.receivedOffset = details.receivedOffset
  }
}

/**
 * A plain append (no `seq`, no producer headers) failed after its body may have reached the
 * server: a timeout, a connection lost after sending, or a 5xx other than 503. The server may
 * or may not have stored it, and plain appends are not idempotent in the protocol, so the
 * client does not retry it (a retry could store it twice). To retry safely, append through an
 * `IdempotentProducer` (exactly once: the server de-duplicates by producer id, epoch and seq),
 * or pass `seq` (the server refuses a repeated one with a 409), or read the stream to check.
 * Also raised when a close with data, or an append with `seq`, was retried after a failure and
 * the retry was refused as a repeat (409): the earlier attempt may have stored it.
 *
 * @example
 * ```ts
 * try {
 *   await stream.append({ id: 1 })
 * } catch (err) {
 *   if (err instanceof AppendOutcomeUnknownError) await reconcile(err.url) // may be stored
 * }
 * ```
 */
export class AppendOutcomeUnknownError extends DurableStreamsError {
  constructor(message: string, details: ErrorDetails = {}) {
    super(message, 'APPEND_OUTCOME_UNKNOWN', details)
    this.name = 'AppendOutcomeUnknownError'
  }
}
