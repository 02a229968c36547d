/**
 * Protocol constants: header names (lower-case, as `Headers` reports them), query
 * parameters and sentinel offsets of the Durable Streams protocol.
 */

/** Header names used by the protocol. */
export const H = {
  contentType: 'content-type',
  nextOffset: 'stream-next-offset',
  upToDate: 'stream-up-to-date',
  streamClosed: 'stream-closed',
  cursor: 'stream-cursor',
  streamSeq: 'stream-seq',
  ttl: 'stream-ttl',
  expiresAt: 'stream-expires-at',
  etag: 'etag',
  cacheControl: 'cache-control',
  sseEncoding: 'stream-sse-data-encoding',
  producerId: 'producer-id',
  producerEpoch: 'producer-epoch',
  producerSeq: 'producer-seq',
  producerExpectedSeq: 'producer-expected-seq',
  producerReceivedSeq: 'producer-received-seq',
  forkedFrom: 'stream-forked-from',
  forkOffset: 'stream-fork-offset',
  forkSubOffset: 'stream-fork-sub-offset',
} as const

/**
 * The offset of the stream's beginning.
 * @example
 * ```ts
 * stream.readJson({ offset: OFFSET_BEGINNING, live: false })
 * ```
 */
export const OFFSET_BEGINNING = '-1'
/**
 * The offset sentinel for "the current tail": skip history, read only what comes next.
 * @example
 * ```ts
 * for await (const m of stream.readJson({ offset: OFFSET_NOW, live: 'sse' })) console.log(m)
 * ```
 */
export const OFFSET_NOW = 'now'

/**
 * Live read modes. `false` reads what exists and stops at the tail.
 * @example
 * ```ts
 * const live: LiveMode = 'long-poll'
 * ```
 */
export type LiveMode = false | 'long-poll' | 'sse' | 'auto'

/**
 * True when a content type is JSON mode (`application/json`, any parameters).
 * @example
 * ```ts
 * isJsonContentType('application/json; charset=utf-8') // true
 * ```
 */
export function isJsonContentType(ct: string | null | undefined): boolean {
  if (!ct) return false
  const base = ct.split(';', 1)[0]!.trim().toLowerCase()
  return base === 'application/json'
}

/**
 * True for `text/*` content types (decoded as UTF-8 text).
 * @example
 * ```ts
 * isTextContentType('text/plain') // true
 * ```
 */
export function isTextContentType(ct: string | null | undefined): boolean {
  if (!ct) return false
  return ct.trim().toLowerCase().startsWith('text/')
}

/**
 * Whether `next` lies before `requested`: a response that would move a reader backwards.
 * Offsets are opaque but ordered lexicographically (PROTOCOL.md); the sentinels `-1` and `now`
 * are positions, not offsets, so nothing compares with them.
 * @example
 * ```ts
 * isOffsetBefore('0000_0010', '0000_0020') // true: that answer would go backwards
 * ```
 */
export function isOffsetBefore(next: string, requested: string): boolean {
  if (requested === OFFSET_BEGINNING || requested === OFFSET_NOW) return false
  if (next === OFFSET_BEGINNING || next === OFFSET_NOW) return false
  return next < requested
}
