/**
 * One State view session: reads a JSON stream from its start (catch-up, then live tail) with
 * the project's client, feeds every message to a StateLog, and serves pages of the live state
 * or of the state as of any earlier change, key histories, warnings, markers and exports.
 */
import {
  InvalidArgumentError,
  serializeError,
  type Stream,
} from '../../../src-shared/client/node.js'
import type {
  ErrorData,
  StateAsOf,
  StateFilter,
  StateHistoryEntry,
  StatePageData,
  StatePosition,
  StateResults,
  StateSummary,
} from '../../../src-shared/contract/index.js'
import { diffJson } from './json-diff.js'
import { RowIndex, exportTables, sortKeys } from './rows.js'
import { StateLog, type Tables } from './state-log.js'

/** Messages applied between two yields to the event loop (keeps main responsive). */
const INGEST_SLICE = 5_000
/** How many first messages decide whether a stream "looks like" State Protocol. */
const SNIFF = 20

export interface StateSessionOptions {
  id: string
  ownerId: string
  path: string
  stream: Stream
  /** Something changed; `urgent` asks for an event now rather than throttled. */
  onChange: (urgent: boolean) => void
}

interface AsOfView {
  position: number
  tables: Tables
  rows: RowIndex
  /** Distinguishes cached pages of different as-of views. */
  version: number
}

export class StateSession {
  readonly log = new StateLog()
  state: StateSummary['state'] = 'catching-up'
  upToDate = false
  error: ErrorData | null = null
  private readonly liveRows = new RowIndex()
  private view: AsOfView | null = null
  private pending: StateAsOf | null = null
  private viewVersion = 0
  private sniffed = 0
  private stateLike = 0
  private readonly abort = new AbortController()
  private running: Promise<void> = Promise.resolve()

  constructor(private readonly o: StateSessionOptions) {}

  get id(): string {
    return this.o.id
  }
  get ownerId(): string {
    return this.o.ownerId
  }

  start(): void {
    this.running = this.read().catch((err: unknown) => {
      if (this.abort.signal.aborted) return
      this.state = 'error'
      this.error = serializeError(err)
      this.o.onChange(true)
    })
  }

  async dispose(): Promise<void> {
    this.abort.abort()
    this.state = 'stopped'
    await this.running
  }

  private async read(): Promise<void> {
    const reader = this.o.stream.readJson({
      offset: '-1',
      live: 'auto',
      progressive: true,
      signal: this.abort.signal,
    })
    let cursor = '-1'
    for await (const b of reader.batches()) {
      const startOffset = b.part ? b.part.start : cursor
      const endOffset = b.part ? b.part.end : b.nextOffset
      const base = b.part?.skip ?? 0
      for (let i = 0; i < b.items.length; i += INGEST_SLICE) {
        const slice = b.items.length <= INGEST_SLICE ? b.items : b.items.slice(i, i + INGEST_SLICE)
        this.sniff(slice)
        this.log.ingest(slice, { startOffset, endOffset, inBatchBase: base + i })
        if (i + INGEST_SLICE < b.items.length) {
          await new Promise((r) => setImmediate(r))
          if (this.abort.signal.aborted) return
        }
      }
      if (!b.part || b.part.last) cursor = b.nextOffset
      let urgent = false
      if (b.upToDate && !this.upToDate) {
        this.upToDate = true
        urgent = true
        if (this.pending) {
          const p = this.pending
          this.pending = null
          try {
            this.applyAsOf(p)
          } catch (err) {
            // The target asked for before the catch-up ended does not exist: stay live, say why.
            this.error = serializeError(err)
          }
        }
      }
      if (b.closed) this.state = 'closed'
      else if (b.upToDate || b.phase !== 'catch-up') this.state = 'live'
      this.o.onChange(urgent || b.closed)
      if (b.part && !b.part.last) await new Promise((r) => setImmediate(r))
    }
    if (this.state !== 'closed' && !this.abort.signal.aborted) this.state = 'stopped'
  }

  private sniff(items: readonly unknown[]): void {
    for (let i = 0; i < items.length && this.sniffed < SNIFF; i++) {
      this.sniffed++
      const m = items[i]
      if (m === null || typeof m !== 'object') continue
      const h = (m as { headers?: unknown }).headers
      if (h !== null && typeof h === 'object' && ('operation' in h || 'control' in h)) {
        this.stateLike++
      }
    }
  }

  /** Most of the first messages are change or control messages. */
  get looksLikeState(): boolean {
    return this.sniffed > 0 && this.stateLike * 2 > this.sniffed
  }

  private shown(): Tables {
    return this.view ? this.view.tables : this.log
  }

  private position(): StatePosition {
    const total = this.log.size
    const position = this.view ? this.view.position : total
    const messageIndex = this.log.messageIndexAt(position)
    return {
      live: this.view === null,
      position,
      total,
      messageIndex,
      address: messageIndex >= 0 ? this.log.address(messageIndex) : null,
    }
  }

  summary(): StateSummary {
    const tables = this.shown()
    return {
      sessionId: this.o.id,
      path: this.o.path,
      looksLikeState: this.looksLikeState,
      state: this.state,
      upToDate: this.upToDate,
      counters: { ...this.log.counters },
      types: tables
        .types()
        .map((type) => ({ type, rows: tables.table(type).size }))
        .sort((a, b) => (a.type < b.type ? -1 : a.type > b.type ? 1 : 0)),
      position: this.position(),
      markers: this.log.markers.length,
      error: this.error,
    }
  }

  /** Keys changed since the last call (for row flashes); none while an as-of view shows. */
  takeChanged(): { type: string; key: string }[] {
    const changed = this.log.takeChanged()
    return this.view ? [] : changed
  }

  page(type: string, from: number, count: number, filter: StateFilter | null): StatePageData {
    const universe = (t: string): readonly string[] => this.log.keysEver(t, sortKeys)
    if (this.view) {
      const v = this.view.version
      const versions = { keys: v, values: v }
      return this.view.rows.page(this.view.tables, versions, type, from, count, filter, universe)
    }
    const versions = { keys: this.log.keysVersion, values: this.log.version }
    return this.liveRows.page(this.log, versions, type, from, count, filter, universe)
  }

  /** Shows the state as of a position, offset or message; `{ live: true }` goes back to live. */
  asOf(target: StateAsOf): StateSummary {
    if ('live' in target) {
      this.pending = null
      this.view = null
      return this.summary()
    }
    // Until the first catch-up is done, a target past what was read waits for it.
    if (!this.upToDate && !this.reachable(target)) {
      this.pending = target
      return this.summary()
    }
    this.applyAsOf(target)
    return this.summary()
  }

  private reachable(target: Exclude<StateAsOf, { live: true }>): boolean {
    if ('position' in target) return target.position <= this.log.size
    if (target.inBatch !== undefined) {
      return this.log.positionAtAddress(target.offset, target.inBatch) !== null
    }
    const at = this.log.address(Math.max(0, this.log.counters.messages - 1))
    return target.offset === '-1' || (at.endOffset !== '' && target.offset <= at.endOffset)
  }

  private applyAsOf(target: StateAsOf): void {
    if ('live' in target) {
      this.view = null
      return
    }
    let position: number
    if ('position' in target) {
      if (target.position > this.log.size) {
        throw new InvalidArgumentError(
          'asOf.position',
          `position ${target.position} is past the last change (${this.log.size})`,
        )
      }
      position = target.position
    } else if (target.inBatch !== undefined) {
      const p = this.log.positionAtAddress(target.offset, target.inBatch)
      if (p === null) {
        throw new InvalidArgumentError(
          'asOf.offset',
          `No message ${target.inBatch} in the response read at offset ${target.offset}`,
        )
      }
      position = p
    } else {
      position = this.log.positionAtOffset(target.offset)
    }
    this.view = {
      position,
      tables: this.log.stateAt(position),
      rows: new RowIndex(),
      version: --this.viewVersion,
    }
  }

  keyHistory(type: string, key: string): StateResults['state.keyHistory'] {
    const h = this.log.history(type, key)
    const entries: StateHistoryEntry[] = h.entries.map((e) => {
      const d = diffJson(e.previous, e.value)
      return {
        position: e.position,
        messageIndex: e.messageIndex,
        address: e.address,
        op: e.op,
        txid: e.txid,
        timestamp: e.timestamp,
        value: e.value,
        diff: d.entries,
        diffTruncated: d.truncated,
      }
    })
    return { type, key, entries, total: h.total }
  }

  exportJson(): StateResults['state.export'] {
    const pos = this.position()
    const doc = {
      stream: this.o.path,
      asOf: {
        live: pos.live,
        position: pos.position,
        changes: pos.total,
        ...(pos.address ? { offset: pos.address.endOffset, message: pos.address } : {}),
      },
      state: exportTables(this.shown()),
    }
    const base = this.o.path.replace(/[^\w.-]+/g, '_').replace(/^_+|_+$/g, '') || 'stream'
    return {
      json: JSON.stringify(doc, null, 2),
      fileName: `${base}-state${pos.live ? '' : `-at-${pos.position}`}.json`,
    }
  }

  logItems(kind: 'warnings' | 'markers', from: number, count: number): StateResults['state.log'] {
    if (kind === 'warnings') {
      const all = this.log.warnings
      return { kind, total: all.length, from, items: all.slice(from, from + count) }
    }
    const all = this.log.markers
    return { kind, total: all.length, from, items: all.slice(from, from + count) }
  }
}
