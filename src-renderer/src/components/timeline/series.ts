/**
 * Bounded data behind the timeline chart: per read session, the number of messages received
 * over time (a ring of samples in typed arrays), and the stream's throughput per second (a
 * ring keyed by second, so seconds with no traffic read as 0 on the renderer's own clock).
 * Pure code: no React, no bridge, unit-tested in series.test.ts.
 */

/** Samples (time, messages so far, offset reached, bytes so far) of one read session. */
export class SampleRing {
  readonly t: Float64Array
  readonly n: Float64Array
  readonly bytes: Float64Array
  private readonly offsets: string[]
  private head = 0
  private size = 0

  constructor(readonly capacity: number) {
    this.t = new Float64Array(capacity)
    this.n = new Float64Array(capacity)
    this.bytes = new Float64Array(capacity)
    this.offsets = new Array<string>(capacity).fill('')
  }

  get length(): number {
    return this.size
  }

  /** Slot of the i-th oldest sample. */
  private slot(i: number): number {
    return (this.head + i) % this.capacity
  }

  /**
   * Adds a sample. A sample that repeats the previous count only moves its time (a session
   * that is idle stays flat without filling the ring); time never goes backwards.
   */
  push(t: number, n: number, offset: string, bytes: number): void {
    if (this.size > 0) {
      const last = this.slot(this.size - 1)
      const prevT = this.t[last]!
      if (t < prevT) t = prevT
      if (
        this.n[last] === n &&
        this.size > 1 &&
        this.n[this.slot(this.size - 2)] === n &&
        this.offsets[last] === offset
      ) {
        this.t[last] = t
        return
      }
    }
    let s: number
    if (this.size < this.capacity) {
      s = this.slot(this.size)
      this.size++
    } else {
      s = this.head
      this.head = (this.head + 1) % this.capacity
    }
    this.t[s] = t
    this.n[s] = n
    this.bytes[s] = bytes
    this.offsets[s] = offset
  }

  timeAt(i: number): number {
    return this.t[this.slot(i)]!
  }
  countAt(i: number): number {
    return this.n[this.slot(i)]!
  }
  bytesAt(i: number): number {
    return this.bytes[this.slot(i)]!
  }
  offsetAt(i: number): string {
    return this.offsets[this.slot(i)]!
  }

  /** Index of the last sample at or before `t` (-1 when all are later). */
  indexAtTime(t: number): number {
    let lo = 0
    let hi = this.size - 1
    let found = -1
    while (lo <= hi) {
      const mid = (lo + hi) >> 1
      if (this.timeAt(mid) <= t) {
        found = mid
        lo = mid + 1
      } else hi = mid - 1
    }
    return found
  }

  /** Messages received by time `t` (0 before the first sample). */
  receivedBy(t: number): number {
    const i = this.indexAtTime(t)
    return i < 0 ? 0 : this.countAt(i)
  }

  /** When the count first exceeded `index` (the message at that position had arrived). */
  timeOfIndex(index: number): number | null {
    let lo = 0
    let hi = this.size - 1
    let found = -1
    while (lo <= hi) {
      const mid = (lo + hi) >> 1
      if (this.countAt(mid) > index) {
        found = mid
        hi = mid - 1
      } else lo = mid + 1
    }
    return found < 0 ? null : this.timeAt(found)
  }
}

/**
 * The messages received in the time range (t0, t1] as positions in the session's list:
 * those counted after t0 up to the count at t1. Null when none arrived in it.
 */
export function messagesBetween(
  ring: SampleRing,
  t0: number,
  t1: number,
): { from: number; to: number } | null {
  const [a, b] = t0 <= t1 ? [t0, t1] : [t1, t0]
  const from = ring.receivedBy(a)
  const to = ring.receivedBy(b) - 1
  return to >= from ? { from, to } : null
}

/** Messages and bytes per second, one slot per wall-clock second, bounded. */
export class RateHistory {
  private readonly sec: Float64Array
  private readonly msgs: Float64Array
  private readonly bytes: Float64Array
  /** First second with data (the chart starts there). */
  first = -1

  constructor(readonly capacity: number) {
    this.sec = new Float64Array(capacity).fill(-1)
    this.msgs = new Float64Array(capacity)
    this.bytes = new Float64Array(capacity)
  }

  /**
   * Takes a snapshot of per-second buckets (oldest first) whose last bucket is the second of
   * `at` (ms). Seconds before `since` (ms) are left alone: they belong to an earlier session.
   */
  write(at: number, msgs: readonly number[], bytes: readonly number[] | null, since: number): void {
    const last = Math.floor(at / 1000)
    const from = Math.floor(since / 1000)
    for (let i = 0; i < msgs.length; i++) {
      const s = last - (msgs.length - 1 - i)
      if (s < from) continue
      const slot = s % this.capacity
      this.sec[slot] = s
      this.msgs[slot] = msgs[i]!
      this.bytes[slot] = bytes?.[i] ?? 0
      if (this.first < 0 || s < this.first) this.first = s
    }
    if (this.first < 0) this.first = Math.max(from, last)
  }

  /**
   * The series from the first second with data up to the second of `now` (at most
   * `capacity` seconds): x at the middle of each second, in ms; seconds nothing was written
   * for are 0, so the rate falls to 0 on the clock when traffic stops.
   */
  series(now: number): { t: number[]; msgs: number[]; bytes: number[] } {
    const out = { t: [] as number[], msgs: [] as number[], bytes: [] as number[] }
    if (this.first < 0) return out
    const last = Math.floor(now / 1000)
    const start = Math.max(this.first, last - this.capacity + 1)
    for (let s = start; s <= last; s++) {
      const slot = s % this.capacity
      const has = this.sec[slot] === s
      out.t.push(s * 1000 + 500)
      out.msgs.push(has ? this.msgs[slot]! : 0)
      out.bytes.push(has ? this.bytes[slot]! : 0)
    }
    return out
  }
}
