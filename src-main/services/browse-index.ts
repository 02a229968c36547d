/**
 * The index of a browse session: one entry per non-empty read response (batch) with its offset
 * range and the global index of its first message, so any message can be found by position
 * or offset and its batch re-read from the server by offset. Decoded messages are cached per
 * batch, bounded by a message budget (least recently used batches are evicted first).
 */
import type { MessagePayload } from '../../src-shared/ipc/contract.js'
import type { ReadPhase } from '../../src-shared/ipc/contract-browse.js'

export interface BatchEntry {
  /** Position in the index. */
  n: number
  start: string
  end: string
  first: number
  count: number
  receivedAt: number
  phase: ReadPhase
}

export class BatchIndex {
  readonly batches: BatchEntry[] = []
  total = 0
  private readonly cache = new Map<number, MessagePayload[]>()
  private cached = 0

  constructor(private readonly maxCached: number) {}

  add(
    start: string,
    end: string,
    messages: MessagePayload[],
    receivedAt: number,
    phase: ReadPhase,
  ): BatchEntry {
    const entry: BatchEntry = {
      n: this.batches.length,
      start,
      end,
      first: this.total,
      count: messages.length,
      receivedAt,
      phase,
    }
    this.batches.push(entry)
    this.total += messages.length
    this.store(entry.n, messages)
    return entry
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
      else return b
    }
    return null
  }

  /** Cached messages of a batch, or null when evicted. */
  cachedMessages(n: number): MessagePayload[] | null {
    const msgs = this.cache.get(n)
    if (!msgs) return null
    // Refresh LRU position.
    this.cache.delete(n)
    this.cache.set(n, msgs)
    return msgs
  }

  /** Cached messages without touching the LRU order. */
  peek(n: number): MessagePayload[] | null {
    return this.cache.get(n) ?? null
  }

  store(n: number, messages: MessagePayload[]): void {
    if (messages.length === 0 || this.cache.has(n)) return
    this.cache.set(n, messages)
    this.cached += messages.length
    for (const [key, msgs] of this.cache) {
      if (this.cached <= this.maxCached || key === n) break
      this.cache.delete(key)
      this.cached -= msgs.length
    }
  }

  cachedCount(): number {
    return this.cached
  }
}
