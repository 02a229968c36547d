/**
 * Reading protocol responses: header helpers and the mapping of error statuses to the typed
 * error hierarchy.
 * @internal
 */
import {
  BadRequestError,
  ContentTypeMismatchError,
  DurableStreamsError,
  FetchError,
  RateLimitedError,
  SeqConflictError,
  SequenceGapError,
  StaleEpochError,
  StreamClosedError,
  StreamExistsError,
  StreamGoneError,
  StreamNotFoundError,
} from './errors.js'
import { parseRetryAfter } from './http-util.js'
import { H } from './protocol.js'
import type { EngineHeaders, EngineResponse } from './engine.js'
import type { Method } from './http.js'

/** Lower-case copy of response headers. */
export function headersToRecord(headers: EngineHeaders): Record<string, string> {
  const out: Record<string, string> = {}
  headers.forEach((v, k) => {
    out[k] = v
  })
  return out
}

/**
 * Transient statuses: 5xx and 429. 4xx are never retried, nor 501/505, which say the server
 * does not support the request at all (PROTOCOL.md uses 501 for "not implemented").
 */
/** `Retry-After` (seconds or an HTTP date) in whole seconds. */
function retryAfterSeconds(value: string | null): number | undefined {
  const ms = parseRetryAfter(value)
  return ms === undefined ? undefined : Math.ceil(ms / 1000)
}

export function isRetryableStatus(status: number): boolean {
  return status === 429 || (status >= 500 && status !== 501 && status !== 505)
}

function snippet(text: string): string {
  const t = text.trim()
  if (!t) return ''
  return ': ' + (t.length > 200 ? t.slice(0, 200) + '…' : t)
}

function intHeader(res: EngineResponse, name: string): number | undefined {
  const v = res.headers.get(name)
  if (v === null) return undefined
  const n = Number(v)
  return Number.isFinite(n) ? n : undefined
}

/** Maps a non-success response to the protocol's typed error. */
export function errorFromResponse(
  res: EngineResponse,
  bodyText: string,
  method: Method,
  url: string,
  sentHeaders: Record<string, string>,
): DurableStreamsError {
  const status = res.status
  const details = { url, status, headers: headersToRecord(res.headers) }
  const what = `${method} ${url}`
  switch (status) {
    case 404:
      return new StreamNotFoundError(`Stream not found: ${url} (${method} 404)`, details)
    case 410:
      return new StreamGoneError(
        `Stream is gone: ${url} (${method} 410${snippet(bodyText)})`,
        details,
      )
    case 400:
      return new BadRequestError(`Bad request: ${what} returned 400${snippet(bodyText)}`, details)
    case 429:
      return new RateLimitedError(`Rate limited: ${what} returned 429${snippet(bodyText)}`, {
        ...details,
        retryAfter: retryAfterSeconds(res.headers.get('retry-after')),
      })
    case 403: {
      const epoch = intHeader(res, H.producerEpoch)
      if (epoch !== undefined) {
        return new StaleEpochError(
          `Producer fenced on ${url}: epoch ${sentHeaders[H.producerEpoch] ?? '?'} is stale, server epoch is ${epoch}`,
          { ...details, currentEpoch: epoch },
        )
      }
      return new FetchError(`Forbidden: ${what} returned 403${snippet(bodyText)}`, details)
    }
    case 409: {
      if (isTrue(res.headers.get(H.streamClosed))) {
        const finalOffset = res.headers.get(H.nextOffset) ?? undefined
        return new StreamClosedError(
          `Stream is closed: ${url} (final offset ${finalOffset ?? '?'})`,
          {
            ...details,
            finalOffset,
          },
        )
      }
      const expected = intHeader(res, H.producerExpectedSeq)
      if (expected !== undefined) {
        const received = intHeader(res, H.producerReceivedSeq)
        return new SequenceGapError(
          `Producer sequence gap on ${url}: expected seq ${expected}, sent ${received ?? '?'}`,
          { ...details, expectedSeq: expected, receivedSeq: received },
        )
      }
      if (method === 'PUT') {
        return new StreamExistsError(
          `Stream already exists with a different configuration: ${url}${snippet(bodyText)}`,
          details,
        )
      }
      const mentionsType = /content[- ]?type/i.test(bodyText)
      if (sentHeaders[H.streamSeq] !== undefined && !mentionsType) {
        return new SeqConflictError(
          `Stream-Seq conflict on ${url}: seq ${sentHeaders[H.streamSeq]} is not greater than the last accepted one`,
          details,
        )
      }
      return new ContentTypeMismatchError(
        `Content type mismatch on ${url}: sent ${sentHeaders['content-type'] ?? '(none)'}${snippet(bodyText)}`,
        details,
      )
    }
    default:
      return new FetchError(
        `${what} failed with ${status} ${res.statusText}${snippet(bodyText)}`,
        details,
      )
  }
}

/** True for the protocol's boolean header value (`true`, case-insensitive). */
export function isTrue(v: string | null | undefined): boolean {
  return v != null && v.length === 4 && v.toLowerCase() === 'true'
}

/**
 * Discards the body of a successful write response (create, append, close, delete). The
 * protocol gives those no body; an empty one (`Content-Length: 0`) needs no read. Any other body
 * is read to its end, so the connection returns to the pool promptly.
 */
export async function drain(res: EngineResponse): Promise<void> {
  if (res.hasBody) await res.bytes()
}
