/**
 * Options of the idempotent producer and their validation.
 */
import { InvalidArgumentError } from './errors.js'
import type { DynamicValue, RetryOptions } from './options.js'
import type { Stream } from './stream.js'
import type { Client } from './client.js'

/**
 * Options of {@link IdempotentProducer}. Give one of `url`, `stream`, or `client` + `path`.
 *
 * @example
 * ```ts
 * const opts: IdempotentProducerOptions = { url, producerId: 'etl-1', epoch: 2, lingerMs: 10 }
 * ```
 */
export interface IdempotentProducerOptions {
  /** Stream URL. */
  url?: string | undefined
  /** A stream handle (its client settings and headers are used). */
  stream?: Stream | undefined
  /** A client, with `path`. */
  client?: Client | undefined
  /** Stream path resolved against the client's base URL. */
  path?: string | undefined
  /** Stable producer identity (non-empty). */
  producerId: string
  /** Epoch to write with; bump it on restart to fence older instances. Default 0. */
  epoch?: number | undefined
  /** On 403 (stale epoch), take over as the server's epoch + 1 instead of failing. Default false. */
  autoClaim?: boolean | undefined
  /** Upper bound of one request body. A larger single message is sent alone. Default 1 MiB. */
  maxBatchBytes?: number | undefined
  /** Optional cap on messages per request. */
  maxBatchItems?: number | undefined
  /** How long to wait for more messages before sending a batch, in ms. Default 5. */
  lingerMs?: number | undefined
  /** Requests in flight at once (pipelining). Default 5. */
  maxInFlight?: number | undefined
  /** The stream's content type; avoids a HEAD before the first batch when given. */
  contentType?: string | undefined
  /** Extra headers on every request. */
  headers?: Record<string, DynamicValue> | undefined
  /** Retry policy for transient failures (5xx, 429, dropped connections). */
  retry?: RetryOptions | undefined
  /** Aborting it stops the producer; pending messages then fail with `AbortError`. */
  signal?: AbortSignal | undefined
}

/** Validated options with defaults applied. */
export interface ResolvedProducerOptions {
  producerId: string
  epoch: number
  autoClaim: boolean
  maxBatchBytes: number
  maxBatchItems: number
  lingerMs: number
  maxInFlight: number
}

function fail(field: string, why: string, value: unknown): never {
  throw new InvalidArgumentError(
    field,
    `Invalid producer option ${field}: ${String(value)} (${why})`,
  )
}

/**
 * Validates producer options without any I/O.
 *
 * @throws InvalidArgumentError naming the field.
 * @example
 * ```ts
 * validateProducerOptions({ producerId: 'orders-1', maxInFlight: 0 }) // throws: maxInFlight
 * ```
 */
export function validateProducerOptions(
  o: Partial<IdempotentProducerOptions>,
): ResolvedProducerOptions {
  if (typeof o.producerId !== 'string' || o.producerId.length === 0) {
    fail('producerId', 'must be a non-empty string', JSON.stringify(o.producerId))
  }
  const epoch = o.epoch ?? 0
  if (!Number.isSafeInteger(epoch) || epoch < 0) fail('epoch', 'must be an integer >= 0', epoch)
  const maxBatchBytes = o.maxBatchBytes ?? 1_048_576
  if (!Number.isFinite(maxBatchBytes) || maxBatchBytes <= 0) {
    fail('maxBatchBytes', 'must be > 0', maxBatchBytes)
  }
  const maxBatchItems = o.maxBatchItems ?? Number.POSITIVE_INFINITY
  if (
    o.maxBatchItems !== undefined &&
    (!Number.isInteger(o.maxBatchItems) || o.maxBatchItems <= 0)
  ) {
    fail('maxBatchItems', 'must be an integer > 0', o.maxBatchItems)
  }
  const lingerMs = o.lingerMs ?? 5
  if (!Number.isFinite(lingerMs) || lingerMs < 0) fail('lingerMs', 'must be >= 0', lingerMs)
  const maxInFlight = o.maxInFlight ?? 5
  if (!Number.isInteger(maxInFlight) || maxInFlight < 1) {
    fail('maxInFlight', 'must be an integer >= 1', maxInFlight)
  }
  const targets = [o.url !== undefined, o.stream !== undefined, o.client !== undefined].filter(
    Boolean,
  )
  if (targets.length > 1) fail('url', 'give only one of url, stream, or client + path', 'several')
  if (o.client !== undefined && (typeof o.path !== 'string' || o.path === '')) {
    fail('path', 'a path is required with client', JSON.stringify(o.path))
  }
  return {
    producerId: o.producerId,
    epoch,
    autoClaim: o.autoClaim ?? false,
    maxBatchBytes,
    maxBatchItems,
    lingerMs,
    maxInFlight,
  }
}
