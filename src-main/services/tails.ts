/**
 * Live tails, keyed by the subscribing owner (an Electron window or a web socket).
 *
 * Delivery is batched: at most one `tail.batch` per frame interval, and at most one batch in
 * flight until the renderer acks it (`tails.ack`). While a batch is unacknowledged, messages
 * accumulate in a bounded buffer; on overflow the oldest are dropped and the next batch says
 * how many (`dropped`). Everything an owner subscribed to is disposed when it detaches.
 */
import { randomUUID } from 'node:crypto'
import type { EventMap, MessagePayload, TailMessage } from '../../src-shared/ipc/contract.js'
import { toErrorData } from './errors.js'

/** One batch from the network, already converted to renderer payloads. */
export interface SourceBatch {
  messages: MessagePayload[]
  nextOffset: string
  upToDate: boolean
  closed: boolean
}

/** Opens a live read; ends when the stream closes or the signal aborts. */
export type TailSource = (
  req: { connectionId: string; path: string; offset: string },
  signal: AbortSignal,
) => AsyncIterable<SourceBatch>

export type TailEmit = <E extends 'tail.batch' | 'tail.status'>(
  ownerId: string,
  event: E,
  payload: EventMap[E],
) => void

export interface TailManagerOptions {
  source: TailSource
  emit: TailEmit
  /** Minimum interval between batches to one subscription (ms). Default 16 (one frame). */
  frameMs?: number
  /** Max messages buffered per subscription before the oldest are dropped. Default 10 000. */
  maxBuffer?: number
}

interface Subscription {
  id: string
  ownerId: string
  abort: AbortController
  buffer: TailMessage[]
  dropped: number
  nextOffset: string
  upToDate: boolean
  closed: boolean
  dirty: boolean
  inFlight: boolean
  timer: ReturnType<typeof setTimeout> | null
  done: Promise<void>
}

export class TailManager {
  private readonly subs = new Map<string, Subscription>()
  private readonly frameMs: number
  private readonly maxBuffer: number

  constructor(private readonly options: TailManagerOptions) {
    this.frameMs = options.frameMs ?? 16
    this.maxBuffer = options.maxBuffer ?? 10_000
  }

  /** Number of live subscriptions (for one owner, or all). */
  count(ownerId?: string): number {
    if (ownerId === undefined) return this.subs.size
    let n = 0
    for (const s of this.subs.values()) if (s.ownerId === ownerId) n++
    return n
  }

  subscribe(ownerId: string, req: { connectionId: string; path: string; offset: string }): string {
    const sub: Subscription = {
      id: randomUUID(),
      ownerId,
      abort: new AbortController(),
      buffer: [],
      dropped: 0,
      nextOffset: req.offset,
      upToDate: false,
      closed: false,
      dirty: false,
      inFlight: false,
      timer: null,
      done: Promise.resolve(),
    }
    this.subs.set(sub.id, sub)
    sub.done = this.pump(sub, req)
    return sub.id
  }

  /** Renderer rendered the last batch; the next may be sent. */
  ack(ownerId: string, subscriptionId: string): void {
    const sub = this.owned(ownerId, subscriptionId)
    sub.inFlight = false
    if (sub.dirty) this.schedule(sub)
  }

  unsubscribe(ownerId: string, subscriptionId: string): void {
    this.dispose(this.owned(ownerId, subscriptionId))
  }

  /** Disposes every subscription of an owner (window closed, reloaded, socket gone). */
  disposeOwner(ownerId: string): number {
    let n = 0
    for (const sub of [...this.subs.values()]) {
      if (sub.ownerId === ownerId) {
        this.dispose(sub)
        n++
      }
    }
    return n
  }

  /** Disposes everything and waits for the readers to finish. */
  async close(): Promise<void> {
    const all = [...this.subs.values()]
    for (const sub of all) this.dispose(sub)
    await Promise.all(all.map((s) => s.done))
  }

  private owned(ownerId: string, subscriptionId: string): Subscription {
    const sub = this.subs.get(subscriptionId)
    if (!sub || sub.ownerId !== ownerId) {
      throw new Error(`Unknown tail subscription ${subscriptionId}`)
    }
    return sub
  }

  private dispose(sub: Subscription): void {
    if (!this.subs.delete(sub.id)) return
    if (sub.timer) clearTimeout(sub.timer)
    sub.timer = null
    sub.buffer = []
    sub.abort.abort()
  }

  private async pump(
    sub: Subscription,
    req: { connectionId: string; path: string; offset: string },
  ): Promise<void> {
    const signal = sub.abort.signal
    try {
      for await (const batch of this.options.source(req, signal)) {
        if (signal.aborted) return
        batch.messages.forEach((payload, index) =>
          sub.buffer.push({ offset: batch.nextOffset, index, payload }),
        )
        const excess = sub.buffer.length - this.maxBuffer
        if (excess > 0) {
          sub.buffer.splice(0, excess)
          sub.dropped += excess
        }
        sub.nextOffset = batch.nextOffset
        sub.upToDate = batch.upToDate
        sub.closed = batch.closed
        sub.dirty = true
        if (batch.upToDate && batch.messages.length === 0 && !sub.inFlight) this.flush(sub)
        else this.schedule(sub)
      }
      if (signal.aborted) return
      this.flush(sub, true)
      this.status(sub, sub.closed ? 'closed' : 'stopped', null)
    } catch (err) {
      if (signal.aborted) return
      this.flush(sub, true)
      this.status(sub, 'error', err)
    } finally {
      // A reader that ended on its own leaves no subscription behind.
      if (this.subs.get(sub.id) === sub) this.dispose(sub)
    }
  }

  private schedule(sub: Subscription): void {
    if (sub.timer || sub.inFlight || !this.subs.has(sub.id)) return
    sub.timer = setTimeout(() => {
      sub.timer = null
      this.flush(sub)
    }, this.frameMs)
  }

  private flush(sub: Subscription, force = false): void {
    if (!sub.dirty || !this.subs.has(sub.id)) return
    if (sub.inFlight && !force) return
    const messages = sub.buffer
    sub.buffer = []
    const dropped = sub.dropped
    sub.dropped = 0
    sub.dirty = false
    sub.inFlight = true
    this.options.emit(sub.ownerId, 'tail.batch', {
      subscriptionId: sub.id,
      messages,
      nextOffset: sub.nextOffset,
      upToDate: sub.upToDate,
      closed: sub.closed,
      dropped,
    })
  }

  private status(sub: Subscription, state: 'closed' | 'stopped' | 'error', err: unknown): void {
    this.options.emit(sub.ownerId, 'tail.status', {
      subscriptionId: sub.id,
      state,
      error: err === null ? null : toErrorData(err),
    })
  }
}
