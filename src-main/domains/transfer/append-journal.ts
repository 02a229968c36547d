/**
 * Crash recovery for producer state on the file-backed reference server.
 *
 * `@durable-streams/server`'s file-backed store appends a batch in two steps: it writes (and
 * fsyncs) the frame to the stream's segment file, then commits the stream's metadata to LMDB —
 * the new offset together with the producer's last seq, the `Stream-Seq` and the closed flag.
 * Killed between the two, it recovers on start-up by taking the offset from the segment file
 * ("Recovery: Offset mismatch … Reconciling to file") but keeps the old producer state, so the
 * producer's retry of that batch (same epoch and seq, as the protocol tells it to) is accepted
 * and stored a second time. (0.3.7; reported upstream, see README "What depends on the server".)
 *
 * This journal closes that window without forking the package. Before the store runs an append
 * that carries producer headers, `Stream-Seq` or a close, one line records what the metadata
 * will say once the append commits and where its frame starts; a second line records that the
 * append finished (committed or refused). On start-up, after the store's own recovery, an append
 * that never finished but whose frame lies within the recovered offset (the file has it) gets its
 * metadata committed here. An append whose frame did not reach the file is left alone: the
 * retry stores it, once.
 *
 * The lines are written synchronously (`writeSync`) before the store writes the frame, so a
 * killed process (kill -9, crash) cannot leave a frame without its line; the journal is not
 * fsynced, so after a power loss the old behaviour remains possible.
 */
import {
  closeSync,
  existsSync,
  ftruncateSync,
  openSync,
  readFileSync,
  renameSync,
  writeFileSync,
  writeSync,
} from 'node:fs'
import { errorMessage } from '../../../src-shared/error-message.js'

/** What a line records about one append (short keys: one line per append on the hot path). */
interface Pending {
  /** Journal id. */
  i: number
  /** Stream path (the store's key). */
  p: string
  /** The stream's directory: tells a recreated stream of the same path apart. */
  d: string
  /** The stream's offset before the append: where its frame starts. */
  o: string
  /** Producer id, epoch, seq. */
  pid?: string | undefined
  e?: number | undefined
  s?: number | undefined
  /** `Stream-Seq`. */
  q?: string
  /** Append-and-close. */
  c?: true
}

interface ProducerState {
  epoch: number
  lastSeq: number
  lastUpdated: number
}

interface StreamMeta {
  directoryName: string
  currentOffset: string
  lastSeq?: string
  producers?: Record<string, ProducerState>
  closed?: boolean
  closedBy?: { producerId: string; epoch: number; seq: number }
}

interface AppendOptions {
  producerId?: string
  producerEpoch?: number
  producerSeq?: number
  seq?: string
  close?: boolean
}

/** The parts of the file-backed store this uses (private in the package's types). */
export interface JournaledStore {
  db: { get(key: string): unknown; putSync(key: string, value: unknown): void }
  appendInner(path: string, data: Uint8Array, options?: AppendOptions): Promise<unknown>
}

/** One repaired append, as logged. */
export interface Repair {
  path: string
  producerId?: string
  epoch?: number
  seq?: number
  streamSeq?: string
  closed?: boolean
}

/**
 * Journal bytes after which it is compacted: emptied when no journaled append is running, else
 * rewritten with only the lines of the appends still running (see `compact`).
 */
const COMPACT_BYTES = 1 << 20

export class AppendJournal {
  private fd: number | null = null
  private nextId = 1
  /** The lines of the journaled appends still running, by id. */
  private readonly running = new Map<number, string>()
  private written = 0
  /** `written` at which to compact next: above what compacting leaves, so it is not redone per append. */
  private nextCompact: number

  constructor(
    private readonly file: string,
    private readonly compactBytes = COMPACT_BYTES,
  ) {
    this.nextCompact = compactBytes
  }

  /**
   * Commits the metadata of appends that reached the segment file but not LMDB before the last
   * crash, then empties the journal. Run after the store's own recovery, before serving.
   */
  recover(store: JournaledStore): Repair[] {
    const repairs: Repair[] = []
    if (existsSync(this.file)) {
      const unfinished = new Map<number, Pending>()
      for (const line of readFileSync(this.file, 'utf8').split('\n')) {
        if (line === '') continue
        let rec: Pending | { r: number }
        try {
          rec = JSON.parse(line) as Pending | { r: number }
        } catch (_err) {
          continue // a line cut short by the crash: its append never reached the store
        }
        if ('r' in rec) unfinished.delete(rec.r)
        else unfinished.set(rec.i, rec)
      }
      for (const entry of unfinished.values()) {
        const repair = this.repair(store, entry)
        if (repair) repairs.push(repair)
      }
    }
    // Appending (O_APPEND), so emptying it later makes the next line start at 0 again.
    this.fd = openSync(this.file, 'a')
    ftruncateSync(this.fd, 0)
    return repairs
  }

  private repair(store: JournaledStore, entry: Pending): Repair | null {
    const key = `stream:${entry.p}`
    const meta = store.db.get(key) as StreamMeta | undefined
    // Another stream now, or the frame is not in the file: nothing was stored, the retry stores it.
    if (!meta || meta.directoryName !== entry.d || !(entry.o < meta.currentOffset)) return null
    const next: StreamMeta = { ...meta }
    const repair: Repair = { path: entry.p }
    if (entry.pid !== undefined && entry.e !== undefined && entry.s !== undefined) {
      const state = meta.producers?.[entry.pid]
      if (!state || entry.e > state.epoch || (entry.e === state.epoch && entry.s > state.lastSeq)) {
        next.producers = {
          ...meta.producers,
          [entry.pid]: { epoch: entry.e, lastSeq: entry.s, lastUpdated: Date.now() },
        }
        Object.assign(repair, { producerId: entry.pid, epoch: entry.e, seq: entry.s })
      }
    }
    if (entry.q !== undefined && (meta.lastSeq === undefined || entry.q > meta.lastSeq)) {
      next.lastSeq = entry.q
      repair.streamSeq = entry.q
    }
    if (entry.c && !meta.closed) {
      next.closed = true
      if (entry.pid !== undefined && entry.e !== undefined && entry.s !== undefined) {
        next.closedBy = { producerId: entry.pid, epoch: entry.e, seq: entry.s }
      }
      repair.closed = true
    }
    if (Object.keys(repair).length === 1) return null
    store.db.putSync(key, next)
    return repair
  }

  /** Journals every append the store runs from now on that carries state a retry depends on. */
  attach(store: JournaledStore): void {
    const inner = store.appendInner.bind(store)
    store.appendInner = async (path, data, options = {}) => {
      const producer =
        options.producerId !== undefined &&
        options.producerEpoch !== undefined &&
        options.producerSeq !== undefined
      if (!producer && options.seq === undefined && !options.close) {
        return inner(path, data, options)
      }
      const meta = store.db.get(`stream:${path}`) as StreamMeta | undefined
      if (!meta || this.fd === null) return inner(path, data, options)
      const id = this.nextId++
      const entry: Pending = { i: id, p: path, d: meta.directoryName, o: meta.currentOffset }
      if (producer) {
        entry.pid = options.producerId
        entry.e = options.producerEpoch
        entry.s = options.producerSeq
      }
      if (options.seq !== undefined) entry.q = options.seq
      if (options.close) entry.c = true
      const line = JSON.stringify(entry)
      this.write(line)
      this.running.set(id, line)
      try {
        return await inner(path, data, options)
      } finally {
        this.running.delete(id)
        this.finished(id)
      }
    }
  }

  /**
   * Records that append `id` finished and compacts when due. Never throws: the append's outcome
   * is already decided, and a missing line only makes start-up look at an append that committed
   * (which it leaves as it is).
   */
  private finished(id: number): void {
    try {
      this.write(`{"r":${id}}`)
      if (this.written > this.nextCompact) this.compact()
    } catch (err) {
      console.error(`[append-journal] ${this.file}: ${errorMessage(err)}`)
    }
  }

  /** Bytes written to the journal file since it was last emptied or compacted. */
  get size(): number {
    return this.written
  }

  /**
   * Bounds the file however busy the server is. With no journaled append running it is emptied;
   * otherwise (appends to other streams overlap all the time on a busy server) the lines of the
   * running appends are written to a new file that replaces the journal in one rename, so a kill
   * at any moment leaves either the old journal or the new one, each holding those lines.
   */
  private compact(): void {
    if (this.fd === null) return
    if (this.running.size === 0) {
      ftruncateSync(this.fd, 0)
      this.written = 0
      this.nextCompact = this.compactBytes
      return
    }
    const text = [...this.running.values()].map((l) => l + '\n').join('')
    const next = `${this.file}.compact`
    writeFileSync(next, text)
    renameSync(next, this.file)
    const fd = openSync(this.file, 'a')
    closeSync(this.fd)
    this.fd = fd
    this.written = Buffer.byteLength(text)
    this.nextCompact = Math.max(this.compactBytes, 2 * this.written)
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd)
    this.fd = null
  }

  private write(line: string): void {
    if (this.fd === null) return
    this.written += writeSync(this.fd, line + '\n')
  }
}
