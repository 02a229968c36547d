/**
 * The append journal's rules, on a real file-backed store. A crash between the frame write and
 * the metadata commit is made by a commit that never completes; the store is then reopened on
 * the same directory, as after a restart.
 */
import { statSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { DurableStreamTestServer } from '@durable-streams/server'
import { tempDir } from '../../testing/harness.js'
import { AppendJournal, type JournaledStore } from './append-journal.js'

interface Store extends JournaledStore {
  db: JournaledStore['db'] & { put(key: string, value: unknown): Promise<unknown> }
  create(path: string, opts: { contentType: string }): Promise<unknown>
  appendWithProducer(
    path: string,
    data: Uint8Array,
    opts: Record<string, unknown>,
  ): Promise<{ producerResult?: { status: string } }>
  append(path: string, data: Uint8Array, opts: Record<string, unknown>): Promise<unknown>
  read(path: string, offset?: string): { messages: Array<{ data: Uint8Array }> }
  delete(path: string): unknown
  close(): Promise<void>
}

const dirs: Array<{ remove(): void }> = []
const stores: Store[] = []
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close().catch(() => undefined)
  for (const d of dirs.splice(0)) d.remove()
})

function open(
  dir: string,
  compactBytes?: number,
): { store: Store; journal: AppendJournal; repairs: unknown[] } {
  const server = new DurableStreamTestServer({ dataDir: join(dir, 'data') })
  const store = server.store as unknown as Store
  stores.push(store)
  const journal = new AppendJournal(join(dir, 'journal.ndjson'), compactBytes)
  const repairs = journal.recover(store)
  journal.attach(store)
  return { store, journal, repairs }
}

/** The next metadata commit never completes: what a kill at that moment leaves on disk. */
function crashAtNextCommit(store: Store): void {
  store.db.put = () => new Promise<never>(() => undefined)
}

const json = (v: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(v))
const producer = (seq: number): Record<string, unknown> => ({
  producerId: 'p',
  producerEpoch: 0,
  producerSeq: seq,
})
/** A JSON stream's messages (the store keeps each as its JSON text followed by a comma). */
const values = (store: Store, path: string): unknown[] => {
  const text = store
    .read(path)
    .messages.map((m) => new TextDecoder().decode(m.data))
    .join('')
  return JSON.parse(`[${text.replace(/,\s*$/, '')}]`) as unknown[]
}

describe('append journal', () => {
  it('commits a producer batch and Stream-Seq the file holds; the retry is a duplicate', async () => {
    const dir = tempDir()
    dirs.push(dir)
    const a = open(dir.path)
    await a.store.create('/s', { contentType: 'application/json' })
    await a.store.appendWithProducer('/s', json({ n: 0 }), producer(0))
    crashAtNextCommit(a.store)
    void a.store.appendWithProducer('/s', json({ n: 1 }), { ...producer(1), seq: 'b' })
    await new Promise((r) => setTimeout(r, 100))
    a.journal.close()

    const b = open(dir.path)
    expect(b.repairs).toEqual([{ path: '/s', producerId: 'p', epoch: 0, seq: 1, streamSeq: 'b' }])
    const retry = await b.store.appendWithProducer('/s', json({ n: 1 }), producer(1))
    expect(retry.producerResult?.status).toBe('duplicate')
    await expect(b.store.append('/s', json({ n: 9 }), { seq: 'b' })).rejects.toThrow(
      /Sequence conflict/,
    )
    expect(values(b.store, '/s')).toEqual([{ n: 0 }, { n: 1 }])
  })

  it('leaves state alone for an append refused after validation', async () => {
    const dir = tempDir()
    dirs.push(dir)
    const a = open(dir.path)
    await a.store.create('/s', { contentType: 'application/json' })
    await a.store.appendWithProducer('/s', json({ n: 0 }), producer(0))
    // Passes producer validation, then fails on its body: nothing written, journal says finished.
    await expect(
      a.store.appendWithProducer('/s', new TextEncoder().encode('not json'), producer(1)),
    ).rejects.toThrow()
    a.journal.close()

    const b = open(dir.path)
    expect(b.repairs).toEqual([])
    const next = await b.store.appendWithProducer('/s', json({ n: 1 }), producer(1))
    expect(next.producerResult?.status).toBe('accepted')
    expect(values(b.store, '/s')).toEqual([{ n: 0 }, { n: 1 }])
  })

  it('leaves state alone for a journaled append whose frame never reached the file', async () => {
    const dir = tempDir()
    dirs.push(dir)
    const a = open(dir.path)
    await a.store.create('/s', { contentType: 'application/json' })
    await a.store.appendWithProducer('/s', json({ n: 0 }), producer(0))
    // Killed after the journal line, before the frame: the segment write never happens.
    const pool = (a.store as unknown as { fileHandlePool: { getWriteStream(p: string): unknown } })
      .fileHandlePool
    pool.getWriteStream = () => ({ write: (): boolean => true })
    void a.store.appendWithProducer('/s', json({ n: 1 }), { ...producer(1), seq: 'b' })
    await new Promise((r) => setTimeout(r, 100))
    a.journal.close()

    const b = open(dir.path)
    expect(b.repairs).toEqual([])
    const retry = await b.store.appendWithProducer('/s', json({ n: 1 }), {
      ...producer(1),
      seq: 'b',
    })
    expect(retry.producerResult?.status).toBe('accepted')
    expect(values(b.store, '/s')).toEqual([{ n: 0 }, { n: 1 }])
  })

  it('stays bounded while an append is always running, and keeps that append recoverable', async () => {
    const dir = tempDir()
    dirs.push(dir)
    const a = open(dir.path, 8 * 1024)
    await a.store.create('/stuck', { contentType: 'application/json' })
    await a.store.create('/busy', { contentType: 'application/json' })
    // The append to /stuck writes its frame, then its commit never completes: a journaled append
    // that is running for the rest of this process's life, as a crash will find it.
    const put = a.store.db.put.bind(a.store.db)
    a.store.db.put = (key, value) =>
      key === 'stream:/stuck' ? new Promise<never>(() => undefined) : put(key, value)
    void a.store.appendWithProducer('/stuck', json({ n: 0 }), { ...producer(0), producerId: 's' })
    await new Promise((r) => setTimeout(r, 100))

    const file = join(dir.path, 'journal.ndjson')
    let largest = 0
    for (let i = 0; i < 300; i++) {
      await a.store.appendWithProducer('/busy', json({ n: i }), producer(i))
      largest = Math.max(largest, statSync(file).size)
    }
    // 300 appends write ~45 KiB of lines; compaction keeps the file near its 8 KiB threshold.
    expect(largest).toBeLessThan(12 * 1024)
    expect(a.journal.size).toBe(statSync(file).size)
    a.journal.close()

    const b = open(dir.path)
    expect(b.repairs).toEqual([{ path: '/stuck', producerId: 's', epoch: 0, seq: 0 }])
    const retry = await b.store.appendWithProducer('/stuck', json({ n: 0 }), {
      ...producer(0),
      producerId: 's',
    })
    expect(retry.producerResult?.status).toBe('duplicate')
    expect(values(b.store, '/stuck')).toEqual([{ n: 0 }])
    expect(values(b.store, '/busy')).toHaveLength(300)
  })
})
