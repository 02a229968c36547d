/**
 * Materializes a State Protocol stream (STATE-PROTOCOL.md §6) and keeps an index of its
 * changes, so the state can be shown live, as of any earlier change, and per key.
 *
 * - The live state is a `MaterializedState` from `@durable-streams/state` (per entity type a
 *   map of key → value, insert/update/delete applied as the package does).
 * - Time travel, key history and warnings are not in that package: `MaterializedState` can
 *   only move forward (no copy, no undo) and drops what it replaced. So this log records each
 *   applied change (type/key ids and the operation in typed arrays, the value by reference) and
 *   takes a checkpoint (a copy of every table) every `max(minInterval, 4 × live keys)`
 *   changes. The state as of change `p` is the last checkpoint at or before `p` plus at most
 *   one interval of changes replayed; checkpoints hold at most about a quarter as many
 *   entries as the log, so memory stays proportional to the stream.
 * - Messages that are not State Protocol messages, or break its rules, become warnings with
 *   their message index and address; nothing here throws on stream content.
 */
import type { StateCountersData } from '../../../src-shared/contract/index.js'
import { MaterializedState, type ChangeEvent } from '@durable-streams/state'

export type ChangeOp = 'insert' | 'update' | 'delete' | 'upsert'
/** A log entry: an applied change, or a reset (it clears the state, so replays need it). */
export type LogOp = ChangeOp | 'reset'

const OPS: readonly LogOp[] = ['insert', 'update', 'delete', 'upsert', 'reset']
const OP_CODE: Record<LogOp, number> = { insert: 0, update: 1, delete: 2, upsert: 3, reset: 4 }
const RESET = 4
const DELETE = 2

/** Where a message is in the stream: the read response it came in and its place in it. */
export interface MessageAddress {
  /** Offset the response was read from. */
  startOffset: string
  /** The response's next offset. */
  endOffset: string
  inBatch: number
}

export interface StateWarning {
  messageIndex: number
  address: MessageAddress
  code:
    | 'not-object'
    | 'no-headers'
    | 'not-state-message'
    | 'unknown-operation'
    | 'unknown-control'
    | 'missing-type'
    | 'missing-key'
    | 'missing-value'
    | 'bad-txid'
    | 'bad-timestamp'
    | 'bad-control-offset'
    | 'update-unknown-key'
    | 'delete-unknown-key'
    | 'insert-existing-key'
    | 'snapshot-nesting'
  message: string
}

export interface StateMarker {
  kind: 'snapshot-start' | 'snapshot-end' | 'reset'
  messageIndex: number
  /** Log position right after the marker (a reset is itself one log entry). */
  position: number
  address: MessageAddress
  /** The control message's `headers.offset`, if any. */
  offset: string | null
}

/** The counters the contract sends to the renderer, kept here as they are. */
export type StateCounters = StateCountersData

export interface HistoryEntry {
  position: number
  messageIndex: number
  address: MessageAddress
  op: LogOp
  txid: string | null
  timestamp: string | null
  value: unknown
  /** The key's value before this entry (undefined: it did not exist). */
  previous: unknown
}

/** A read-only view of tables: the live state or a state as of a position. */
export interface Tables {
  types(): string[]
  table(type: string): ReadonlyMap<string, unknown>
}

interface Piece {
  firstMessage: number
  count: number
  startOffset: string
  endOffset: string
  inBatchBase: number
}

interface Checkpoint {
  position: number
  tables: Map<string, Map<string, unknown>>
}

/** Grows a typed array by doubling. */
class Column<T extends Uint8Array | Uint32Array> {
  data: T
  constructor(private readonly make: (n: number) => T) {
    this.data = make(1024)
  }
  set(i: number, v: number): void {
    if (i >= this.data.length) {
      const next = this.make(this.data.length * 2)
      next.set(this.data)
      this.data = next
    }
    this.data[i] = v
  }
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/

export interface StateLogOptions {
  /** Fewest changes between two checkpoints (default 5,000). */
  minCheckpointInterval?: number
  /** Warnings kept (the count goes on). Default 1,000. */
  maxWarnings?: number
  /** Markers kept. Default 10,000. */
  maxMarkers?: number
}

export class StateLog implements Tables {
  /** The live state. */
  readonly live = new MaterializedState()
  readonly counters: StateCounters = {
    messages: 0,
    insert: 0,
    update: 0,
    delete: 0,
    upsert: 0,
    reset: 0,
    snapshots: 0,
    warnings: 0,
  }
  readonly warnings: StateWarning[] = []
  readonly markers: StateMarker[] = []
  /** Bumped on every applied entry (caches of pages compare it). */
  version = 0
  /** Bumped when a table gains or loses keys. */
  keysVersion = 0
  /** Keys changed since the last `takeChanged()`, as `type\u0000key` (capped). */
  private changed = new Set<string>()

  private readonly ops = new Column((n) => new Uint8Array(n))
  private readonly keyIds = new Column((n) => new Uint32Array(n))
  private readonly msgIdx = new Column((n) => new Uint32Array(n))
  private readonly values: unknown[] = []
  private readonly txids: (string | undefined)[] = []
  private readonly stamps: (string | undefined)[] = []
  private length = 0

  private readonly typeIds = new Map<string, { id: number; keys: Map<string, number> }>()
  private readonly typeNames: string[] = []
  private readonly keyType: number[] = []
  private readonly keyName: string[] = []

  private readonly keysEverCache = new Map<string, { count: number; keys: string[] }>()
  private readonly pieces: Piece[] = []
  private readonly checkpoints: Checkpoint[] = [{ position: 0, tables: new Map() }]
  private liveKeys = 0
  private inSnapshot = false
  private readonly minInterval: number
  private readonly maxWarnings: number
  private readonly maxMarkers: number

  constructor(o: StateLogOptions = {}) {
    this.minInterval = o.minCheckpointInterval ?? 5_000
    this.maxWarnings = o.maxWarnings ?? 1_000
    this.maxMarkers = o.maxMarkers ?? 10_000
  }

  /** Applied log entries (changes and resets). */
  get size(): number {
    return this.length
  }

  get checkpointCount(): number {
    return this.checkpoints.length
  }

  types(): string[] {
    return this.live.types
  }

  table(type: string): ReadonlyMap<string, unknown> {
    return this.live.getType(type)
  }

  /**
   * Applies the messages of one read response (or one piece of it): `inBatchBase` is how many
   * messages of that response came in earlier pieces.
   */
  ingest(
    messages: readonly unknown[],
    at: { startOffset: string; endOffset: string; inBatchBase?: number },
  ): void {
    if (messages.length === 0) return
    const first = this.counters.messages
    this.pieces.push({
      firstMessage: first,
      count: messages.length,
      startOffset: at.startOffset,
      endOffset: at.endOffset,
      inBatchBase: at.inBatchBase ?? 0,
    })
    for (let i = 0; i < messages.length; i++) {
      this.counters.messages++
      this.applyMessage(messages[i], first + i)
    }
  }

  /** Where message `index` is in the stream. */
  address(messageIndex: number): MessageAddress {
    const p = this.pieceOf(messageIndex)
    if (!p) return { startOffset: '', endOffset: '', inBatch: messageIndex }
    return {
      startOffset: p.startOffset,
      endOffset: p.endOffset,
      inBatch: p.inBatchBase + (messageIndex - p.firstMessage),
    }
  }

  /** Keys changed since the last call, as `{type, key}` (at most `max`). */
  takeChanged(max = 500): { type: string; key: string }[] {
    const out: { type: string; key: string }[] = []
    for (const tk of this.changed) {
      if (out.length >= max) break
      const cut = tk.indexOf('\u0000')
      out.push({ type: tk.slice(0, cut), key: tk.slice(cut + 1) })
    }
    this.changed = new Set()
    return out
  }

  // ---- positions -------------------------------------------------------------------------

  /** Message index of the entry at `position - 1` (the last applied), or -1 at position 0. */
  messageIndexAt(position: number): number {
    if (position <= 0) return -1
    return this.msgIdx.data[Math.min(position, this.length) - 1]!
  }

  /** The position right after message `messageIndex` (every entry from it or earlier applied). */
  positionAfterMessage(messageIndex: number): number {
    // Entries' message indexes increase: the first entry past the message.
    let lo = 0
    let hi = this.length
    const m = this.msgIdx.data
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (m[mid]! <= messageIndex) lo = mid + 1
      else hi = mid
    }
    return lo
  }

  /**
   * The position after every message read before `offset` (offsets sort lexicographically,
   * PROTOCOL.md): the responses that end at or before it. `-1` is the start.
   */
  positionAtOffset(offset: string): number {
    if (offset === '-1') return 0
    let lo = 0
    let hi = this.pieces.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (this.pieces[mid]!.endOffset <= offset) lo = mid + 1
      else hi = mid
    }
    if (lo === 0) return 0
    const p = this.pieces[lo - 1]!
    return this.positionAfterMessage(p.firstMessage + p.count - 1)
  }

  /** The position right after the message at `(startOffset, inBatch)`, or null if unknown. */
  positionAtAddress(startOffset: string, inBatch: number): number | null {
    for (let i = this.pieces.length - 1; i >= 0; i--) {
      const p = this.pieces[i]!
      if (p.startOffset !== startOffset) continue
      const k = inBatch - p.inBatchBase
      if (k >= 0 && k < p.count) return this.positionAfterMessage(p.firstMessage + k)
    }
    return null
  }

  /** Every key `type` ever had, sorted by `sort` (cached until a new key appears). */
  keysEver(type: string, sort: (keys: Iterable<string>) => string[]): readonly string[] {
    const t = this.typeIds.get(type)
    if (!t) return []
    const hit = this.keysEverCache.get(type)
    if (hit && hit.count === t.keys.size) return hit.keys
    const keys = sort(t.keys.keys())
    this.keysEverCache.set(type, { count: t.keys.size, keys })
    return keys
  }

  // ---- time travel -------------------------------------------------------------------------

  /** The tables as of `position` (after entries [0, position)). */
  stateAt(position: number): Tables {
    const pos = Math.max(0, Math.min(position, this.length))
    let lo = 0
    let hi = this.checkpoints.length - 1
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1
      if (this.checkpoints[mid]!.position <= pos) lo = mid
      else hi = mid - 1
    }
    const cp = this.checkpoints[lo]!
    const tables = new Map<string, Map<string, unknown>>()
    for (const [type, t] of cp.tables) tables.set(type, new Map(t))
    this.replay(tables, cp.position, pos)
    return {
      types: () => [...tables.keys()],
      table: (type) => tables.get(type) ?? new Map<string, unknown>(),
    }
  }

  private replay(tables: Map<string, Map<string, unknown>>, from: number, to: number): void {
    const ops = this.ops.data
    const ids = this.keyIds.data
    for (let i = from; i < to; i++) {
      const op = ops[i]!
      if (op === RESET) {
        tables.clear()
        continue
      }
      const id = ids[i]!
      const type = this.typeNames[this.keyType[id]!]!
      let t = tables.get(type)
      if (!t) tables.set(type, (t = new Map<string, unknown>()))
      if (op === DELETE) t.delete(this.keyName[id]!)
      else t.set(this.keyName[id]!, this.values[i])
    }
  }

  // ---- key history -------------------------------------------------------------------------

  /**
   * Every entry that changed `type`/`key` (resets that removed it included), oldest first;
   * only the last `limit` are returned, `total` counts all.
   */
  history(type: string, key: string, limit = 1_000): { entries: HistoryEntry[]; total: number } {
    const id = this.typeIds.get(type)?.keys.get(key)
    if (id === undefined) return { entries: [], total: 0 }
    const ops = this.ops.data
    const ids = this.keyIds.data
    const all: HistoryEntry[] = []
    let current: unknown = undefined
    for (let i = 0; i < this.length; i++) {
      const op = ops[i]!
      if (op === RESET) {
        if (current === undefined) continue
      } else if (ids[i] !== id) continue
      const value = op === RESET || op === DELETE ? undefined : this.values[i]
      const messageIndex = this.msgIdx.data[i]!
      all.push({
        position: i + 1,
        messageIndex,
        address: this.address(messageIndex),
        op: OPS[op]!,
        txid: this.txids[i] ?? null,
        timestamp: this.stamps[i] ?? null,
        value,
        previous: current,
      })
      current = value
    }
    return { entries: all.slice(-limit), total: all.length }
  }

  // ---- applying ----------------------------------------------------------------------------

  private warn(messageIndex: number, code: StateWarning['code'], message: string): void {
    this.counters.warnings++
    if (this.warnings.length < this.maxWarnings) {
      this.warnings.push({ messageIndex, address: this.address(messageIndex), code, message })
    }
  }

  private marker(kind: StateMarker['kind'], messageIndex: number, offset: unknown): void {
    if (this.markers.length >= this.maxMarkers) return
    this.markers.push({
      kind,
      messageIndex,
      position: this.length,
      address: this.address(messageIndex),
      offset: typeof offset === 'string' ? offset : null,
    })
  }

  private applyMessage(m: unknown, index: number): void {
    if (m === null || typeof m !== 'object' || Array.isArray(m)) {
      this.warn(
        index,
        'not-object',
        `Not a JSON object (${describe(m)}): not a State Protocol message`,
      )
      return
    }
    const msg = m as Record<string, unknown>
    const h = msg.headers
    if (h === null || typeof h !== 'object' || Array.isArray(h)) {
      this.warn(index, 'no-headers', 'No "headers" object: not a State Protocol message')
      return
    }
    const headers = h as Record<string, unknown>
    if (headers.control !== undefined) {
      this.applyControl(headers, index)
      return
    }
    if (headers.operation === undefined) {
      this.warn(
        index,
        'not-state-message',
        'headers has neither "operation" (a change) nor "control" (a control message)',
      )
      return
    }
    const op = headers.operation
    if (op !== 'insert' && op !== 'update' && op !== 'delete' && op !== 'upsert') {
      this.warn(
        index,
        'unknown-operation',
        `Unknown operation ${describe(op)}: expected insert, update or delete (not applied)`,
      )
      return
    }
    const type = msg.type
    if (typeof type !== 'string' || type === '') {
      this.warn(
        index,
        'missing-type',
        `"type" must be a non-empty string, got ${describe(type)} (not applied)`,
      )
      return
    }
    const key = msg.key
    if (typeof key !== 'string' || key === '') {
      this.warn(
        index,
        'missing-key',
        `"key" must be a non-empty string, got ${describe(key)} (not applied)`,
      )
      return
    }
    if (op !== 'delete' && !('value' in msg)) {
      this.warn(index, 'missing-value', `${op} of ${type}/${key} has no "value" (not applied)`)
      return
    }
    const txid = headers.txid
    if (txid !== undefined && (typeof txid !== 'string' || txid === '')) {
      this.warn(index, 'bad-txid', `headers.txid must be a non-empty string, got ${describe(txid)}`)
    }
    const ts = headers.timestamp
    if (ts !== undefined && (typeof ts !== 'string' || !RFC3339.test(ts))) {
      this.warn(
        index,
        'bad-timestamp',
        `headers.timestamp is not an RFC 3339 timestamp: ${describe(ts)}`,
      )
    }
    const exists = this.live.get(type, key) !== undefined
    if (op === 'update' && !exists) {
      this.warn(
        index,
        'update-unknown-key',
        `update of ${type}/${key}, which does not exist (applied as an insert)`,
      )
    } else if (op === 'delete' && !exists) {
      this.warn(index, 'delete-unknown-key', `delete of ${type}/${key}, which does not exist`)
    } else if (op === 'insert' && exists) {
      this.warn(
        index,
        'insert-existing-key',
        `insert of ${type}/${key}, which already exists (replaced)`,
      )
    }
    // Types guaranteed by the checks above; the headers are passed on as read.
    const event = msg as unknown as ChangeEvent
    this.live.apply(event)
    if (op === 'delete') {
      if (exists) {
        this.liveKeys--
        this.keysVersion++
      }
    } else if (!exists) {
      this.liveKeys++
      this.keysVersion++
    }
    this.counters[op]++
    if (this.changed.size < 10_000) this.changed.add(`${type}\u0000${key}`)
    this.append(
      OP_CODE[op],
      this.keyId(type, key),
      index,
      op === 'delete' ? undefined : msg.value,
      txid,
      ts,
    )
  }

  private applyControl(headers: Record<string, unknown>, index: number): void {
    const control = headers.control
    if (headers.offset !== undefined && typeof headers.offset !== 'string') {
      this.warn(
        index,
        'bad-control-offset',
        `headers.offset must be a string, got ${describe(headers.offset)}`,
      )
    }
    switch (control) {
      case 'snapshot-start':
        if (this.inSnapshot) {
          this.warn(
            index,
            'snapshot-nesting',
            'snapshot-start inside a snapshot that has not ended',
          )
        }
        this.inSnapshot = true
        this.counters.snapshots++
        this.marker('snapshot-start', index, headers.offset)
        return
      case 'snapshot-end':
        if (!this.inSnapshot) {
          this.warn(index, 'snapshot-nesting', 'snapshot-end without a snapshot-start')
        }
        this.inSnapshot = false
        this.marker('snapshot-end', index, headers.offset)
        return
      case 'reset':
        this.live.clear()
        this.liveKeys = 0
        this.keysVersion++
        this.counters.reset++
        this.append(RESET, 0, index, undefined, undefined, undefined)
        this.marker('reset', index, headers.offset)
        return
      default:
        this.warn(
          index,
          'unknown-control',
          `Unknown control ${describe(control)}: expected snapshot-start, snapshot-end or reset`,
        )
    }
  }

  private keyId(type: string, key: string): number {
    let t = this.typeIds.get(type)
    if (!t) {
      t = { id: this.typeNames.length, keys: new Map() }
      this.typeIds.set(type, t)
      this.typeNames.push(type)
    }
    let id = t.keys.get(key)
    if (id === undefined) {
      id = this.keyName.length
      t.keys.set(key, id)
      this.keyName.push(key)
      this.keyType.push(t.id)
    }
    return id
  }

  private append(
    op: number,
    keyId: number,
    messageIndex: number,
    value: unknown,
    txid: unknown,
    ts: unknown,
  ): void {
    const i = this.length
    this.ops.set(i, op)
    this.keyIds.set(i, keyId)
    this.msgIdx.set(i, messageIndex)
    this.values.push(value)
    this.txids.push(typeof txid === 'string' ? txid : undefined)
    this.stamps.push(typeof ts === 'string' ? ts : undefined)
    this.length = i + 1
    this.version++
    const last = this.checkpoints[this.checkpoints.length - 1]!
    if (this.length - last.position >= Math.max(this.minInterval, 4 * this.liveKeys)) {
      const tables = new Map<string, Map<string, unknown>>()
      for (const type of this.live.types) tables.set(type, new Map(this.live.getType(type)))
      this.checkpoints.push({ position: this.length, tables })
    }
  }

  private pieceOf(messageIndex: number): Piece | undefined {
    let lo = 0
    let hi = this.pieces.length - 1
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1
      if (this.pieces[mid]!.firstMessage <= messageIndex) lo = mid
      else hi = mid - 1
    }
    const p = this.pieces[lo]
    return p && messageIndex >= p.firstMessage && messageIndex < p.firstMessage + p.count
      ? p
      : undefined
  }
}

/** A short description of a JSON value for a warning. */
function describe(v: unknown): string {
  if (v === undefined) return 'nothing'
  if (v === null) return 'null'
  if (Array.isArray(v)) return 'an array'
  if (typeof v === 'object') return 'an object'
  const s = JSON.stringify(v)
  return s.length > 40 ? `${s.slice(0, 40)}…` : s
}
