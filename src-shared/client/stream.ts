/**
 * `Stream`: a handle on one stream URL with every protocol operation.
 */
import { concatBytes, encodeBatch, encodeBody, type AppendData } from './body.js'
import { defaultTransport } from './defaults.js'
import { isStreamNotFoundError } from './error-guards.js'
import { AppendOutcomeUnknownError, SeqConflictError, StreamClosedError } from './errors.js'
import { validateAppendRetry, type AppendRetry, type SentInfo, type Transport } from './http.js'
import {
  checkBoolean,
  checkCallOptions,
  checkContentType,
  checkForkSubOffset,
  checkHeaderValue,
  checkHeaders,
  checkLive,
  checkOffset,
  checkOptions,
  checkParams,
  checkSeq,
  checkUrl,
} from './validate.js'
import { drain, isTrue } from './response.js'
import { expiryHeaders, type CreateOptions, type DynamicValue } from './options.js'
import {
  H,
  isJsonContentType,
  isTextContentType,
  OFFSET_BEGINNING,
  type LiveMode,
} from './protocol.js'
import {
  ByteReader,
  DynamicReader,
  JsonReader,
  TextReader,
  type AnyBatch,
  type ByteChunk,
  type JsonBatch,
  type ReadOptions,
  type Reader,
  type ReaderInit,
} from './readers.js'

/**
 * Metadata of a stream (HEAD).
 *
 * @example
 * ```ts
 * const { contentType, nextOffset, closed, etag } = await stream.head()
 * ```
 */
export interface HeadResult {
  /** Always true: a missing stream throws `StreamNotFoundError`. */
  exists: true
  contentType: string | undefined
  /** Tail offset: where the next append will land. */
  nextOffset: string | undefined
  etag: string | undefined
  cacheControl: string | undefined
  /** Sliding TTL in seconds, if the stream has one. */
  ttlSeconds?: number | undefined
  /** Absolute expiry (RFC 3339), if the stream has one. */
  expiresAt?: string | undefined
  /** The stream is closed: no more appends (EOF for readers). */
  closed: boolean
}

/**
 * Result of an append.
 *
 * @example
 * ```ts
 * const { nextOffset, closed } = await stream.append({ n: 1 })
 * ```
 */
export interface AppendResult {
  /** Tail offset after the append (absent on some duplicate answers). */
  nextOffset: string | undefined
  /** The server recognised the request as a duplicate (idempotent producers only). */
  duplicate: boolean
  /** The stream is now closed. */
  closed: boolean
}

/**
 * Options of a single append.
 *
 * @example
 * ```ts
 * await stream.append('line\n', { seq: '000042' })
 * ```
 */
export interface AppendOptions {
  /** `Stream-Seq`: writer sequence; must be strictly greater than the last one (lexicographic). */
  seq?: string | number | undefined
  /** Content-Type to send instead of the stream's (e.g. to test a mismatch on purpose). */
  contentType?: string | undefined
  /** Extra headers for this request. */
  headers?: Record<string, DynamicValue> | undefined
  /** Extra query parameters for this request. */
  params?: Record<string, DynamicValue> | undefined
  signal?: AbortSignal | undefined
  /**
   * Retries of this append when it has no `seq` and no producer headers (see `AppendRetry`):
   * default the client's `appendRetry`, itself `'safe'` by default — retried only when it
   * provably never reached the server, else `AppendOutcomeUnknownError`.
   */
  retry?: AppendRetry | undefined
}

/**
 * Per-call options shared by head, close and delete.
 *
 * @example
 * ```ts
 * await stream.head({ headers: { authorization: 'Bearer t' }, signal: AbortSignal.timeout(2_000) })
 * ```
 */
export interface CallOptions {
  signal?: AbortSignal | undefined
  /** Extra headers for this request (values may be functions). */
  headers?: Record<string, DynamicValue> | undefined
  /** Extra query parameters for this request (values may be functions). */
  params?: Record<string, DynamicValue> | undefined
}

/**
 * Options of `Stream.create`/`createStream`, plus forks.
 *
 * @example
 * ```ts
 * await stream.createStream({ forkedFrom: '/orders', forkOffset: offset })
 * ```
 */
export interface StreamCreateOptions extends CreateOptions {
  /** Create a fork of this source stream path (same server). */
  forkedFrom?: string | undefined
  /** Divergence offset in the source stream (default: its tail). */
  forkOffset?: string | undefined
  /**
   * Refines the fork point past `forkOffset` (`Stream-Fork-Sub-Offset`): for JSON streams the
   * number of messages to inherit past it, for other types the number of bytes. The server
   * answers 400 if it reaches past the next data boundary (one append). 0 = none.
   */
  forkSubOffset?: number | undefined
}

/** Something that carries a transport: a `Client`. */
export interface TransportOwner {
  /** @internal */
  readonly transport: Transport
}

/**
 * How to build a stream handle.
 *
 * @example
 * ```ts
 * const s = new Stream({ url, contentType: 'application/json', headers: { authorization: 'Bearer t' } })
 * ```
 */
export interface StreamOptions {
  /** Full URL of the stream. */
  url: string
  /** Extra headers on every request of this handle (values may be functions). */
  headers?: Record<string, DynamicValue> | undefined
  /** Extra query parameters on every request of this handle (values may be functions). */
  params?: Record<string, DynamicValue> | undefined
  /** The stream's content type, when known (saves a HEAD before the first JSON append). */
  contentType?: string | undefined
  /** Client whose settings (fetch, retry, timeout, default headers) to use. */
  client?: TransportOwner | undefined
}

/**
 * Result of `stream.close()`.
 *
 * @example
 * ```ts
 * const { finalOffset }: CloseResult = await stream.close()
 * ```
 */
export interface CloseResult {
  /** The stream's final offset. */
  finalOffset: string
}

/**
 * A handle on one stream. Creating a handle does no I/O.
 *
 * @example
 * ```ts
 * const stream = await DurableStreams.create({ url, contentType: 'application/json' })
 * await stream.append({ type: 'created' })
 * for await (const event of stream.readJson({ live: false })) console.log(event)
 * ```
 */
export class Stream {
  /** The stream URL. */
  readonly url: string
  /** @internal */
  readonly transport: Transport
  private _contentType: string | undefined
  private _nextOffset: string | undefined
  private pushQueue: unknown[] = []
  private pushing: Promise<void> | undefined
  private pushError: unknown = undefined
  private _lastRequest: SentInfo | undefined

  constructor(opts: StreamOptions) {
    checkOptions(opts)
    this.url = checkUrl(opts?.url)
    checkHeaders(opts.headers)
    checkParams(opts.params)
    checkContentType(opts.contentType)
    this.transport = (opts.client?.transport ?? defaultTransport()).with({
      headers: opts.headers,
      params: opts.params,
    })
    this._contentType = opts.contentType
  }

  /**
   * Connects to an existing stream (HEAD). Throws `StreamNotFoundError` when it is absent.
   *
   * @example
   * ```ts
   * const stream = await Stream.connect({ url })
   * console.log(stream.contentType, stream.nextOffset)
   * ```
   */
  static async connect(opts: StreamOptions): Promise<Stream> {
    const s = new Stream(opts)
    await s.head()
    return s
  }

  /**
   * Whether a stream exists at the URL.
   *
   * @example
   * ```ts
   * if (!(await Stream.exists({ url }))) await DurableStreams.create({ url, contentType: 'text/plain' })
   * ```
   */
  static exists(opts: StreamOptions): Promise<boolean> {
    return new Stream(opts).exists()
  }

  /** Content type, once known (from create, head or a read). */
  get contentType(): string | undefined {
    return this._contentType
  }
  /** Whether this is a JSON-mode stream (`application/json`). */
  get isJson(): boolean {
    return isJsonContentType(this._contentType)
  }
  /** The last offset this handle saw (tail after append/head/create, or end of a read). */
  get nextOffset(): string | undefined {
    return this._nextOffset
  }
  /**
   * Headers and query parameters of the last request this handle completed (head, create,
   * append, close, delete), with dynamic values as they were evaluated. For diagnostics.
   */
  get lastRequest(): SentInfo | undefined {
    return this._lastRequest
  }

  private async ensureContentType(signal?: AbortSignal): Promise<string | undefined> {
    if (this._contentType === undefined) await this.head({ signal })
    return this._contentType
  }

  /**
   * Reads the stream's metadata.
   *
   * @example
   * ```ts
   * const { nextOffset, closed, ttlSeconds } = await stream.head()
   * ```
   */
  async head(opts: CallOptions = {}): Promise<HeadResult> {
    checkCallOptions(opts)
    return this.transport.request(
      {
        method: 'HEAD',
        url: this.url,
        signal: opts.signal,
        extraHeaders: opts.headers,
        extraParams: opts.params,
      },
      async (res, sent) => {
        this._lastRequest = sent
        const h = res.headers
        const ct = h.get(H.contentType) ?? undefined
        if (ct) this._contentType = ct
        const nextOffset = h.get(H.nextOffset) ?? undefined
        if (nextOffset) this._nextOffset = nextOffset
        const ttl = h.get(H.ttl)
        const result: HeadResult = {
          exists: true,
          contentType: ct,
          nextOffset,
          etag: h.get(H.etag) ?? undefined,
          cacheControl: h.get(H.cacheControl) ?? undefined,
          closed: isTrue(h.get(H.streamClosed)),
        }
        if (ttl !== null && Number.isFinite(Number(ttl))) result.ttlSeconds = Number(ttl)
        const exp = h.get(H.expiresAt)
        if (exp !== null) result.expiresAt = exp
        return result
      },
    )
  }

  /**
   * Whether the stream exists (HEAD; false on 404, other errors are thrown).
   *
   * @example
   * ```ts
   * console.log(await stream.exists())
   * ```
   */
  async exists(opts: CallOptions = {}): Promise<boolean> {
    try {
      await this.head(opts)
      return true
    } catch (err) {
      if (isStreamNotFoundError(err)) return false
      throw err
    }
  }

  /**
   * Creates the stream (PUT). Succeeds if an identical stream exists; throws
   * `StreamExistsError` if one exists with another configuration.
   *
   * @example
   * ```ts
   * await client.stream('/logs').createStream({ contentType: 'text/plain', ttlSeconds: 3600 })
   * ```
   */
  async createStream(
    opts: StreamCreateOptions = {},
  ): Promise<{ status: number; nextOffset: string | undefined }> {
    checkCallOptions(opts)
    checkContentType(opts.contentType)
    checkBoolean(opts.closed, 'closed')
    if (opts.forkedFrom !== undefined) checkHeaderValue(opts.forkedFrom, 'forkedFrom')
    if (opts.forkOffset !== undefined) checkOffset(opts.forkOffset, 'forkOffset')
    const subOffset = checkForkSubOffset(opts.forkSubOffset, opts.forkedFrom)
    const headers: Record<string, string> = expiryHeaders(opts)
    const contentType =
      opts.contentType ?? (opts.forkedFrom ? undefined : 'application/octet-stream')
    if (contentType) headers[H.contentType] = contentType
    if (opts.closed) headers[H.streamClosed] = 'true'
    if (opts.forkedFrom) headers[H.forkedFrom] = opts.forkedFrom
    if (opts.forkOffset !== undefined) headers[H.forkOffset] = opts.forkOffset
    if (subOffset) headers[H.forkSubOffset] = String(subOffset)
    const body =
      opts.body === undefined
        ? undefined
        : encodeBody(opts.body, isJsonContentType(contentType), 'body')
    return this.transport.request(
      {
        method: 'PUT',
        url: this.url,
        headers,
        extraHeaders: opts.headers,
        extraParams: opts.params,
        body,
        signal: opts.signal,
      },
      async (res, sent) => {
        this._lastRequest = sent
        const ct = res.headers.get(H.contentType) ?? contentType
        if (ct) this._contentType = ct
        const nextOffset = res.headers.get(H.nextOffset) ?? undefined
        if (nextOffset) this._nextOffset = nextOffset
        await drain(res)
        return { status: res.status, nextOffset }
      },
    )
  }

  /**
   * Appends one message (JSON streams: any JSON value; others: string or bytes).
   * For JSON streams, a `Uint8Array` is sent verbatim as pre-serialised JSON.
   *
   * @example
   * ```ts
   * const { nextOffset } = await stream.append({ type: 'order.created', id: 42 })
   * ```
   */
  async append(data: AppendData, opts: AppendOptions = {}): Promise<AppendResult> {
    checkAppendOptions(opts)
    const ct = this._contentType ?? (await this.ensureContentType(opts.signal))
    const body = encodeBody(data, isJsonContentType(ct))
    return this.post(body, opts.contentType ?? ct, opts)
  }

  /** @internal Sends one POST (append, or close with `close: true`) and records what it saw. */
  private async post(
    body: Uint8Array | string | undefined,
    contentType: string | undefined,
    opts: AppendOptions & { close?: boolean | undefined } = {},
  ): Promise<AppendResult> {
    const headers: Record<string, string> = {}
    if (opts.close) headers[H.streamClosed] = 'true'
    if (contentType) headers[H.contentType] = contentType
    if (opts.seq !== undefined) headers[H.streamSeq] = String(opts.seq)
    const retry = validateAppendRetry(opts.retry, 'retry') ?? this.transport.config.appendRetry
    // Not idempotent: a body without Stream-Seq or producer headers (a retried close finds the
    // stream closed and is refused instead of writing twice, so closing is safe to retry; that
    // refusal after a retry is reported as an unknown outcome below).
    const unsafe =
      retry !== 'at-least-once' &&
      body !== undefined &&
      !opts.close &&
      opts.seq === undefined &&
      !hasProducerId(opts.headers) &&
      !hasProducerId(this.transport.config.headers)
    let retried = false
    try {
      return await this.post1(body, headers, opts, unsafe, () => (retried = true))
    } catch (err) {
      // A retried close with data (or append with seq) that the server refuses as a repeat
      // (409 closed / seq conflict) may have been stored by an earlier attempt whose answer was
      // lost: reporting "closed" or "conflict" would say it was not.
      const repeat =
        (opts.close === true && err instanceof StreamClosedError) ||
        (opts.seq !== undefined && err instanceof SeqConflictError)
      if (retried && body !== undefined && repeat) {
        throw new AppendOutcomeUnknownError(
          `POST ${this.url}: the ${opts.close ? 'closing append' : 'append with seq'} may or may not have been stored: an earlier attempt failed (its answer may have been lost) and the retry was refused (${err.message}). Read the stream to check.`,
          { url: this.url, status: err.status, headers: err.headers, cause: err },
        )
      }
      throw err
    }
  }

  private post1(
    body: Uint8Array | string | undefined,
    headers: Record<string, string>,
    opts: AppendOptions & { close?: boolean | undefined },
    unsafe: boolean,
    onRetry: () => void,
  ): Promise<AppendResult> {
    return this.transport.request(
      {
        method: 'POST',
        url: this.url,
        headers,
        extraHeaders: opts.headers,
        extraParams: opts.params,
        body,
        signal: opts.signal,
        unsafe,
      },
      async (res, sent) => {
        this._lastRequest = sent
        const nextOffset = res.headers.get(H.nextOffset) ?? undefined
        if (nextOffset) this._nextOffset = nextOffset
        await drain(res)
        return {
          nextOffset,
          // Only requests carrying producer headers can be deduplicated (204 = already stored).
          duplicate: res.status === 204 && sent.headers[H.producerId] !== undefined,
          closed: isTrue(res.headers.get(H.streamClosed)),
        }
      },
      onRetry,
    )
  }

  /**
   * Queues a message and returns immediately; queued messages are sent in order, batched
   * into as few requests as possible. Errors surface from `flush()`. After a failed batch
   * nothing more is sent (order is kept): the batch and everything queued behind it are
   * reported by `flush()`, and `push` throws that error until `flush()` has reported it.
   *
   * @example
   * ```ts
   * stream.push({ n: 1 }).push({ n: 2 })
   * await stream.flush()
   * ```
   */
  push(data: AppendData): this {
    if (this.pushError !== undefined) throw this.pushError as unknown
    if (this._contentType !== undefined) encodeBody(data, this.isJson) // validate eagerly
    this.pushQueue.push(data)
    if (!this.pushing) this.pushing = this.drainPushes()
    return this
  }

  private async drainPushes(): Promise<void> {
    try {
      while (this.pushQueue.length > 0) {
        const items = this.pushQueue
        this.pushQueue = []
        try {
          const ct = await this.ensureContentType()
          await this.post(encodeBatch(items, isJsonContentType(ct)), ct)
        } catch (err) {
          // Stop here: sending later messages would break the order. Report what was not sent.
          const unsent = items.length + this.pushQueue.length
          this.pushQueue = []
          this.pushError = err
          if (err instanceof Error) {
            err.message += ` (${unsent} pushed message${unsent === 1 ? '' : 's'} not sent)`
          }
          return
        }
      }
    } finally {
      this.pushing = undefined
    }
  }

  /**
   * Waits until every pushed message is sent; rejects with the first error since the last flush.
   *
   * @example
   * ```ts
   * for (const e of events) stream.push(e)
   * await stream.flush()
   * ```
   */
  async flush(): Promise<void> {
    while (this.pushing) await this.pushing
    if (this.pushError !== undefined) {
      const err: unknown = this.pushError
      this.pushError = undefined
      throw err
    }
  }

  /** Catch-up iteration from the beginning: JSON values or byte chunks, by content type. */
  [Symbol.asyncIterator](): AsyncIterator<unknown> {
    return this.read({ offset: OFFSET_BEGINNING, live: false })[Symbol.asyncIterator]()
  }

  private readerInit(opts: ReadOptions, defaultLive: LiveMode): ReaderInit {
    checkCallOptions(opts)
    checkOffset(opts.offset)
    checkLive(opts.live)
    checkBoolean(opts.progressive, 'progressive')
    return {
      transport: this.transport,
      url: this.url,
      offset: opts.offset ?? OFFSET_BEGINNING,
      live: opts.live ?? defaultLive,
      signal: opts.signal,
      headers: opts.headers,
      params: opts.params,
      progressive: opts.progressive,
      contentType: this._contentType,
      onBatch: (b) => {
        this._nextOffset = b.nextOffset
        if (b.contentType && !this._contentType) this._contentType = b.contentType
      },
    }
  }

  /**
   * Reads the stream with a reader matching its content type: JSON values for JSON streams,
   * byte chunks otherwise. `live` defaults to `'auto'`.
   *
   * @example
   * ```ts
   * for await (const m of stream.read({ offset: savedOffset })) handle(m)
   * ```
   */
  read(opts: ReadOptions = {}): Reader<unknown, JsonBatch<unknown> | ByteChunk | AnyBatch> {
    const init = this.readerInit(opts, 'auto')
    if (this._contentType === undefined) return new DynamicReader(init)
    return this.isJson ? new JsonReader(init) : new ByteReader(init)
  }

  /**
   * Reads a JSON stream message by message.
   *
   * @example
   * ```ts
   * for await (const order of stream.readJson<Order>({ live: 'sse' })) ship(order)
   * ```
   */
  readJson<T = unknown>(opts: ReadOptions = {}): JsonReader<T> {
    return new JsonReader<T>(this.readerInit(opts, 'auto'))
  }

  /**
   * Reads any stream as byte chunks.
   *
   * @example
   * ```ts
   * for await (const chunk of stream.readBytes({ live: false })) file.write(chunk)
   * ```
   */
  readBytes(opts: ReadOptions = {}): ByteReader {
    return new ByteReader(this.readerInit(opts, 'auto'))
  }

  /**
   * Reads a `text/*` stream as strings (UTF-8 decoded across chunk splits).
   *
   * @example
   * ```ts
   * for await (const text of stream.readText({ live: 'sse' })) process.stdout.write(text)
   * ```
   */
  readText(opts: ReadOptions = {}): TextReader {
    return new TextReader(this.readerInit(opts, 'auto'))
  }

  /**
   * Reads everything from `offset` to the tail: an array of messages for JSON streams, the
   * concatenated bytes otherwise.
   *
   * @example
   * ```ts
   * const events = (await stream.readAll()) as unknown[]
   * ```
   */
  async readAll(
    opts: { offset?: string | undefined; signal?: AbortSignal | undefined } = {},
  ): Promise<unknown[] | Uint8Array> {
    checkCallOptions(opts)
    const reader = this.read({
      offset: opts.offset ?? OFFSET_BEGINNING,
      live: false,
      signal: opts.signal,
    })
    const items: unknown[] = []
    const chunks: Uint8Array[] = []
    let json: boolean | undefined
    for await (const b of reader.batches()) {
      if ('items' in b && b.items) {
        json = true
        for (const v of b.items) items.push(v)
      } else if ('data' in b && b.data) {
        json = false
        chunks.push(b.data)
      }
    }
    if (json ?? this.isJson) return items
    return chunks.length === 0 ? new Uint8Array(0) : concatBytes(chunks)
  }

  /**
   * Calls `handler` for every message, in order, awaiting it before the next one. Resolves
   * at EOF (stream closed), at the tail when `live: false`, or when `signal` aborts.
   *
   * @example
   * ```ts
   * const ac = new AbortController()
   * await stream.subscribe({ live: 'sse', signal: ac.signal }, async (msg) => console.log(msg))
   * ```
   */
  async subscribe(
    opts: ReadOptions,
    handler: (msg: unknown) => void | Promise<void>,
  ): Promise<void> {
    const reader = this.read(opts)
    for await (const msg of reader) await handler(msg)
  }

  /**
   * Closes the stream (EOF for readers), optionally appending a final message atomically
   * (`data`, with an optional `Stream-Seq` in `seq`). Closing a closed stream succeeds.
   * Pending `push`es are flushed first.
   *
   * @example
   * ```ts
   * const { finalOffset } = await stream.close({ data: { type: 'done' } })
   * ```
   */
  async close(
    opts: CallOptions & {
      data?: AppendData // unknown: undefined included
      seq?: string | number | undefined
      contentType?: string | undefined
    } = {},
  ): Promise<CloseResult> {
    checkAppendOptions(opts)
    await this.flush()
    let body: Uint8Array | string | undefined
    let ct: string | undefined
    if (opts.data !== undefined) {
      ct = await this.ensureContentType(opts.signal)
      body = encodeBody(opts.data, isJsonContentType(ct))
    }
    const { nextOffset } = await this.post(body, opts.contentType ?? ct, { ...opts, close: true })
    const finalOffset = nextOffset ?? this._nextOffset ?? ''
    this._nextOffset = finalOffset
    return { finalOffset }
  }

  /**
   * Deletes the stream and its data.
   *
   * @example
   * ```ts
   * await stream.delete()
   * ```
   */
  async delete(opts: CallOptions = {}): Promise<void> {
    checkCallOptions(opts)
    await this.transport.request(
      {
        method: 'DELETE',
        url: this.url,
        extraHeaders: opts.headers,
        extraParams: opts.params,
        signal: opts.signal,
      },
      async (res, sent) => {
        this._lastRequest = sent
        await drain(res)
      },
    )
  }

  /** Whether the handle's content type is `text/*`. */
  get isText(): boolean {
    return isTextContentType(this._contentType)
  }
}

/** Whether a header record carries `Producer-Id` (any case): the server de-duplicates it. */
function hasProducerId(headers: Record<string, DynamicValue> | undefined): boolean {
  if (!headers) return false
  for (const k in headers) if (k.toLowerCase() === H.producerId) return true
  return false
}

/** The options of append and close, checked before anything is sent. */
function checkAppendOptions(opts: AppendOptions & { data?: unknown }): void {
  checkCallOptions(opts)
  checkSeq(opts.seq)
  checkContentType(opts.contentType)
}
