/**
 * What every subject (ours, official, raw) provides to the scenario drivers. Each method
 * uses the subject's natural, documented API for the job; the drivers do all timing, so
 * the measurement code is identical for the three subjects.
 */

export type LiveMode = 'long-poll' | 'sse'

/** Appends one message and resolves when the server acknowledged it. */
export type ByteAppend = (data: Uint8Array) => Promise<void>
/** Appends one JSON value (as one message) and resolves on acknowledgement. */
export type JsonAppend = (value: unknown) => Promise<void>

export interface TailSpec {
  url: string
  mode: LiveMode
  offset: string
  json: boolean
  /**
   * Called for every batch the reader delivers: JSON streams pass the parsed messages,
   * byte streams pass the bytes.
   */
  onBatch: (items: readonly unknown[] | undefined, bytes: Uint8Array | undefined) => void
  /** Called if the read fails (not after `close()`). */
  onError: (err: unknown) => void
}

/** A running live read. */
export interface Tail {
  /** Stops the read and releases its request. */
  close(): void
}

export interface ProduceSpec {
  url: string
  contentType: string
  producerId: string
  messages: readonly Uint8Array[]
}

export interface Subject {
  readonly name: string
  /** A handle on an existing byte stream with a function that appends one message. */
  byteAppender(url: string, contentType: string): ByteAppend
  /** A handle on an existing JSON stream with a function that appends one value. */
  jsonAppender(url: string): JsonAppend
  /** Creates a stream. */
  create(url: string, contentType: string): Promise<void>
  /** Catch-up read of a whole byte stream; resolves with the byte count. */
  readBytes(url: string): Promise<number>
  /** Catch-up read of a whole JSON stream, parsed; resolves with the message count. */
  readJsonCount(url: string): Promise<number>
  /** Starts a live read (batches) and returns once the read is under way. */
  tail(spec: TailSpec): Promise<Tail>
  /** A message-by-message live JSON read for `for await` (row 10). */
  iterateJson(url: string, mode: LiveMode, offset: string): Promise<AsyncIterable<unknown>>
  /**
   * Writes every message through an idempotent producer (fresh `producerId`) and resolves
   * once all are acknowledged.
   */
  produce(spec: ProduceSpec): Promise<void>
  /** Releases connections. */
  dispose(): Promise<void>
}
