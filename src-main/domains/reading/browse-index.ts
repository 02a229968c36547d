/**
 * The index of a browse session: one entry per non-empty read response (batch) with its offset
 * range and the global index of its first message, so any message can be found by position
 * or offset and its batch re-read from the server by offset. Decoded messages are cached per
 * batch, bounded by a message budget and an (estimated) byte budget: least recently used
 * batches are evicted first.
 */
import type { MessagePayload } from '../../../src-shared/contract/index.js'
import type { ReadPhase } from '../../../src-shared/contract/index.js'

export interface BatchEntry {
  /** Unique id of the entry (the cache key; never reused, even after `truncate`). */
  n: number
  start: string
  end: string
  first: number
  count: number
  /**
   * Messages of the same response before this entry: a large response read progressively is
   * indexed in pieces that share its offset range; re-reading a piece skips this many.
   */
  skip: number
  receivedAt: number
  phase: ReadPhase
}

export class BatchIndex {
  readonly batches: BatchEntry[] = []
  total = 0
  private nextId = 0
  /** Ids of entries dropped by `truncate`: a late re-read for one of them is not cached. */
  private readonly dropped = new Set<number>()
  private readonly cache = new Map<number, { messages: MessagePayload[]; bytes: number }>()
  private cached = 0
  private cachedBytes = 0

  constructor(
    private readonly maxCached: number,
    /** Budget for the estimated memory of cached messages (default 256 MiB). */
    private readonly maxBytes: number = DEFAULT_MAX_BYTES,
  ) {}

  add(
    start: string,
    end: string,
    messages: MessagePayload[],
    receivedAt: number,
    phase: ReadPhase,
    skip = 0,
  ): BatchEntry {
    const entry: BatchEntry = {
      n: this.nextId++,
      start,
      end,
      first: this.total,
      count: messages.length,
      skip,
      receivedAt,
      phase,
    }
    this.batches.push(entry)
    this.total += messages.length
    this.store(entry.n, messages)
    return entry
  }

  /** Drops every entry whose first message is at or after position `n` (and its cache). */
  truncate(n: number): void {
    while (this.batches.length > 0 && this.batches[this.batches.length - 1]!.first >= n) {
      const b = this.batches.pop()!
      this.dropped.add(b.n)
      const hit = this.cache.get(b.n)
      if (hit) {
        this.cache.delete(b.n)
        this.cached -= hit.messages.length
        this.cachedBytes -= hit.bytes
      }
    }
    const last = this.batches[this.batches.length - 1]
    this.total = last ? last.first + last.count : 0
  }

  /** The batch holding message `i` (binary search). */
  batchOf(i: number): BatchEntry | null {
    if (i < 0 || i >= this.total) return null
    let lo = 0
    let hi = this.batches.length - 1
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1
      if (this.batches[mid]!.first <= i) lo = mid
      else hi = mid - 1
    }
    return this.batches[lo] ?? null
  }

  /**
   * The batch whose offset range holds `offset` (start <= offset < end; offsets sort
   * lexicographically per the protocol). `-1` is the first batch.
   */
  batchAtOffset(offset: string): BatchEntry | null {
    if (this.batches.length === 0) return null
    if (offset === '-1') return this.batches[0]!
    let lo = 0
    let hi = this.batches.length - 1
    while (lo <= hi) {
      const mid = (lo + hi) >> 1
      const b = this.batches[mid]!
      if (offset >= b.end) lo = mid + 1
      else if (b.start !== '-1' && offset < b.start) hi = mid - 1
      else return this.firstPieceOf(mid)
    }
    return null
  }

  /** The first piece of the response that entry `n` belongs to. */
  private firstPieceOf(n: number): BatchEntry {
    let k = n
    while (this.batches[k]!.skip > 0 && k > 0) k--
    return this.batches[k]!
  }

  /** Cached messages of a batch, or null when evicted. */
  cachedMessages(n: number): MessagePayload[] | null {
    const hit = this.cache.get(n)
    if (!hit) return null
    // Refresh LRU position.
    this.cache.delete(n)
    this.cache.set(n, hit)
    return hit.messages
  }

  /** Cached messages without touching the LRU order. */
  peek(n: number): MessagePayload[] | null {
    return this.cache.get(n)?.messages ?? null
  }

  store(n: number, messages: MessagePayload[]): void {
    if (messages.length === 0 || this.cache.has(n) || this.dropped.has(n)) return
    let bytes = 0
    for (const m of messages) bytes += estimateBytes(m)
    this.cache.set(n, { messages, bytes })
    this.cached += messages.length
    this.cachedBytes += bytes
    for (const [key, hit] of this.cache) {
      if ((this.cached <= this.maxCached && this.cachedBytes <= this.maxBytes) || key === n) break
      this.cache.delete(key)
      this.cached -= hit.messages.length
      this.cachedBytes -= hit.bytes
    }
  }

  cachedCount(): number {
    return this.cached
  }

  /** Estimated memory held by cached messages. */
  cachedByteCount(): number {
    return this.cachedBytes
  }
}

const DEFAULT_MAX_BYTES = 256 * 1024 * 1024
/** Rough per-message overhead (object, array slot). */
const MESSAGE_OVERHEAD = 64

/**
 * Cheap memory estimate of one decoded message: strings count two bytes per UTF-16 unit. Decoded
 * JSON values are not measured (that would cost a serialisation); the message budget bounds them.
 */
export function estimateBytes(m: MessagePayload): number {
  if (m.kind === 'text') return MESSAGE_OVERHEAD + 2 * m.text.length
  if (m.kind === 'bytes') return MESSAGE_OVERHEAD + 2 * m.base64.length
  return MESSAGE_OVERHEAD
}
