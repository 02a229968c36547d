import { afterEach, describe, expect, it } from 'vitest'
import type { EventMap } from '../../src-shared/ipc/contract.js'
import { EventLog, startTestApp, tempDir, waitFor } from '../testing/harness.js'
import type { RunningApp } from './app.js'
import { TailManager, type SourceBatch } from './tails.js'

type Batch = EventMap['tail.batch']
const cleanups: Array<() => Promise<void> | void> = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

async function app(
  opts: { tailFrameMs?: number; tailMaxBuffer?: number } = {},
): Promise<RunningApp> {
  const dir = tempDir()
  const a = await startTestApp({ userDataDir: dir.path, ...opts })
  cleanups.push(
    () => dir.remove(),
    () => a.stop(),
  )
  return a
}

async function call(
  a: RunningApp,
  owner: string,
  method: string,
  params: unknown,
): Promise<unknown> {
  const r = await a.core.handle(owner, method, params)
  if (!r.ok) throw new Error(`${method}: ${r.error.message}`)
  return r.value
}

describe('live tails against the embedded server', () => {
  it('delivers appended messages live with their offsets, in order', async () => {
    const a = await app()
    const log = new EventLog()
    a.core.attach('w1', log.sink)
    await call(a, 'w1', 'streams.create', {
      connectionId: 'local',
      path: 't',
      contentType: 'application/json',
    })
    const { subscriptionId } = (await call(a, 'w1', 'tails.subscribe', {
      connectionId: 'local',
      path: 't',
    })) as {
      subscriptionId: string
    }
    await waitFor(
      () => log.of<Batch>('tail.batch').some((b) => b.upToDate),
      5000,
      'up-to-date batch',
    )
    const offsets: string[] = []
    for (let i = 0; i < 3; i++) {
      const r = (await call(a, 'w1', 'streams.append', {
        connectionId: 'local',
        path: 't',
        data: { kind: 'json', value: { i } },
      })) as { nextOffset: string }
      offsets.push(r.nextOffset)
    }
    // Acknowledge each batch as a renderer would after painting it.
    const seen = (): unknown[] =>
      log.of<Batch>('tail.batch').flatMap((b) => b.messages.map((m) => m.payload))
    await waitFor(
      () => {
        for (const b of log.of<Batch>('tail.batch'))
          void a.core.handle('w1', 'tails.ack', { subscriptionId: b.subscriptionId })
        return seen().length === 3
      },
      5000,
      'three messages',
    )
    expect(seen()).toEqual([0, 1, 2].map((i) => ({ kind: 'json', value: { i } })))
    const batches = log.of<Batch>('tail.batch')
    expect(batches.every((b) => b.subscriptionId === subscriptionId)).toBe(true)
    expect(batches.at(-1)?.nextOffset).toBe(offsets[2])
    // Every message carries the offset after its batch, which is one of the append offsets.
    for (const m of batches.flatMap((b) => b.messages)) expect(offsets).toContain(m.offset)
  })

  it('sends at most one unacknowledged batch, then drops the oldest beyond the buffer and says so', async () => {
    const a = await app({ tailFrameMs: 5, tailMaxBuffer: 50 })
    const log = new EventLog()
    a.core.attach('slow', log.sink)
    await call(a, 'slow', 'streams.create', {
      connectionId: 'local',
      path: 'fast',
      contentType: 'application/json',
    })
    const { subscriptionId } = (await call(a, 'slow', 'tails.subscribe', {
      connectionId: 'local',
      path: 'fast',
    })) as {
      subscriptionId: string
    }
    await waitFor(() => log.of<Batch>('tail.batch').length === 1, 5000, 'first batch')
    // The renderer never acks the first batch: nothing else is sent while 200 messages arrive.
    for (let i = 0; i < 200; i++) {
      await call(a, 'slow', 'streams.append', {
        connectionId: 'local',
        path: 'fast',
        data: { kind: 'json', value: i },
      })
    }
    await new Promise((r) => setTimeout(r, 200))
    expect(log.of<Batch>('tail.batch')).toHaveLength(1)
    // Ack: the next batch carries the newest 50 and reports the 150 dropped.
    await call(a, 'slow', 'tails.ack', { subscriptionId })
    await waitFor(() => log.of<Batch>('tail.batch').length === 2, 5000, 'second batch')
    const second = log.of<Batch>('tail.batch')[1]!
    expect(second.dropped).toBe(150)
    expect(second.messages.map((m) => (m.payload as { value: number }).value)).toEqual(
      Array.from({ length: 50 }, (_, i) => 150 + i),
    )
  })

  it('batches a burst into few deliveries (one per frame)', async () => {
    const emitted: Batch[] = []
    const mgr = new TailManager({
      frameMs: 20,
      emit: (_o, event, payload) => {
        if (event === 'tail.batch') emitted.push(payload as Batch)
      },
      source: async function* (): AsyncGenerator<SourceBatch> {
        for (let i = 0; i < 100; i++) {
          yield {
            messages: [{ kind: 'json', value: i }],
            nextOffset: `o${i}`,
            upToDate: false,
            closed: false,
          }
        }
        yield { messages: [], nextOffset: 'o99', upToDate: false, closed: true }
      },
    })
    mgr.subscribe('w', { connectionId: 'c', path: 'p', offset: '-1' })
    await waitFor(() => emitted.some((b) => b.closed))
    expect(emitted.length).toBeLessThanOrEqual(2)
    expect(
      emitted.flatMap((b) => b.messages).map((m) => (m.payload as { value: number }).value),
    ).toEqual(Array.from({ length: 100 }, (_, i) => i))
    expect(mgr.count()).toBe(0)
  })

  it('disposes every subscription of a window when it detaches (reload/close), leaving others', async () => {
    const a = await app()
    a.core.attach('w1', new EventLog().sink)
    a.core.attach('w2', new EventLog().sink)
    await call(a, 'w1', 'streams.create', {
      connectionId: 'local',
      path: 'd',
      contentType: 'text/plain',
    })
    for (let i = 0; i < 3; i++)
      await call(a, 'w1', 'tails.subscribe', { connectionId: 'local', path: 'd' })
    await call(a, 'w2', 'tails.subscribe', { connectionId: 'local', path: 'd' })
    expect(a.tails.count('w1')).toBe(3)
    expect(a.tails.count('w2')).toBe(1)
    a.core.detach('w1')
    expect(a.tails.count('w1')).toBe(0)
    expect(a.tails.count()).toBe(1)
    // A window cannot unsubscribe or ack another window's subscription.
    const foreign = await a.core.handle('w1', 'tails.ack', { subscriptionId: 'nope' })
    expect(foreign.ok).toBe(false)
  })

  it('reports a closed stream as EOF and removes the subscription', async () => {
    const a = await app()
    const log = new EventLog()
    a.core.attach('w', log.sink)
    await call(a, 'w', 'streams.create', {
      connectionId: 'local',
      path: 'c',
      contentType: 'application/json',
    })
    await call(a, 'w', 'tails.subscribe', { connectionId: 'local', path: 'c' })
    await call(a, 'w', 'streams.append', {
      connectionId: 'local',
      path: 'c',
      data: { kind: 'json', value: 'last' },
    })
    await call(a, 'w', 'streams.close', { connectionId: 'local', path: 'c' })
    await waitFor(() => log.of('tail.status').length === 1, 5000, 'status')
    expect(log.of<EventMap['tail.status']>('tail.status')[0]).toMatchObject({
      state: 'closed',
      error: null,
    })
    expect(
      log
        .of<Batch>('tail.batch')
        .flatMap((b) => b.messages)
        .map((m) => m.payload),
    ).toEqual([{ kind: 'json', value: 'last' }])
    expect(a.tails.count()).toBe(0)
  })

  it('reports a missing stream as an error status with typed error data', async () => {
    const a = await app()
    const log = new EventLog()
    a.core.attach('w', log.sink)
    await call(a, 'w', 'tails.subscribe', { connectionId: 'local', path: 'missing' })
    await waitFor(() => log.of('tail.status').length === 1, 5000, 'status')
    expect(log.of<EventMap['tail.status']>('tail.status')[0]).toMatchObject({
      state: 'error',
      error: { name: 'StreamNotFoundError', status: 404 },
    })
    expect(a.tails.count()).toBe(0)
  })
})
