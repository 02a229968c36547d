/**
 * Batch assembly for the idempotent producer: messages are framed (JSON: one array; bytes:
 * concatenated) straight into the body buffer of the open batch, which is sealed when the next
 * message would push it past `maxBatchBytes` or `maxBatchItems`. Delivery, sequence numbers
 * and timers are the producer's business.
 * @internal
 */
import { BatchBuffer } from './batch-buffer.js'
import { byteLengthUtf8 } from './body.js'
import type { Batch } from './producer-types.js'

const OPEN = 0x5b // [
const COMMA = 0x2c // ,
const CLOSE = 0x5d // ]

type Waiter = Batch['waiters'][number]

export class BatchAssembler {
  private current: Batch | undefined
  private nextIndex = 0
  /** Size the previous batch reached; the next buffer starts there (one allocation when busy). */
  private lastBatchBytes = 16 * 1024

  constructor(private readonly limits: { maxBatchBytes: number; maxBatchItems: number }) {}

  /** The batch being filled, if any. */
  get open(): Batch | undefined {
    return this.current
  }

  /** A new, empty batch (not yet numbered). */
  create(json: boolean): Batch {
    return {
      index: this.nextIndex++,
      epoch: -1,
      seq: -1,
      body: new BatchBuffer(
        Math.min(this.limits.maxBatchBytes + 2, Math.max(this.lastBatchBytes, 1024)),
      ),
      count: 0,
      bytes: json ? 1 : 0,
      sending: false,
      acked: false,
      waitForEarlier: false,
      gapResends: 0,
      waiters: [],
      closeStream: false,
    }
  }

  /**
   * The batch the last `add` had to seal first to make room, if any (the caller dispatches it
   * and clears this). A field rather than part of a returned object: `add` runs once per
   * message, and an object per call is measurable garbage at millions of messages.
   */
  sealedBefore: Batch | undefined = undefined

  /**
   * Adds one encoded message. Returns whether the batch now holding the message is full (the
   * caller seals it); a batch sealed first to make room is left in `sealedBefore`.
   */
  add(part: string | Uint8Array, json: boolean, waiter: Waiter | undefined): boolean {
    const { maxBatchBytes, maxBatchItems } = this.limits
    const overhead = json ? 1 : 0 // JSON: one comma or closing bracket per message
    let b = this.current
    if (b) {
      // Cheap upper bound first (a UTF-16 unit is at most 3 UTF-8 bytes); exact size if close.
      const upper = typeof part === 'string' ? part.length * 3 : part.length
      if (b.bytes + upper + overhead > maxBatchBytes) {
        const size = typeof part === 'string' ? byteLengthUtf8(part) : part.length
        if (b.bytes + size + overhead > maxBatchBytes) {
          this.sealedBefore = this.take(json)
          b = undefined
        }
      }
    }
    if (!b) b = this.current = this.create(json)
    if (json) b.body.appendByte(b.count === 0 ? OPEN : COMMA)
    if (typeof part === 'string') b.body.appendString(part)
    else b.body.appendBytes(part)
    b.count++
    b.bytes = b.body.length + (json ? 1 : 0) // JSON: the closing bracket, written when sealed
    if (waiter) b.waiters.push(waiter)
    return b.bytes >= maxBatchBytes || b.count >= maxBatchItems
  }

  /** Seals the open batch (closes its JSON array) and hands it over; undefined if none. */
  take(json: boolean): Batch | undefined {
    const b = this.current
    if (!b) return undefined
    this.current = undefined
    if (json && b.count > 0) b.body.appendByte(CLOSE)
    this.lastBatchBytes = b.body.length + 16
    return b
  }

  /** The batch that closes the stream: empty, or carrying one final message. */
  closing(part: string | Uint8Array | undefined, json: boolean): Batch {
    const b = this.create(json)
    b.closeStream = true
    if (part !== undefined) {
      if (json) b.body.appendByte(OPEN)
      if (typeof part === 'string') b.body.appendString(part)
      else b.body.appendBytes(part)
      if (json) b.body.appendByte(CLOSE)
      b.count = 1
    }
    return b
  }
}
