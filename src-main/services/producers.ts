/**
 * Persistent idempotent producers held for the user. Id, epoch and seq are persisted in
 * `producers.json`; when the app starts again every producer resumes with epoch + 1 (fencing
 * any zombie of the previous run) at seq 0, and the UI shows the new epoch.
 */
import { join } from 'node:path'
import { randomUUID } from 'node:crypto'
import { z } from 'zod'
import type { Client } from '../../src-shared/client/index.js'
import type { AppendData, ProducerInfo } from '../../src-shared/ipc/contract.js'
import { toErrorData } from './errors.js'
import { JsonFile } from './json-file.js'
import { toAppendValue } from './payloads.js'

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
  appendSync(data: unknown): Promise<ProducerAck>
  close(): Promise<void>
  detach(): Promise<void>
}

export type ProducerFactory = (opts: {
  client: Client
  path: string
  producerId: string
  epoch: number
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
      this.entries.set(r.id, {
        record,
        driver: null,
        lastError: null,
        failed: false,
        chain: Promise.resolve(),
      })
    }
    this.loaded = true
    await this.persist()
    return this.list()
  }

  list(): ProducerInfo[] {
    return [...this.entries.values()].map(info)
  }

  async open(connectionId: string, path: string, producerId: string): Promise<ProducerInfo> {
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
      epoch: 0,
      seq: 0,
      acked: 0,
      lastOffset: null,
      closed: false,
    }
    const entry: Entry = {
      record,
      driver: null,
      lastError: null,
      failed: false,
      chain: Promise.resolve(),
    }
    this.entries.set(record.id, entry)
    await this.persist()
    return this.changed(entry)
  }

  /** Appends one message and waits for its acknowledgement (appends are serialised). */
  async append(id: string, data: AppendData): Promise<ProducerInfo> {
    const entry = this.get(id)
    if (entry.record.closed) throw new Error(`Producer ${entry.record.producerId} is closed`)
    const run = entry.chain.then(async () => {
      const driver = await this.driver(entry)
      try {
        const ack = await driver.appendSync(toAppendValue(data))
        entry.record = {
          ...entry.record,
          epoch: ack.epoch,
          seq: ack.seq + 1,
          acked: entry.record.acked + 1,
          lastOffset: ack.nextOffset,
        }
        entry.lastError = null
      } catch (err) {
        entry.lastError = toErrorData(err)
        entry.failed = true
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

  async close(id: string): Promise<ProducerInfo> {
    const entry = this.get(id)
    await entry.chain
    if (entry.driver) await entry.driver.close()
    entry.driver = null
    entry.record = { ...entry.record, closed: true }
    await this.persist()
    return this.changed(entry)
  }

  /** Stops every producer without closing its stream (app quit). */
  async dispose(): Promise<void> {
    const all = [...this.entries.values()]
    await Promise.all(all.map((e) => e.chain))
    const results = await Promise.allSettled(all.map((e) => e.driver?.detach()))
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
    }
    const r = entry.record
    entry.failed = false
    entry.driver = this.options.factory({
      client: await this.options.client(r.connectionId),
      path: r.path,
      producerId: r.producerId,
      epoch: r.epoch,
    })
    return entry.driver
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
  }
}
