/**
 * Persistent idempotent producers held for the user. Id, epoch and seq are persisted in
 * `producers.json`; when the app starts again every producer resumes with epoch + 1 (fencing
 * any zombie of the previous run) at seq 0, and the UI shows the new epoch.
 */
import { join } from 'node:path'
import { randomUUID } from 'node:crypto'
import { z } from 'zod'
import type { Client } from '../../../src-shared/client/node.js'
import type { ProducerInfo } from '../../../src-shared/contract/index.js'
import type { ProducerOptions, ProducerStatsInfo } from '../../../src-shared/contract/index.js'
import { isStaleEpochError } from '../../../src-shared/client/node.js'
import { toErrorData } from '../../core/errors.js'
import { JsonFile } from '../app/json-file.js'

const RecordSchema = z.object({
  id: z.string().min(1),
  connectionId: z.string().min(1),
  path: z.string().min(1),
  producerId: z.string().min(1),
  epoch: z.number().int().min(0),
  seq: z.number().int().min(0),
  acked: z.number().int().min(0).default(0),
  lastOffset: z.string().nullable().default(null),
  closed: z.boolean().default(false),
  options: z
    .object({
      epoch: z.number().int().min(0),
      autoClaim: z.boolean(),
      lingerMs: z.number().int().min(0),
      maxBatchItems: z.number().int().positive(),
    })
    .optional(),
})
type ProducerRecord = z.infer<typeof RecordSchema>
const FileSchema = z.object({ producers: z.array(RecordSchema).default([]) })

export interface ProducerAck {
  nextOffset: string
  duplicate: boolean
  epoch: number
  seq: number
}

/** What the service needs from a producer; the app plugs in the client's IdempotentProducer. */
export interface ProducerDriver {
  appendAndWait(data: unknown): Promise<ProducerAck>
  /** Live counters (optional: test doubles may omit them). */
  stats?(): ProducerStatsInfo
  /** Current epoch (it moves on an auto-claim). */
  epoch?(): number
  close(): Promise<void>
  detach(): Promise<void>
}

export type ProducerFactory = (opts: {
  client: Client
  path: string
  producerId: string
  epoch: number
  options?: ProducerOptions | undefined
  /** Called when the driver's counters change (ack, retry, duplicate, epoch, error). */
  onActivity?: (() => void) | undefined
}) => ProducerDriver

export interface ProducerServiceOptions {
  userDataDir: string
  client: (connectionId: string) => Promise<Client>
  factory: ProducerFactory
  onChanged?: (info: ProducerInfo) => void
}

interface Entry {
  record: ProducerRecord
  driver: ProducerDriver | null
  lastError: ProducerInfo['lastError']
  failed: boolean
  fencedBy: number | null
  chain: Promise<unknown>
}

export class ProducerService {
  private readonly file: JsonFile<unknown>
  private readonly entries = new Map<string, Entry>()
  private loaded = false

  constructor(private readonly options: ProducerServiceOptions) {
    this.file = new JsonFile<unknown>(join(options.userDataDir, 'producers.json'), {})
  }

  /** Loads persisted producers and bumps each open one to epoch + 1 (a new app run). */
  async load(): Promise<ProducerInfo[]> {
    if (this.loaded) return this.list()
    const parsed = FileSchema.safeParse(await this.file.read())
    if (!parsed.success) {
      throw new Error(`Invalid producers file ${this.file.path}: ${parsed.error.message}`)
    }
    for (const r of parsed.data.producers) {
      const record = r.closed ? r : { ...r, epoch: r.epoch + 1, seq: 0 }
      this.entries.set(r.id, newEntry(record))
    }
    this.loaded = true
    await this.persist()
    return this.list()
  }

  list(): ProducerInfo[] {
    return [...this.entries.values()].map(info)
  }

  async open(
    connectionId: string,
    path: string,
    producerId: string,
    options?: ProducerOptions,
  ): Promise<ProducerInfo> {
    await this.load()
    for (const e of this.entries.values()) {
      const r = e.record
      if (
        r.connectionId === connectionId &&
        r.path === path &&
        r.producerId === producerId &&
        !r.closed
      ) {
        return info(e)
      }
    }
    const record: ProducerRecord = {
      id: randomUUID(),
      connectionId,
      path,
      producerId,
      epoch: options?.epoch ?? 0,
      seq: 0,
      acked: 0,
      lastOffset: null,
      closed: false,
      options,
    }
    const entry = newEntry(record)
    this.entries.set(record.id, entry)
    await this.persist()
    return this.changed(entry)
  }

  /** Appends values (pipelined) and waits for every acknowledgement; calls are serialised. */
  async appendValues(id: string, values: unknown[]): Promise<ProducerInfo> {
    const entry = this.get(id)
    if (entry.record.closed) throw new Error(`Producer ${entry.record.producerId} is closed`)
    const run = entry.chain.then(async () => {
      // A close queued ahead of this append has run by now: never reopen a closed producer.
      if (entry.record.closed) throw new Error(`Producer ${entry.record.producerId} is closed`)
      const driver = await this.driver(entry)
      try {
        const acks = await Promise.all(values.map((v) => driver.appendAndWait(v)))
        const ack = acks[acks.length - 1]
        if (ack) {
          entry.record = {
            ...entry.record,
            epoch: ack.epoch,
            seq: ack.seq + 1,
            acked: entry.record.acked + acks.length,
            lastOffset: ack.nextOffset,
          }
        }
        entry.lastError = null
        entry.fencedBy = null
      } catch (err) {
        entry.lastError = toErrorData(err)
        entry.failed = true
        if (isStaleEpochError(err)) entry.fencedBy = err.currentEpoch ?? null
        throw err
      } finally {
        await this.persist()
        this.changed(entry)
      }
      return info(entry)
    })
    entry.chain = run.catch(() => undefined)
    return run
  }

  /**
   * Bumps the epoch (to `epoch`, or past the epoch that fenced it, or by one) and restarts
   * at seq 0: the server then fences any older holder of this producer id.
   */
  async claim(id: string, epoch?: number): Promise<ProducerInfo> {
    const entry = this.get(id)
    await entry.chain
    const floor = Math.max(entry.record.epoch, entry.fencedBy ?? 0) + 1
    const next = epoch ?? floor
    if (next <= entry.record.epoch) {
      throw new Error(`New epoch must be greater than the current epoch ${entry.record.epoch}`)
    }
    await this.stopDriver(entry)
    entry.record = { ...entry.record, epoch: next, seq: 0 }
    entry.failed = false
    entry.fencedBy = null
    entry.lastError = null
    await this.persist()
    return this.changed(entry)
  }

  /** Forgets a producer (its stream is left as it is). */
  async remove(id: string): Promise<void> {
    const entry = this.get(id)
    await entry.chain
    await this.stopDriver(entry)
    this.entries.delete(id)
    await this.persist()
  }

  private async stopDriver(entry: Entry): Promise<void> {
    const d = entry.driver
    entry.driver = null
    if (d) {
      await d.detach().catch((err: unknown) => {
        console.warn(`[producers] detaching ${entry.record.producerId}:`, String(err))
      })
    }
  }

  /** Stops every producer without closing its stream (app quit). */
  async dispose(): Promise<void> {
    const all = [...this.entries.values()]
    await Promise.all(all.map((e) => e.chain))
    const results = await Promise.allSettled(
      all.map((e) => e.driver?.detach() ?? Promise.resolve()),
    )
    results.forEach((r, i) => {
      // A producer that already failed re-reports its error on detach; it is recorded in
      // lastError (and was returned to the caller), so shutdown only logs it.
      if (r.status === 'rejected') {
        console.warn(
          `[producers] detaching ${all[i]?.record.producerId} reported:`,
          String(r.reason),
        )
      }
    })
    for (const e of all) e.driver = null
  }

  private get(id: string): Entry {
    const entry = this.entries.get(id)
    if (!entry) throw new Error(`Unknown producer ${id}`)
    return entry
  }

  private async driver(entry: Entry): Promise<ProducerDriver> {
    if (entry.driver && !entry.failed) return entry.driver
    if (entry.driver) {
      const stale = entry.driver
      await stale.detach().catch((err: unknown) => {
        console.warn(`[producers] replacing failed ${entry.record.producerId}:`, String(err))
      })
      if (entry.fencedBy === null) {
        // A fresh producer starts at seq 0. In the old epoch the server would take its batches
        // for duplicates of ones it already stored and drop them, so the replacement moves to
        // the next epoch. (A fenced producer is not moved: taking over is the user's call.)
        entry.record = { ...entry.record, epoch: entry.record.epoch + 1, seq: 0 }
        await this.persist()
      }
    }
    const r = entry.record
    entry.failed = false
    entry.driver = this.options.factory({
      client: await this.options.client(r.connectionId),
      path: r.path,
      producerId: r.producerId,
      epoch: r.epoch,
      options: r.options,
      onActivity: () => this.activity(entry),
    })
    return entry.driver
  }

  private readonly pendingActivity = new Set<Entry>()
  private activityTimer: ReturnType<typeof setTimeout> | null = null

  /** Live counters: coalesced to at most one event per producer every 100 ms. */
  private activity(entry: Entry): void {
    this.pendingActivity.add(entry)
    this.activityTimer ??= setTimeout(() => {
      this.activityTimer = null
      const all = [...this.pendingActivity]
      this.pendingActivity.clear()
      for (const e of all) if (this.entries.has(e.record.id)) this.changed(e)
    }, 100)
  }

  private changed(entry: Entry): ProducerInfo {
    const i = info(entry)
    this.options.onChanged?.(i)
    return i
  }

  private persist(): Promise<void> {
    return this.file.write({ producers: [...this.entries.values()].map((e) => e.record) })
  }
}

function info(e: Entry): ProducerInfo {
  const r = e.record
  return {
    id: r.id,
    connectionId: r.connectionId,
    path: r.path,
    producerId: r.producerId,
    epoch: r.epoch,
    seq: r.seq,
    acked: r.acked,
    lastOffset: r.lastOffset,
    lastError: e.lastError,
    state: r.closed ? 'closed' : e.failed ? 'failed' : 'open',
    options: r.options,
    stats: e.driver?.stats?.() ?? { inFlight: 0, queued: 0, duplicates: 0, retries: 0 },
    fencedBy: e.fencedBy,
  }
}

/** The in-memory state of a producer record that has not run yet. */
function newEntry(record: ProducerRecord): Entry {
  return {
    record,
    driver: null,
    lastError: null,
    failed: false,
    fencedBy: null,
    chain: Promise.resolve(),
  }
}
