/**
 * `IdempotentProducer`: exactly-once, pipelined, batched writes (PROTOCOL.md §5.2.1).
 *
 * Messages are queued synchronously, grouped into batches (by bytes, items and a linger
 * window), and sent with `Producer-Id/Epoch/Seq`, up to `maxInFlight` requests at once. A batch
 * keeps its sequence number across retries, so a retry after a lost response is answered as a
 * duplicate instead of writing twice. Order on the stream is the order of `append` calls.
 */
import { Emitter } from './emitter.js'
import type {
  Batch,
  IdempotentAppendResult,
  ProducerEvents,
  ProducerStats,
} from './producer-types.js'
import { encodeBody, jsonMessage, oneJsonValue } from './body.js'
import { BatchAssembler } from './producer-batches.js'
import { defaultTransport } from './defaults.js'
import {
  AbortError,
  BadRequestError,
  ClosedError,
  DurableStreamsError,
  InvalidArgumentError,
  SequenceGapError,
  StaleEpochError,
} from './errors.js'
import { Transport } from './http.js'
import { linkSignals } from './http-util.js'
import { drain, isTrue } from './response.js'
import { validateRetryOptions } from './options.js'
import {
  validateProducerOptions,
  type IdempotentProducerOptions,
  type ResolvedProducerOptions,
} from './producer-options.js'
import { H, isJsonContentType } from './protocol.js'
import { Stream } from './stream.js'
import { checkContentType, checkHeaders, checkOptions, checkSignal } from './validate.js'

export { validateProducerOptions, type IdempotentProducerOptions } from './producer-options.js'
export type { IdempotentAppendResult, ProducerEvents, ProducerStats } from './producer-types.js'

/**
 * Exactly-once writer for one stream.
 *
 * @example
 * ```ts
 * await IdempotentProducer.open(
 *   { url, producerId: 'orders-service', epoch: 3, contentType: 'application/json' },
 *   async (p) => {
 *     for (const order of orders) p.append(order)
 *   },
 * ) // flushed and closed here
 * ```
 */
export class IdempotentProducer {
  private readonly opts: ResolvedProducerOptions
  private readonly stream: Stream
  private readonly transport: Transport
  private contentType: string | undefined
  private json: boolean | undefined
  private _epoch: number
  private nextSeq = 0
  /** Whether the server acknowledged a batch in the current epoch (pipelining is safe). */
  private epochConfirmed = false
  /** Server epoch seen in a 403, to claim past once nothing is in flight (autoClaim). */
  private pendingClaim: number | undefined
  /** The batch whose body is being handed to the network layer, if any. */
  private dispatching: Batch | undefined
  private readonly assembler: BatchAssembler
  private readonly batches: Batch[] = [] // sealed, not yet acknowledged, in order
  private ackedThrough = -1
  private inFlight = 0
  private lingerTimer: ReturnType<typeof setTimeout> | undefined
  /** The linger window of the open batch ended while no slot was free: seal when one is. */
  private lingerDue = false
  private fatal: Error | undefined
  private _closed = false
  private closing: Promise<{ finalOffset: string | undefined }> | undefined
  private readonly flushWaiters: Array<{
    index: number
    resolve: () => void
    reject: (e: unknown) => void
  }> = []
  private readonly events = new Emitter<ProducerEvents>((err) =>
    this.transport.config.logger.error('[durable-streams] producer listener threw', err),
  )
  private readonly controller = new AbortController()
  private readonly unlink: () => void
  private readonly _stats: ProducerStats = {
    queued: 0,
    inFlight: 0,
    acked: 0,
    duplicates: 0,
    retries: 0,
    batches: 0,
    bytes: 0,
    lastOffset: undefined,
    lastError: undefined,
  }

  constructor(options: IdempotentProducerOptions) {
    checkOptions(options)
    this.opts = validateProducerOptions(options)
    checkHeaders(options.headers)
    checkSignal(options.signal)
    checkContentType(options.contentType)
    if (options.stream) this.stream = options.stream
    else if (options.client) this.stream = options.client.stream(options.path as string)
    else if (options.url !== undefined) this.stream = new Stream({ url: options.url })
    else
      throw new InvalidArgumentError(
        'url',
        'IdempotentProducer needs a url, a stream, or a client and path',
      )
    let t = this.stream.transport ?? defaultTransport()
    if (options.retry)
      t = new Transport({ ...t.config, retry: validateRetryOptions(options.retry) })
    this.transport = t.withHeaders(options.headers)
    this.contentType = options.contentType ?? this.stream.contentType
    if (this.contentType !== undefined) this.json = isJsonContentType(this.contentType)
    this._epoch = this.opts.epoch
    this.assembler = new BatchAssembler(this.opts)
    this.unlink = linkSignals(this.controller, [options.signal])
    this.controller.signal.addEventListener('abort', this.onAbort, { once: true })
  }

  /**
   * Runs `fn` with a new producer, then flushes and closes it (also when `fn` throws).
   *
   * @example
   * ```ts
   * await IdempotentProducer.open({ url, producerId: 'etl' }, (p) => { p.append('row\n') })
   * ```
   */
  static async open<T>(
    opts: IdempotentProducerOptions,
    fn: (producer: IdempotentProducer) => T | Promise<T>,
  ): Promise<T> {
    const p = new IdempotentProducer(opts)
    let result: T
    try {
      result = await fn(p)
    } catch (err) {
      // The callback's error wins; a producer error is still reported (stats, 'error', log).
      await p
        .detach()
        .catch((perr: unknown) =>
          p.transport.config.logger.warn('[durable-streams] producer failed while detaching', perr),
        )
      throw err
    }
    await p.close()
    return result
  }

  /** The stream URL. */
  get url(): string {
    return this.stream.url
  }
  /** Current epoch (changes after an auto-claim). */
  get epoch(): number {
    return this._epoch
  }
  /** Next sequence number to be assigned in this epoch. */
  get seq(): number {
    return this.nextSeq
  }
  /** Whether close()/detach() was called or the producer stopped on a fatal error. */
  get closed(): boolean {
    return this._closed || this.fatal !== undefined
  }
  /** The producer id. */
  get producerId(): string {
    return this.opts.producerId
  }
  /** A snapshot of the counters. */
  get stats(): ProducerStats {
    return { ...this._stats, inFlight: this.inFlight }
  }

  /**
   * Subscribes to producer events; returns the unsubscribe function.
   *
   * @example
   * ```ts
   * const off = producer.on('epoch', (e) => console.log('now epoch', e.epoch))
   * off()
   * ```
   */
  on<K extends keyof ProducerEvents>(
    event: K,
    listener: (e: ProducerEvents[K]) => void,
  ): () => void {
    return this.events.on(event, listener)
  }

  private emit<K extends keyof ProducerEvents>(event: K, payload: ProducerEvents[K]): void {
    this.events.emit(event, payload)
  }

  private checkOpen(): void {
    if (this.fatal) throw this.fatal
    if (this._closed || this.closing) {
      throw new ClosedError(`Producer ${this.opts.producerId} on ${this.url} is closed`, {
        url: this.url,
      })
    }
  }

  /**
   * Queues one message and returns at once (nothing is awaited: the return type is `void`).
   * JSON streams take any JSON value, or a `Uint8Array` holding the text of exactly one JSON
   * value (anything else — `1,2`, `not json` — throws `InvalidArgumentError` at once and
   * queues nothing); byte and text streams take a string or bytes. Errors of sending surface
   * from `flush()`/`close()` and `'error'`; to wait for one message, use `appendAndWait`.
   * A `Uint8Array` may be sent by reference (no copy): do not modify it after appending.
   *
   * @example
   * ```ts
   * for (const token of tokens) producer.append({ token })
   * await producer.flush()
   * ```
   */
  append(data: unknown): void {
    this.enqueue(data, undefined)
  }

  /**
   * Queues one message like `append`, then waits until the batch that carries it is
   * acknowledged; rejects with the error that stopped it (invalid data: at once).
   *
   * @example
   * ```ts
   * const { nextOffset, duplicate } = await producer.appendAndWait({ id: 7 })
   * ```
   */
  appendAndWait(data: unknown): Promise<IdempotentAppendResult> {
    return new Promise((resolve, reject) => {
      try {
        this.enqueue(data, { resolve, reject })
      } catch (err) {
        reject(err)
      }
    })
  }

  /**
   * `append`, returning the producer for chaining.
   *
   * @deprecated Use `append` (the one name for queueing a message); kept for existing callers.
   * @example
   * ```ts
   * producer.append('a')
   * producer.append('b')
   * ```
   */
  push(data: unknown): this {
    this.append(data)
    return this
  }

  /**
   * `appendAndWait` under its former name (it never was synchronous: it returns a Promise).
   *
   * @deprecated Use `appendAndWait`; kept for existing callers.
   * @example
   * ```ts
   * const { nextOffset } = await producer.appendAndWait({ id: 7 })
   * ```
   */
  appendSync(data: unknown): Promise<IdempotentAppendResult> {
    return this.appendAndWait(data)
  }

  /**
   * One message as JSON text / raw JSON bytes (JSON streams: exactly one JSON value, checked,
   * since the batch frames it into an array) or string / bytes (others).
   */
  private encode(data: unknown): string | Uint8Array {
    if (this.json) return data instanceof Uint8Array ? oneJsonValue(data) : jsonMessage(data)
    return encodeBody(data, false)
  }

  private enqueue(data: unknown, waiter: Batch['waiters'][number] | undefined): void {
    if (this.fatal !== undefined || this._closed || this.closing) this.checkOpen() // throws
    this.add(data, waiter)
  }

  /** Queues an accepted message (also the ones held while the content type was unknown). */
  private add(data: unknown, waiter: Batch['waiters'][number] | undefined): void {
    if (this.json === undefined) {
      // Content type unknown: hold messages until one HEAD tells us how to encode them.
      this.pre.push({ data, waiter })
      this._stats.queued++
      this.typeKnown ??= this.resolveContentType().then(
        () => {
          const held = this.pre
          this.pre = []
          this._stats.queued -= held.length
          for (const h of held) {
            try {
              if (this.fatal) throw this.fatal
              this.add(h.data, h.waiter)
            } catch (err) {
              if (h.waiter) h.waiter.reject(err)
              else this.fail(toError(err))
            }
          }
        },
        (err: unknown) => {
          for (const h of this.pre) h.waiter?.reject(err)
          this.pre = []
          this.fail(toError(err))
        },
      )
      return
    }
    const assembler = this.assembler
    // Bytes for a byte stream are taken as they are (the common bulk case: no encode call).
    const part = !this.json && data instanceof Uint8Array ? data : this.encode(data)
    if (part.length === 0) {
      // A batch of nothing but empty messages would be an empty body, which the server
      // refuses (400) and which would end the producer: refuse the message, keep the producer.
      throw new InvalidArgumentError(
        'data',
        this.json
          ? 'Empty message: raw JSON bytes must hold a JSON value'
          : 'Empty message: byte and text streams take at least one byte per message',
      )
    }
    const full = assembler.add(part, this.json, waiter)
    this._stats.queued++
    const sealedBefore = assembler.sealedBefore
    if (sealedBefore) {
      assembler.sealedBefore = undefined
      this.clearLinger()
      this.dispatch(sealedBefore)
    }
    if (full) this.seal()
    else if (this.lingerTimer === undefined) {
      this.lingerTimer = setTimeout(this.onLinger, this.opts.lingerMs)
    }
  }

  private pre: Array<{ data: unknown; waiter: Batch['waiters'][number] | undefined }> = []
  private typeKnown: Promise<void> | undefined

  private readonly onLinger = (): void => {
    this.lingerTimer = undefined
    // With every slot busy a sealed batch would only wait (an outage or a slow server would
    // turn the backlog into thousands of tiny batches): keep filling the open one, up to its
    // limits, and seal it as soon as a slot is free (see pump).
    if (!this.hasFreeSlot()) {
      this.lingerDue = true
      return
    }
    this.seal()
  }

  /** Whether a newly sealed batch could be sent now: a slot is free and no batch waits. */
  private hasFreeSlot(): boolean {
    if (this.inFlight >= this.opts.maxInFlight || this.pendingClaim !== undefined) return false
    for (const b of this.batches) if (!b.sending && !b.acked) return false
    return true
  }

  /** Seals the open batch, if any, and queues it for delivery. */
  private seal(): void {
    this.clearLinger()
    const b = this.assembler.take(this.json === true)
    if (b) this.dispatch(b)
  }

  /** Numbers a sealed batch in the current epoch and queues it for delivery. */
  private dispatch(b: Batch): void {
    this.number(b)
    this.pump()
  }

  private number(b: Batch): void {
    b.epoch = this._epoch
    b.seq = this.nextSeq++
    this.batches.push(b)
  }

  private pump(): void {
    if (this.fatal) return
    if (this.pendingClaim !== undefined) {
      // Claim only once nothing is in flight: a batch the old epoch still stores must be
      // acknowledged (and not renumbered and written again).
      if (this.inFlight === 0) this.claim(this.pendingClaim)
      else return
    }
    if (this.lingerDue && this.hasFreeSlot()) {
      // The open batch's linger window ended while every slot was busy: it goes now.
      this.lingerDue = false
      const b = this.assembler.take(this.json === true)
      if (b) this.number(b)
    }
    // Pipelined from the first batch. A later seq that overtakes seq 0 of a new epoch is refused
    // (409 gap for an unknown producer, 400 "new epoch must start at seq 0" for a known one)
    // without any change on the server, and is resent once seq 0 is acknowledged.
    for (const b of this.batches) {
      // One body on its way to the socket at a time: the next request starts once the
      // previous body was handed over, so pipelined batches reach the server in order.
      if (this.inFlight >= this.opts.maxInFlight || this.dispatching) return
      if (b.sending || b.acked) continue
      // A batch that hit a sequence gap goes again once everything before it is acknowledged;
      // later batches wait behind it (they would only hit the same gap).
      if (b.waitForEarlier && b.index !== this.ackedThrough + 1) return
      void this.send(b)
    }
  }

  private body(b: Batch): Uint8Array {
    return b.body.bytes()
  }

  private async resolveContentType(): Promise<void> {
    if (this.json !== undefined) return
    await this.stream.head({ signal: this.controller.signal })
    this.contentType = this.stream.contentType
    this.json = isJsonContentType(this.contentType)
  }

  private async send(b: Batch): Promise<void> {
    b.sending = true
    b.waitForEarlier = false
    this.inFlight++
    this.dispatching = b
    const dispatched = (): void => {
      if (this.dispatching !== b) return
      this.dispatching = undefined
      this.pump()
    }
    const epoch = b.epoch
    const seq = b.seq
    // Sent before any batch of this epoch was acknowledged: it may overtake seq 0.
    const beforeConfirmed = !this.epochConfirmed
    try {
      if (this.json === undefined) await this.resolveContentType()
      const headers: Record<string, string> = {
        [H.producerId]: this.opts.producerId,
        [H.producerEpoch]: String(epoch),
        [H.producerSeq]: String(seq),
      }
      if (this.contentType) headers[H.contentType] = this.contentType
      if (b.closeStream) headers[H.streamClosed] = 'true'
      const result = await this.transport.request(
        {
          method: 'POST',
          url: this.url,
          headers,
          body: b.count > 0 ? this.body(b) : undefined,
          signal: this.controller.signal,
          onBodySent: dispatched,
          // Stream only a lone large message (sent without copying); assembled batches are
          // faster as plain bodies when pipelined (measured in bench scenarios 6 and 7).
          streamable: b.count === 1,
        },
        async (res) => {
          await drain(res)
          return {
            status: res.status,
            nextOffset: res.headers.get(H.nextOffset) ?? undefined,
            closed: isTrue(res.headers.get(H.streamClosed)),
          }
        },
        ({ reason }) => {
          this._stats.retries++
          this.emit('retry', { epoch, seq, reason })
        },
      )
      this.inFlight--
      if (b.epoch !== epoch || b.seq !== seq) {
        // Renumbered by an epoch claim while in flight; cannot have succeeded at the old epoch.
        if (this.dispatching === b) this.dispatching = undefined
        this.pump()
        return
      }
      this.onAck(b, result.status === 204, result.nextOffset)
    } catch (err) {
      this.inFlight--
      b.sending = false
      this.onSendError(b, epoch, seq, err, beforeConfirmed)
    }
    if (this.dispatching === b) this.dispatching = undefined
    this.pump()
  }

  private onAck(b: Batch, duplicate: boolean, nextOffset: string | undefined): void {
    if (b.epoch === this._epoch) this.epochConfirmed = true
    b.acked = true
    b.sending = false
    this._stats.acked += b.count
    this._stats.queued -= b.count
    this._stats.batches++
    this._stats.bytes += b.bytes
    if (nextOffset !== undefined) this._stats.lastOffset = nextOffset
    if (duplicate && !b.closeStream) {
      this._stats.duplicates++
      this.emit('duplicate', { epoch: b.epoch, seq: b.seq, count: b.count })
    }
    this.emit('ack', { epoch: b.epoch, seq: b.seq, count: b.count, bytes: b.bytes, nextOffset })
    const result: IdempotentAppendResult = { nextOffset, duplicate, epoch: b.epoch, seq: b.seq }
    for (const w of b.waiters) w.resolve(result)
    b.waiters = []
    // Advance the acknowledged prefix and drop it.
    while (this.batches.length > 0 && this.batches[0]!.acked) {
      this.ackedThrough = this.batches.shift()!.index
    }
    this.settleFlushes()
  }

  private onSendError(
    b: Batch,
    epoch: number,
    seq: number,
    err: unknown,
    beforeConfirmed: boolean,
  ): void {
    if (this.fatal) return
    if (b.epoch !== epoch || b.seq !== seq) return // superseded by a claim; will be resent
    // A 400 for a batch sent before this epoch's first acknowledgement is what a seq that
    // overtook seq 0 gets; it is resent behind it like a gap. A resend goes out only after
    // every earlier batch is acknowledged, so the same 400 again is a real one (fatal below).
    const overtookEpochStart = err instanceof BadRequestError && seq > 0 && beforeConfirmed
    if ((err instanceof SequenceGapError || overtookEpochStart) && b.gapResends < 50) {
      // Pipelined requests overtook each other: resend after every earlier batch is acked.
      b.gapResends++
      b.waitForEarlier = true
      this._stats.retries++
      this.emit('retry', {
        epoch,
        seq,
        reason:
          err instanceof SequenceGapError
            ? `sequence gap (expected ${err.expectedSeq ?? '?'})`
            : '400 before the epoch was acknowledged: resent behind seq 0',
      })
      return
    }
    if (err instanceof StaleEpochError && this.opts.autoClaim) {
      if (epoch < this._epoch) return // a claim already moved past this epoch
      // Claim once every request in flight has settled (see pump).
      this.pendingClaim = Math.max(this.pendingClaim ?? 0, err.currentEpoch ?? epoch)
      return
    }
    this.fail(toError(err))
  }

  /** Moves to the server's epoch + 1 and renumbers every unacknowledged batch from seq 0. */
  private claim(serverEpoch: number | undefined): void {
    this.pendingClaim = undefined
    this.epochConfirmed = false
    const previous = this._epoch
    this._epoch = Math.max(previous, serverEpoch ?? previous) + 1
    this.nextSeq = 0
    for (const b of this.batches) {
      if (b.acked) continue
      b.epoch = this._epoch
      b.seq = this.nextSeq++
      b.sending = false
      b.waitForEarlier = false
    }
    this._stats.retries++
    this.emit('epoch', { epoch: this._epoch, previous, currentServerEpoch: serverEpoch })
  }

  private fail(err: Error): void {
    if (this.fatal) return
    this.fatal = err
    this._stats.lastError = err
    this.clearLinger()
    this.emit('error', err)
    for (const b of this.batches) {
      for (const w of b.waiters) w.reject(err)
      b.waiters = []
    }
    const open = this.assembler.open
    if (open) {
      for (const w of open.waiters) w.reject(err)
      open.waiters = []
    }
    this.settleFlushes()
  }

  private settleFlushes(): void {
    for (let i = this.flushWaiters.length - 1; i >= 0; i--) {
      const w = this.flushWaiters[i]!
      if (this.fatal) w.reject(this.fatal)
      else if (this.ackedThrough >= w.index) w.resolve()
      else continue
      this.flushWaiters.splice(i, 1)
    }
  }

  /**
   * Resolves once every message appended so far is acknowledged; rejects with the error that
   * stopped the producer, if any.
   *
   * @example
   * ```ts
   * for (const e of events) producer.append(e)
   * await producer.flush()
   * ```
   */
  async flush(): Promise<void> {
    if (this.typeKnown) await this.typeKnown
    if (this.fatal) throw this.fatal
    this.seal()
    const last = this.batches[this.batches.length - 1]
    if (!last) return Promise.resolve()
    return new Promise((resolve, reject) => {
      this.flushWaiters.push({ index: last.index, resolve, reject })
      this.settleFlushes()
    })
  }

  /**
   * Flushes and stops. With `closeStream`, also closes the stream (atomically with
   * `finalData`, if given). A second call returns the first call's result.
   *
   * @example
   * ```ts
   * const { finalOffset } = await producer.close({ closeStream: true, finalData: { done: true } })
   * ```
   */
  close(
    opts: { closeStream?: boolean; finalData?: unknown } = {},
  ): Promise<{ finalOffset: string | undefined }> {
    this.closing ??= this.doClose(opts)
    return this.closing
  }

  private async doClose(opts: {
    closeStream?: boolean
    finalData?: unknown
  }): Promise<{ finalOffset: string | undefined }> {
    try {
      await this.flush()
      if (!opts.closeStream) return { finalOffset: this._stats.lastOffset }
      let part: string | Uint8Array | undefined
      if (opts.finalData !== undefined) {
        await this.resolveContentType()
        part = this.encode(opts.finalData)
        this._stats.queued++
      }
      const final = this.assembler.closing(part, this.json === true)
      const done = new Promise<IdempotentAppendResult>((resolve, reject) =>
        final.waiters.push({ resolve, reject }),
      )
      this.dispatch(final)
      const r = await done
      return { finalOffset: r.nextOffset ?? this._stats.lastOffset }
    } finally {
      this.stop()
    }
  }

  /**
   * Flushes and stops without closing the stream.
   *
   * @example
   * ```ts
   * await producer.detach()
   * ```
   */
  async detach(): Promise<void> {
    if (this.closing) {
      await this.closing
      return
    }
    this.closing = this.flush().then(
      () => ({ finalOffset: this._stats.lastOffset }),
      (err: unknown) => Promise.reject(err),
    )
    try {
      await this.closing
    } finally {
      this.stop()
    }
  }

  private clearLinger(): void {
    if (this.lingerTimer !== undefined) clearTimeout(this.lingerTimer)
    this.lingerTimer = undefined
    this.lingerDue = false
  }

  private stop(): void {
    this._closed = true
    this.clearLinger()
    this.unlink()
    this.controller.signal.removeEventListener('abort', this.onAbort)
    // After a fatal error requests may still be in flight or backing off: cancel them.
    if (!this.controller.signal.aborted) {
      this.controller.abort(
        new ClosedError(`Producer ${this.opts.producerId} stopped`, { url: this.url }),
      )
    }
  }

  private readonly onAbort = (): void => {
    this.fail(
      new AbortError(`Producer ${this.opts.producerId} on ${this.url} was aborted`, {
        url: this.url,
      }),
    )
    this.stop()
  }

  /** `await using producer = new IdempotentProducer(...)` flushes and closes at scope end. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close()
  }
}

function toError(err: unknown): Error {
  if (err instanceof Error) return err
  return new DurableStreamsError(String(err), 'FETCH_ERROR')
}
