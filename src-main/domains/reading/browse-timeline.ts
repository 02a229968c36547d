/**
 * The timeline of a browse session: every read response folded into segments (catch-up vs
 * live, split on phase change, reconnect or every few seconds), markers for up-to-date
 * points, reconnects, errors and closure, and per-second rings of messages and bytes for the
 * throughput chart. Bounded: old segments and markers are dropped (and counted). Bytes are
 * null until a response with a known size arrives (JSON reads hand out parsed messages only).
 */
import type {
  ReadPhase,
  TimelineMarker,
  TimelineSegment,
  TimelineSnapshot,
} from '../../../src-shared/contract/index.js'

const MAX_SEGMENTS = 300
const MAX_MARKERS = 300
const SEGMENT_SPAN_MS = 5_000
const SPARK_SECONDS = 60

export class Timeline {
  private segments: TimelineSegment[] = []
  private markers: TimelineMarker[] = []
  private dropped = 0
  private nextId = 1
  private split = true
  private wasUpToDate = false
  private readonly buckets = new Array<number>(SPARK_SECONDS).fill(0)
  private readonly byteBuckets = new Array<number>(SPARK_SECONDS).fill(0)
  private bytes: number | null = null
  private bucketSecond = Math.floor(Date.now() / 1000)

  constructor(private readonly now: () => number = Date.now) {}

  response(r: {
    start: string
    end: string
    firstIndex: number
    count: number
    phase: ReadPhase
    upToDate: boolean
    closed: boolean
    at: number
    /** Body bytes of the response, when the reader knows them. */
    bytes?: number | null
  }): void {
    const kind = r.phase === 'catch-up' ? 'catch-up' : 'live'
    let seg = this.segments[this.segments.length - 1]
    if (
      this.split ||
      !seg ||
      seg.phase !== r.phase ||
      (kind === 'live' && r.at - seg.startedAt > SEGMENT_SPAN_MS && r.count > 0)
    ) {
      seg = {
        id: this.nextId++,
        kind,
        phase: r.phase,
        startOffset: r.start,
        endOffset: r.end,
        firstIndex: r.firstIndex,
        count: 0,
        responses: 0,
        startedAt: r.at,
        endedAt: r.at,
      }
      this.segments.push(seg)
      this.split = false
      if (this.segments.length > MAX_SEGMENTS) {
        this.segments.shift()
        this.dropped++
      }
    }
    seg.endOffset = r.end
    seg.count += r.count
    seg.responses++
    seg.endedAt = r.at
    this.count(r.count, r.at, r.bytes ?? null)
    if (r.upToDate && !this.wasUpToDate) {
      this.mark({
        kind: 'up-to-date',
        at: r.at,
        offset: r.end,
        index: r.firstIndex + r.count,
        detail: null,
      })
    }
    this.wasUpToDate = r.upToDate
    if (r.closed) {
      this.mark({
        kind: 'closed',
        at: r.at,
        offset: r.end,
        index: r.firstIndex + r.count,
        detail: 'EOF',
      })
    }
  }

  /** A reconnect or error starts a new segment after it. */
  event(kind: 'reconnect' | 'error', offset: string, index: number, detail: string | null): void {
    this.mark({ kind, at: this.now(), offset, index, detail })
    this.split = true
    this.wasUpToDate = false
  }

  private mark(m: TimelineMarker): void {
    this.markers.push(m)
    if (this.markers.length > MAX_MARKERS) this.markers.shift()
  }

  private count(n: number, at: number, bytes: number | null): void {
    this.roll(Math.floor(at / 1000))
    this.buckets[this.buckets.length - 1]! += n
    if (bytes === null) return
    this.bytes = (this.bytes ?? 0) + bytes
    this.byteBuckets[this.byteBuckets.length - 1]! += bytes
  }

  private roll(second: number): void {
    const shift = Math.min(second - this.bucketSecond, SPARK_SECONDS)
    if (shift <= 0) return
    for (const b of [this.buckets, this.byteBuckets]) {
      b.splice(0, shift)
      for (let i = 0; i < shift; i++) b.push(0)
    }
    this.bucketSecond = second
  }

  /** Messages per second over the last two full-ish seconds. */
  rate(): number {
    const nowMs = this.now()
    this.roll(Math.floor(nowMs / 1000))
    const frac = (nowMs % 1000) / 1000
    const last = this.buckets[SPARK_SECONDS - 1] ?? 0
    const prev = this.buckets[SPARK_SECONDS - 2] ?? 0
    return Math.round((last + prev) / (1 + frac))
  }

  snapshot(): TimelineSnapshot {
    this.roll(Math.floor(this.now() / 1000))
    return {
      segments: this.segments.map((s) => ({ ...s })),
      markers: [...this.markers],
      droppedSegments: this.dropped,
      sparkline: [...this.buckets],
      bytes: this.bytes,
      bytesPerSecond: this.bytes === null ? null : [...this.byteBuckets],
    }
  }
}
