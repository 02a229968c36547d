/**
 * One browse session: a read of one stream from a start offset (catch-up, then live in the
 * chosen mode) that indexes every response, serves any page of messages by position (from the
 * cache, or re-read from the server by the batch's offset), runs searches and keeps the
 * timeline. The renderer only ever holds the window it shows.
 */
import type { Stream } from '../../../src-shared/client/node.js'
import type { ErrorData, MessagePayload } from '../../../src-shared/contract/index.js'
import type {
  BrowseFilter,
  BrowsePage,
  BrowseProgress,
  BrowseRow,
  LiveModeChoice,
  ReadPhase,
  SessionState,
} from '../../../src-shared/contract/index.js'
import { BatchIndex, type BatchEntry } from './browse-index.js'
import { openPayloadReader, readMessagesAt, type PayloadBatch } from './browse-reader.js'
import { collectMatches, compileFilter, type MessagePredicate } from './browse-filter.js'
import { Timeline } from './browse-timeline.js'
import { toErrorData } from '../../core/errors.js'

const TAIL_ROWS = 64

export interface SessionOptions {
  id: string
  ownerId: string
  stream: Stream
  contentType: string
  startOffset: string
  live: LiveModeChoice
  maxCached: number
  onChange: (urgent: boolean) => void
}

interface Search {
  filter: BrowseFilter
  predicate: MessagePredicate
  matches: number[]
  /** Matches found live while the scan of older messages runs. */
  pending: number[]
  scannedTo: number
  done: boolean
}

export class BrowseSession {
  readonly index: BatchIndex
  readonly timeline = new Timeline()
  live: LiveModeChoice
  state: SessionState = 'catching-up'
  nextOffset: string
  upToDate = false
  closed = false
  phase: ReadPhase | null = null
  reconnects = 0
  responses = 0
  error: ErrorData | null = null
  private search: Search | null = null
  private searchGen = 0
  private abort: AbortController | null = null
  private running: Promise<void> = Promise.resolve()
  private restarting: Promise<void> = Promise.resolve()
  private disposed = false
  private headSent = false
  /** First position of a response whose pieces are still arriving, else null. */
  private openResponseFirst: number | null = null
  private readonly refetching = new Map<number, Promise<MessagePayload[]>>()

  constructor(private readonly o: SessionOptions) {
    this.index = new BatchIndex(o.maxCached)
    this.live = o.live
    this.nextOffset = o.startOffset
  }

  get id(): string {
    return this.o.id
  }
  get ownerId(): string {
    return this.o.ownerId
  }
  get url(): string {
    return this.o.stream.url
  }

  start(): void {
    const abort = new AbortController()
    this.abort = abort
    this.running = this.run(abort.signal)
  }

  /**
   * Stops the current read and starts again from the last offset (new mode, or after an error).
   * Restarts run one after another, so two readers never run at once; without `live` the mode in
   * force when this restart runs is kept.
   */
  restart(live?: LiveModeChoice, why?: string): Promise<void> {
    const next = this.restarting.then(() => this.restartNow(live ?? this.live, why))
    this.restarting = next.catch(() => undefined)
    return next
  }

  private async restartNow(live: LiveModeChoice, why?: string): Promise<void> {
    this.abort?.abort()
    await this.running
    if (this.disposed) return
    // A response cut off mid-way is read again from its start: drop its pieces, or its first
    // messages would be indexed twice.
    if (this.openResponseFirst !== null) {
      this.dropFrom(this.openResponseFirst)
      this.openResponseFirst = null
    }
    this.live = live
    this.reconnects++
    this.timeline.event('reconnect', this.nextOffset, this.index.total, why ?? `restart (${live})`)
    this.error = null
    this.state = this.closed ? 'closed' : 'catching-up'
    if (!this.closed) this.start()
    this.o.onChange(true)
  }

  async dispose(): Promise<void> {
    this.disposed = true
    this.searchGen++
    this.abort?.abort()
    await this.running
  }

  private async run(signal: AbortSignal): Promise<void> {
    const reader = openPayloadReader(
      this.o.stream,
      this.o.contentType,
      this.nextOffset,
      this.live,
      signal,
    )
    let seen = 0
    try {
      for await (const b of reader.batches) {
        if (signal.aborted) return
        const r = reader.reconnects()
        if (r > seen) {
          this.reconnects += r - seen
          seen = r
          this.timeline.event('reconnect', this.nextOffset, this.index.total, 'SSE reconnected')
        }
        this.ingest(b)
        // Pieces of one large response can follow each other without any I/O wait: let
        // progress reach the renderer and its page requests be served in between.
        if (b.part && !b.part.last) await new Promise((r) => setImmediate(r))
      }
      if (signal.aborted) return
      this.state = this.closed ? 'closed' : 'stopped'
    } catch (err) {
      if (signal.aborted) return
      this.error = toErrorData(err)
      this.state = 'error'
      this.timeline.event('error', this.nextOffset, this.index.total, this.error.message)
    }
    this.o.onChange(true)
  }

  private ingest(b: PayloadBatch): void {
    const part = b.part
    const start = part ? part.start : this.nextOffset
    const first = this.index.total
    if (b.messages.length > 0) {
      this.index.add(
        start,
        part ? part.end : b.nextOffset,
        b.messages,
        b.receivedAt,
        b.phase,
        part?.skip ?? 0,
      )
      const s = this.search
      if (s) {
        try {
          collectMatches(
            s.predicate,
            b.messages,
            b.messages.length,
            first,
            s.done ? s.matches : s.pending,
          )
        } catch (err) {
          // A regex that backtracks for ever on a new message: the search stops, and says why.
          this.search = null
          this.error = toErrorData(err)
        }
      }
    }
    const wasState = this.state
    if (part && !part.last) {
      this.openResponseFirst ??= first - part.skip
      // A piece of a large response: shown at once; the response is recorded when it ends.
      this.o.onChange(first === 0)
      return
    }
    this.openResponseFirst = null
    this.responses++
    const responseFirst = part ? first - part.skip : first
    this.timeline.response({
      start,
      end: b.nextOffset,
      firstIndex: responseFirst,
      count: this.index.total - responseFirst,
      phase: b.phase,
      upToDate: b.upToDate,
      closed: b.closed,
      at: b.receivedAt,
      bytes: b.bytes,
    })
    this.nextOffset = b.nextOffset
    this.upToDate = b.upToDate
    this.closed = b.closed
    this.phase = b.phase
    this.state = b.closed ? 'closed' : b.upToDate || b.phase !== 'catch-up' ? 'live' : 'catching-up'
    this.o.onChange(wasState !== this.state)
  }

  /** Forgets messages from position `n` on (pieces of a response that will be read again). */
  private dropFrom(n: number): void {
    this.index.truncate(n)
    const s = this.search
    if (!s) return
    if (s.done) {
      s.matches = s.matches.filter((i) => i < n)
      s.pending = s.pending.filter((i) => i < n)
      s.scannedTo = Math.min(s.scannedTo, n)
      return
    }
    // A scan in progress may be waiting on an entry that is gone: start it over.
    this.setFilter(s.filter).catch((err: unknown) => {
      this.error = toErrorData(err)
      this.o.onChange(true)
    })
  }

  private async messagesOf(b: BatchEntry): Promise<MessagePayload[]> {
    const cached = this.index.cachedMessages(b.n)
    if (cached) return cached
    let p = this.refetching.get(b.n)
    if (!p) {
      p = readMessagesAt(this.o.stream, this.o.contentType, b.start, b.skip, b.count)
      this.refetching.set(b.n, p)
      void p.then(
        (msgs) => this.index.store(b.n, msgs),
        () => undefined, // the awaiting page call reports the error
      )
      void p.finally(() => this.refetching.delete(b.n)).catch(() => undefined)
    }
    return p
  }

  private async row(i: number): Promise<BrowseRow | null> {
    const b = this.index.batchOf(i)
    if (!b) return null
    const msgs = await this.messagesOf(b)
    const payload = msgs[i - b.first]
    return payload ? rowOf(b, i, payload) : null
  }

  async page(from: number, count: number, view: 'all' | 'matches'): Promise<BrowsePage> {
    const indexes: number[] = []
    let total: number
    if (view === 'matches') {
      const matches = this.search ? [...this.search.matches, ...this.search.pending] : []
      total = matches.length
      for (let k = from; k < Math.min(from + count, total); k++) indexes.push(matches[k]!)
    } else {
      total = this.index.total
      for (let i = from; i < Math.min(from + count, total); i++) indexes.push(i)
    }
    const rows = (await Promise.all(indexes.map((i) => this.row(i)))).filter(
      (r): r is BrowseRow => r !== null,
    )
    return { from, rows, total }
  }

  /** Position of the first message of the batch whose offset range holds `offset`. */
  locate(offset: string): number {
    if (offset === 'now') return this.index.total
    // Before the `nextOffset` shortcut: while a large response arrives in pieces, `nextOffset`
    // is still that response's start and its first rows are already indexed.
    const b = this.index.batchAtOffset(offset)
    if (b) return b.first
    if (offset === this.nextOffset) return this.index.total
    const first = this.index.batches[0]
    if (first && first.start !== '-1' && offset < first.start) {
      throw new RangeError(
        `Offset ${offset} is before the start of this read (${first.start}): start the browser from it instead`,
      )
    }
    throw new RangeError(
      `Offset ${offset} is not in the loaded range (next offset ${this.nextOffset})`,
    )
  }

  /** Starts a search over everything indexed, then keeps matching live messages. */
  async setFilter(filter: BrowseFilter | null): Promise<number> {
    const gen = ++this.searchGen
    if (!filter || (!filter.text?.trim() && !filter.path?.trim())) {
      this.search = null
      this.o.onChange(true)
      return 0
    }
    const predicate = compileFilter(filter)
    const s: Search = { filter, predicate, matches: [], pending: [], scannedTo: 0, done: false }
    this.search = s
    const end = this.index.total
    this.o.onChange(true)
    let sinceYield = 0
    const batches = this.index.batches
    for (let k = 0; k < batches.length; k++) {
      const b = batches[k]!
      if (b.first >= end) break
      let msgs = this.index.cachedMessages(b.n)
      let count = b.count
      if (!msgs) {
        // Evicted: one read covers this piece and every later piece of the same response (a
        // re-read downloads the response from its start anyway; piece by piece, or run by run
        // between cached pieces, that would be quadratic).
        let last = k
        for (let j = k + 1; j < batches.length; j++) {
          const next = batches[j]!
          if (next.start !== b.start || next.skip === 0 || next.first >= end) break
          last = j
        }
        count = batches[last]!.first + batches[last]!.count - b.first
        msgs =
          last === k
            ? await this.messagesOf(b)
            : await readMessagesAt(this.o.stream, this.o.contentType, b.start, b.skip, count)
        k = last
      }
      if (gen !== this.searchGen) return 0
      const n = Math.min(count, msgs.length, end - b.first)
      try {
        collectMatches(predicate, msgs, n, b.first, s.matches)
      } catch (err) {
        if (this.search === s) this.search = null
        this.o.onChange(true)
        throw err
      }
      s.scannedTo = b.first + n
      sinceYield += n
      if (sinceYield > 50_000) {
        sinceYield = 0
        await new Promise((r) => setImmediate(r))
        if (gen !== this.searchGen) return 0
        this.o.onChange(false)
      }
    }
    s.matches.push(...s.pending)
    s.pending = []
    s.done = true
    this.o.onChange(true)
    return s.matches.length
  }

  progress(): BrowseProgress {
    const s = this.search
    return {
      sessionId: this.o.id,
      total: this.index.total,
      startOffset: this.o.startOffset,
      nextOffset: this.nextOffset,
      upToDate: this.upToDate,
      closed: this.closed,
      state: this.state,
      live: this.live,
      phase: this.phase,
      rate: this.timeline.rate(),
      reconnects: this.reconnects,
      responses: this.responses,
      error: this.error,
      matchCount: s ? s.matches.length + s.pending.length : null,
      searching: s ? !s.done : false,
      timeline: this.timeline.snapshot(),
      tail: this.tailRows(TAIL_ROWS),
      head: this.headRowsOnce(TAIL_ROWS),
    }
  }

  /** The first `n` rows, the first time any exist (they are cached then: just ingested). */
  private headRowsOnce(n: number): BrowseRow[] {
    if (this.headSent || this.index.total === 0) return []
    this.headSent = true
    const rows: BrowseRow[] = []
    for (const b of this.index.batches) {
      const msgs = this.index.peek(b.n)
      if (!msgs) break
      for (let k = 0; k < b.count && rows.length < n; k++)
        rows.push(rowOf(b, b.first + k, msgs[k]!))
      if (rows.length >= n) break
    }
    return rows
  }

  /** The newest `n` rows that are still cached (newest last). */
  private tailRows(n: number): BrowseRow[] {
    const rows: BrowseRow[] = []
    let i = this.index.total - 1
    while (i >= 0 && rows.length < n) {
      const b = this.index.batchOf(i)
      const msgs = b ? this.index.peek(b.n) : null
      if (!b || !msgs) break
      for (; i >= b.first && rows.length < n; i--) rows.push(rowOf(b, i, msgs[i - b.first]!))
    }
    return rows.reverse()
  }
}

/** Message `i` (held by batch `b`) as a row of the browser. */
function rowOf(b: BatchEntry, i: number, payload: MessagePayload): BrowseRow {
  return {
    index: i,
    startOffset: b.start,
    endOffset: b.end,
    inBatch: b.skip + i - b.first,
    batchSize: b.skip + b.count,
    receivedAt: b.receivedAt,
    phase: b.phase,
    payload,
  }
}
