/**
 * Types of the idempotent producer: results, live counters, event payloads, and the batch
 * record it keeps per request.
 */
import type { BatchBuffer } from './batch-buffer.js'

/**
 * Result of {@link IdempotentProducer.appendAndWait}.
 *
 * @example
 * ```ts
 * const r: IdempotentAppendResult = await producer.appendAndWait({ id: 1 })
 * console.log(r.epoch, r.seq, r.duplicate, r.nextOffset)
 * ```
 */
export interface IdempotentAppendResult {
  /** Tail offset after the batch holding the message (absent on some duplicate answers). */
  nextOffset: string | undefined
  /** The server had already stored this batch (a retry after a lost response). */
  duplicate: boolean
  epoch: number
  seq: number
}

/**
 * Live counters of a producer.
 *
 * @example
 * ```ts
 * const { acked, inFlight, retries, lastError } = producer.stats
 * ```
 */
export interface ProducerStats {
  /** Messages accepted by `append` but not yet sent. */
  queued: number
  /** Requests in flight. */
  inFlight: number
  /** Messages acknowledged by the server (duplicates included). */
  acked: number
  /** Batches the server answered as duplicates. */
  duplicates: number
  /** Retries of batches (transient failures, sequence gaps, epoch claims). */
  retries: number
  /** Batches acknowledged. */
  batches: number
  /** Bytes acknowledged. */
  bytes: number
  /** Tail offset after the last acknowledged batch. */
  lastOffset: string | undefined
  /** The last error, if any. */
  lastError: Error | undefined
}

/**
 * Event payloads of {@link IdempotentProducer.on}.
 *
 * @example
 * ```ts
 * producer.on('retry', (e) => console.log('retrying seq', e.seq, 'because', e.reason))
 * ```
 */
export interface ProducerEvents {
  ack: { epoch: number; seq: number; count: number; bytes: number; nextOffset: string | undefined }
  duplicate: { epoch: number; seq: number; count: number }
  retry: { epoch: number; seq: number; reason: string }
  epoch: { epoch: number; previous: number; currentServerEpoch: number | undefined }
  error: Error
}

/** One request's worth of messages and its delivery state. @internal */
export interface Batch {
  index: number
  epoch: number
  seq: number
  body: BatchBuffer
  count: number
  bytes: number
  sending: boolean
  acked: boolean
  /** Set after a 409 gap: resend once every earlier batch is acknowledged. */
  waitForEarlier: boolean
  gapResends: number
  waiters: Array<{ resolve: (r: IdempotentAppendResult) => void; reject: (e: unknown) => void }>
  closeStream: boolean
}
