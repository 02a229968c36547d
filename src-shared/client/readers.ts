/**
 * Readers: single-consumer async iterables over a stream, by message (`for await`) or by
 * response batch (`batches()`), typed by content type (JSON values, bytes, text).
 */
import { AlreadyConsumedError, ParseError } from './errors.js'
import type { Transport } from './http.js'
import { linkSignals } from './http-util.js'
import type { DynamicValue } from './options.js'
import { isJsonContentType, type LiveMode } from './protocol.js'
import {
  runRead,
  type RawBatch,
  type ReadPhase,
  type ReadState,
  type ResponsePart,
} from './read-engine.js'

/**
 * Position and state shared by every batch type.
 *
 * @example
 * ```ts
 * for await (const b of reader.batches()) console.log(b.phase, b.nextOffset, b.upToDate, b.closed)
 * ```
 */
export interface BatchMeta {
  /** Offset to resume from after this batch. */
  nextOffset: string
  /** Cursor the server returned (echoed on the next live request). */
  cursor: string | undefined
  /** The reader had caught up with all data that existed when this batch was served. */
  upToDate: boolean
  /** The stream is closed and this batch reached its end: EOF. */
  closed: boolean
  /** How the batch arrived: catch-up GET, long-poll or SSE. */
  phase: ReadPhase
  /** Wall-clock arrival time, ms since the epoch. */
  receivedAt: number
  /** HTTP status of the response (204: a long-poll that timed out with nothing new). */
  status: number
  /**
   * Progressive reads only: where this batch sits in a response handed out in pieces. Until
   * `part.last`, `nextOffset` is the response's start (resuming from it never skips a message).
   */
  part?: ResponsePart | undefined
}

/**
 * A batch of JSON messages: the messages of one response.
 *
 * @example
 * ```ts
 * for await (const b of stream.readJson({ live: false }).batches()) console.log(b.items.length, b.nextOffset)
 * ```
 */
export interface JsonBatch<T = unknown> extends BatchMeta {
  items: T[]
}

/**
 * A chunk of bytes: the body of one response.
 *
 * @example
 * ```ts
 * for await (const c of stream.readBytes({ live: false }).batches()) console.log(c.data.length, c.nextOffset)
 * ```
 */
export interface ByteChunk extends BatchMeta {
  data: Uint8Array
}

/**
 * A chunk of text, decoded safely across chunk boundaries.
 *
 * @example
 * ```ts
 * for await (const c of stream.readText({ live: 'sse' }).batches()) process.stdout.write(c.text)
 * ```
 */
export interface TextChunk extends BatchMeta {
  text: string
}

/**
 * Options of every read.
 *
 * @example
 * ```ts
 * const opts: ReadOptions = { offset: savedOffset, live: 'long-poll', signal: ac.signal }
 * ```
 */
export interface ReadOptions {
  /** Where to start: an offset from a previous read, `'-1'` (beginning, default) or `'now'`. */
  offset?: string | undefined
  /**
   * `false`: catch up and stop. `'long-poll'` / `'sse'`: catch up then tail with that mode.
   * `'auto'` (default for `read*`): catch up, then SSE for JSON and text, long-poll for bytes,
   * falling back to long-poll when SSE is refused.
   */
  live?: LiveMode | undefined
  /** Stops the read; iteration then ends quietly. */
  signal?: AbortSignal | undefined
  /** Extra headers for every request of this read (values may be functions). */
  headers?: Record<string, DynamicValue> | undefined
  /** Extra query parameters for every request of this read (values may be functions). */
  params?: Record<string, DynamicValue> | undefined
  /**
   * JSON streams: hand out the messages of a large response while it downloads, in pieces
   * (the first after ~16 KiB, then ~1 MiB each), instead of after its whole body — the first
   * messages of a huge catch-up arrive at once and the body is never held as one string. Pieces
   * carry {@link BatchMeta.part}. Other content types ignore it. Default false.
   */
  progressive?: boolean | undefined
}

/** @internal Everything a reader needs to run. */
export interface ReaderInit {
  transport: Transport
  url: string
  offset: string
  live: LiveMode
  signal?: AbortSignal | undefined
  headers?: Record<string, DynamicValue> | undefined
  params?: Record<string, DynamicValue> | undefined
  progressive?: boolean | undefined
  contentType?: string | undefined
  /** Called with every raw batch (the stream handle tracks its last offset with it). */
  onBatch?: ((raw: RawBatch) => void) | undefined
}

/**
 * The result of {@link Reader.take}: iterate it lazily, or `await` it for an array.
 *
 * @example
 * ```ts
 * const firstThree = await stream.readJson({ live: false }).take(3)
 * for await (const m of stream.readJson().take(10)) console.log(m)
 * ```
 */
export interface TakeResult<T> extends AsyncIterable<T>, PromiseLike<T[]> {}

/**
 * Base of all readers. A reader runs one read of one stream; iterate it once, by message or
 * by batch. Closing it (or breaking out of the loop) aborts the network request.
 *
 * @example
 * ```ts
 * const reader = stream.readJson({ live: 'auto' })
 * for await (const m of reader) if (done(m)) reader.close()
 * ```
 */
export abstract class Reader<TItem, TBatch extends BatchMeta> implements AsyncIterable<TItem> {
  /** @internal */
  protected readonly state: ReadState
  /** @internal */
  protected readonly init: ReaderInit
  private readonly controller = new AbortController()
  private unlink: () => void = () => {}
  private consumed = false

  /** @internal */
  constructor(init: ReaderInit) {
    this.init = init
    this.state = {
      offset: init.offset,
      cursor: undefined,
      upToDate: false,
      closed: false,
      contentType: init.contentType,
      reconnects: 0,
      offsetRegressions: 0,
      lastSent: undefined,
    }
  }

  /** Offset to resume from: the end of the last batch received (or the start offset). */
  get nextOffset(): string {
    return this.state.offset
  }
  /** Last cursor received. */
  get cursor(): string | undefined {
    return this.state.cursor
  }
  /** Whether the last batch reached the tail. */
  get upToDate(): boolean {
    return this.state.upToDate
  }
  /** Whether the stream was seen closed at its end (EOF). */
  get closed(): boolean {
    return this.state.closed
  }
  /** Content type reported by the server, once known. */
  get contentType(): string | undefined {
    return this.state.contentType
  }
  /** How many times a live SSE connection was re-established. */
  get reconnects(): number {
    return this.state.reconnects
  }
  /**
   * How many responses this read ignored because their next offset lay before the offset it
   * asked for (a server moving backwards): each was read again from the reader's own offset,
   * so no message was handed out twice. See `OffsetRegressionError`.
   */
  get offsetRegressions(): number {
    return this.state.offsetRegressions
  }
  /** Headers and params the last request sent (diagnostics). */
  get lastRequest():
    { headers: Record<string, string>; params: Record<string, string> } | undefined {
    return this.state.lastSent
  }

  /** @internal Converts a raw response batch. */
  protected abstract convert(raw: RawBatch): TBatch
  /** @internal Messages of a batch. */
  protected abstract itemsOf(batch: TBatch): Iterable<TItem>
  /** @internal Whether a batch carries data. */
  protected abstract hasData(batch: TBatch): boolean

  private claim(): void {
    if (this.consumed) {
      throw new AlreadyConsumedError(
        `This reader of ${this.init.url} was already consumed; create a new reader to read again`,
        { url: this.init.url },
      )
    }
    this.consumed = true
    this.unlink = linkSignals(this.controller, [this.init.signal])
  }

  private async *run(): AsyncGenerator<TBatch, void, undefined> {
    try {
      const raw = runRead(
        this.init.transport,
        {
          url: this.init.url,
          offset: this.init.offset,
          live: this.init.live,
          signal: this.controller.signal,
          headers: this.init.headers,
          params: this.init.params,
          progressive: this.init.progressive,
          contentType: this.init.contentType,
        },
        this.state,
      )
      let wasUpToDate = false
      for await (const r of raw) {
        this.init.onBatch?.(r)
        const batch = this.convert(r)
        // Empty batches are only interesting when they say something: the tail was reached,
        // EOF, a long-poll timed out (204), or a response split by a progressive read ended
        // (its last piece carries the end offset). SSE keep-alive control events are not yielded.
        const reachedTail = batch.upToDate && !wasUpToDate
        wasUpToDate = batch.upToDate
        const endsResponse = batch.part?.last === true
        if (
          this.hasData(batch) ||
          reachedTail ||
          batch.closed ||
          batch.status === 204 ||
          endsResponse
        )
          yield batch
      }
    } finally {
      this.close()
    }
  }

  /**
   * Iterates response batches (with their offsets and state) instead of single messages.
   *
   * @example
   * ```ts
   * for await (const b of stream.readJson({ live: false }).batches()) {
   *   console.log(b.items.length, 'messages up to', b.nextOffset)
   * }
   * ```
   */
  batches(): AsyncGenerator<TBatch, void, undefined> {
    this.claim()
    return this.run()
  }

  /** Iterates messages. */
  async *[Symbol.asyncIterator](): AsyncGenerator<TItem, void, undefined> {
    this.claim()
    for await (const batch of this.run()) {
      yield* this.itemsOf(batch)
    }
  }

  /**
   * Collects every message until the read ends (catch-up: the tail; live: EOF or abort).
   *
   * @example
   * ```ts
   * const all = await stream.readJson({ live: false }).toArray()
   * ```
   */
  async toArray(): Promise<TItem[]> {
    const out: TItem[] = []
    for await (const item of this) out.push(item)
    return out
  }

  /**
   * The first `n` messages, lazily: the network read stops as soon as `n` arrived.
   *
   * @example
   * ```ts
   * const [first] = await stream.readJson({ live: 'auto' }).take(1)
   * ```
   */
  take(n: number): TakeResult<TItem> {
    const iterate = async function* (reader: Reader<TItem, TBatch>): AsyncGenerator<TItem> {
      if (n <= 0) {
        reader.close()
        return
      }
      let count = 0
      for await (const item of reader) {
        yield item
        if (++count >= n) break
      }
    }
    const collect = async (): Promise<TItem[]> => {
      const out: TItem[] = []
      for await (const item of iterate(this)) out.push(item)
      return out
    }
    return {
      [Symbol.asyncIterator]: () => iterate(this),
      then: (onfulfilled, onrejected) => collect().then(onfulfilled, onrejected),
    }
  }

  /**
   * Stops the read: ends iteration and aborts the in-flight request. Safe to call twice.
   *
   * @example
   * ```ts
   * const reader = stream.readJson({ live: 'sse' })
   * setTimeout(() => reader.close(), 5_000)
   * for await (const m of reader) console.log(m)
   * ```
   */
  close(): void {
    this.unlink()
    this.unlink = () => {}
    if (!this.controller.signal.aborted) this.controller.abort()
  }
}

const utf8 = new TextDecoder()
const encoder = new TextEncoder()

function meta(raw: RawBatch): BatchMeta {
  return {
    nextOffset: raw.nextOffset,
    cursor: raw.cursor,
    upToDate: raw.upToDate,
    closed: raw.closed,
    phase: raw.phase,
    receivedAt: raw.receivedAt,
    status: raw.status,
    part: raw.part,
  }
}

/** @internal Parses the JSON messages of a raw batch. */
export function parseJsonBatch(raw: RawBatch, url: string): unknown[] {
  if (raw.texts) {
    if (raw.texts.length === 1) return parseArray(raw.texts[0]!, url)
    const out: unknown[] = []
    for (const t of raw.texts) for (const v of parseArray(t, url)) out.push(v)
    return out
  }
  if (!raw.bytes || raw.bytes.length === 0) return []
  return parseArray(utf8.decode(raw.bytes), url)
}

function parseArray(text: string, url: string): unknown[] {
  let v: unknown
  try {
    v = JSON.parse(text)
  } catch (err) {
    throw new ParseError(
      `Malformed JSON from ${url} (${text.length} chars): ${(err as Error).message}`,
      { url, cause: err },
    )
  }
  if (!Array.isArray(v)) {
    throw new ParseError(`Expected a JSON array of messages from ${url}, got ${typeof v}`, { url })
  }
  return v
}

/**
 * Reads a JSON stream: each item is one message (one value appended).
 *
 * @example
 * ```ts
 * for await (const event of stream.readJson<{ type: string }>({ live: false })) {
 *   console.log(event.type)
 * }
 * ```
 */
export class JsonReader<T = unknown> extends Reader<T, JsonBatch<T>> {
  /** @internal */
  protected convert(raw: RawBatch): JsonBatch<T> {
    return { items: parseJsonBatch(raw, this.init.url) as T[], ...meta(raw) }
  }
  /** @internal */
  protected itemsOf(b: JsonBatch<T>): Iterable<T> {
    return b.items
  }
  /** @internal */
  protected hasData(b: JsonBatch<T>): boolean {
    return b.items.length > 0
  }
}

function rawBytes(raw: RawBatch): Uint8Array {
  if (raw.bytes) return raw.bytes
  if (!raw.texts || raw.texts.length === 0) return new Uint8Array(0)
  return encoder.encode(raw.texts.join(''))
}

/**
 * Reads any stream as bytes: each item is the non-empty body of one response.
 *
 * @example
 * ```ts
 * for await (const chunk of stream.readBytes({ live: false })) total += chunk.length
 * ```
 */
export class ByteReader extends Reader<Uint8Array, ByteChunk> {
  /** @internal */
  protected convert(raw: RawBatch): ByteChunk {
    return { data: rawBytes(raw), ...meta(raw) }
  }
  /** @internal */
  protected itemsOf(b: ByteChunk): Iterable<Uint8Array> {
    return b.data.length > 0 ? [b.data] : []
  }
  /** @internal */
  protected hasData(b: ByteChunk): boolean {
    return b.data.length > 0
  }
}

/**
 * Reads a text stream as strings, decoding UTF-8 safely when a character is split between
 * two responses.
 *
 * @example
 * ```ts
 * const text = (await stream.readText({ live: false }).toArray()).join('')
 * ```
 */
export class TextReader extends Reader<string, TextChunk> {
  private readonly decoder = new TextDecoder()
  /** @internal */
  protected convert(raw: RawBatch): TextChunk {
    let text: string
    if (raw.texts) text = raw.texts.join('')
    else text = this.decoder.decode(raw.bytes ?? new Uint8Array(0), { stream: !raw.closed })
    return { text, ...meta(raw) }
  }
  /** @internal */
  protected itemsOf(b: TextChunk): Iterable<string> {
    return b.text.length > 0 ? [b.text] : []
  }
  /** @internal */
  protected hasData(b: TextChunk): boolean {
    return b.text.length > 0
  }
}

/**
 * A batch of a reader whose content type was not known in advance.
 *
 * @example
 * ```ts
 * for await (const b of stream.read({ live: false }).batches()) console.log(b.items ?? b.data)
 * ```
 */
export type AnyBatch =
  (JsonBatch<unknown> & { data?: undefined }) | (ByteChunk & { items?: undefined })

/**
 * Reads a stream whose content type is decided by the server's answer: JSON streams yield
 * parsed messages, all others yield byte chunks. Returned by `stream.read()` when the handle
 * has not seen the content type yet.
 *
 * @example
 * ```ts
 * for await (const m of stream.read({ live: false })) console.log(m)
 * ```
 */
export class DynamicReader extends Reader<unknown, AnyBatch> {
  /** @internal */
  protected convert(raw: RawBatch): AnyBatch {
    if (isJsonContentType(raw.contentType ?? this.contentType)) {
      return { items: parseJsonBatch(raw, this.init.url), ...meta(raw) }
    }
    return { data: rawBytes(raw), ...meta(raw) }
  }
  /** @internal */
  protected itemsOf(b: AnyBatch): Iterable<unknown> {
    if (b.items) return b.items
    return b.data.length > 0 ? [b.data] : []
  }
  /** @internal */
  protected hasData(b: AnyBatch): boolean {
    return b.items ? b.items.length > 0 : b.data.length > 0
  }
}
