import { afterEach, describe, expect, it } from 'vitest'
import type { PageResult, ProducerInfo } from '../../src-shared/ipc/contract.js'
import { EventLog, startTestApp, tempDir } from '../testing/harness.js'
import type { RunningApp } from './app.js'
import { DurableStreamTestServer } from '@durable-streams/server'
import { EmbeddedServer } from './embedded-server.js'

const cleanups: Array<() => Promise<void> | void> = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

async function call<T>(a: RunningApp, method: string, params: unknown): Promise<T> {
  const r = await a.core.handle('w', method, params)
  if (!r.ok) throw new Error(`${method}: ${r.error.name}: ${r.error.message}`)
  return r.value as T
}

describe('persistent idempotent producers', () => {
  it('persist id/epoch/seq and resume with epoch + 1 after a simulated restart', async () => {
    const dir = tempDir()
    cleanups.push(() => dir.remove())
    // One server for both app runs, so the restart only restarts the app.
    const server = new EmbeddedServer({ userDataDir: dir.path })
    const serverUrl = await server.start()
    cleanups.push(() => server.stop())
    const userDataDir = `${dir.path}/app`

    const run1 = await startTestApp({ userDataDir, serverUrl })
    const log = new EventLog()
    run1.core.attach('w', log.sink)
    await call(run1, 'streams.create', {
      connectionId: 'server',
      path: 'p',
      contentType: 'application/json',
    })
    const opened = await call<ProducerInfo>(run1, 'producers.open', {
      connectionId: 'server',
      path: 'p',
      producerId: 'orders-writer',
    })
    expect(opened).toMatchObject({ epoch: 0, seq: 0, state: 'open' })
    let info = opened
    for (let i = 0; i < 3; i++) {
      info = await call<ProducerInfo>(run1, 'producers.append', {
        id: opened.id,
        data: { kind: 'json', value: { i } },
      })
    }
    expect(info).toMatchObject({ epoch: 0, seq: 3, acked: 3, state: 'open', lastError: null })
    expect(log.of<ProducerInfo>('producers.changed').length).toBeGreaterThanOrEqual(3)
    await run1.stop()

    // Simulated restart: a new app on the same user-data dir.
    const run2 = await startTestApp({ userDataDir, serverUrl })
    cleanups.push(() => run2.stop())
    const list = await call<ProducerInfo[]>(run2, 'producers.list', {})
    expect(list).toHaveLength(1)
    expect(list[0]).toMatchObject({
      id: opened.id,
      producerId: 'orders-writer',
      epoch: 1,
      seq: 0,
      acked: 3,
    })
    const after = await call<ProducerInfo>(run2, 'producers.append', {
      id: opened.id,
      data: { kind: 'json', value: 'x' },
    })
    expect(after).toMatchObject({ epoch: 1, seq: 1, acked: 4 })

    const page = await call<PageResult>(run2, 'streams.readPage', {
      connectionId: 'server',
      path: 'p',
    })
    expect(page.messages.map((m) => m.payload)).toEqual([
      { kind: 'json', value: { i: 0 } },
      { kind: 'json', value: { i: 1 } },
      { kind: 'json', value: { i: 2 } },
      { kind: 'json', value: 'x' },
    ])

    // A zombie of the first run (epoch 0) is now fenced by the server.
    const zombie = await fetch(`${serverUrl}/p`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'producer-id': 'orders-writer',
        'producer-epoch': '0',
        'producer-seq': '3',
      },
      body: '["zombie"]',
    })
    expect(zombie.status).toBe(403)

    const closed = await call<ProducerInfo>(run2, 'producers.close', { id: opened.id })
    expect(closed.state).toBe('closed')
    await expect(
      call(run2, 'producers.append', { id: opened.id, data: { kind: 'json', value: 1 } }),
    ).rejects.toThrow(/closed/)
  })

  it('reports append failures as error data on the producer', async () => {
    const dir = tempDir()
    cleanups.push(() => dir.remove())
    const a = await startTestApp({ userDataDir: dir.path })
    cleanups.push(() => a.stop())
    const p = await call<ProducerInfo>(a, 'producers.open', {
      connectionId: 'local',
      path: 'nowhere',
      producerId: 'w',
    })
    const r = await a.core.handle('w', 'producers.append', {
      id: p.id,
      data: { kind: 'json', value: 1 },
    })
    expect(r).toMatchObject({ ok: false, error: { name: 'StreamNotFoundError' } })
    const [info] = await call<ProducerInfo[]>(a, 'producers.list', {})
    expect(info).toMatchObject({ state: 'failed', lastError: { name: 'StreamNotFoundError' } })
  })

  it('a send after a failed one still lands: the replacement producer moves to a new epoch', async () => {
    const dir = tempDir()
    cleanups.push(() => dir.remove())
    const server = new DurableStreamTestServer({ port: 0, host: '127.0.0.1' })
    const serverUrl = await server.start()
    cleanups.push(() => server.stop())
    const a = await startTestApp({ userDataDir: dir.path, serverUrl })
    cleanups.push(() => a.stop())
    await call(a, 'streams.create', {
      connectionId: 'server',
      path: 'f',
      contentType: 'application/json',
    })
    const p = await call<ProducerInfo>(a, 'producers.open', {
      connectionId: 'server',
      path: 'f',
      producerId: 'flaky',
    })
    for (const i of [1, 2, 3]) {
      await call(a, 'producers.append', { id: p.id, data: { kind: 'json', value: i } })
    }
    // One non-retryable failure (400) on the next append.
    server.injectFault('/f', { status: 400, count: 1, method: 'POST' })
    const failed = await a.core.handle('w', 'producers.append', {
      id: p.id,
      data: { kind: 'json', value: 4 },
    })
    expect(failed).toMatchObject({ ok: false, error: { name: 'BadRequestError' } })
    for (const i of [5, 6]) {
      await call(a, 'producers.append', { id: p.id, data: { kind: 'json', value: i } })
    }
    const [info] = await call<ProducerInfo[]>(a, 'producers.list', {})
    expect(info).toMatchObject({ epoch: 1, seq: 2 })
    const page = await call<PageResult>(a, 'streams.readPage', {
      connectionId: 'server',
      path: 'f',
    })
    expect(page.messages.map((m) => m.payload)).toEqual(
      [1, 2, 3, 5, 6].map((value) => ({ kind: 'json', value })),
    )
  })
})

describe('producer close ordering', () => {
  it('a send queued behind a close is refused instead of reopening the producer', async () => {
    const dir = tempDir()
    cleanups.push(() => dir.remove())
    const a = await startTestApp({ userDataDir: dir.path })
    cleanups.push(() => a.stop())
    const ref = { connectionId: 'local', path: 'pc' }
    await call(a, 'streams.create', { ...ref, contentType: 'application/json' })
    const p = await call<ProducerInfo>(a, 'producers.open', { ...ref, producerId: 'w1' })
    // The producer has no driver yet, so the racing send would otherwise build a fresh one.
    const closed = a.core.handle('w', 'producers.close', { id: p.id })
    const late = a.core.handle('w', 'producers.append', {
      id: p.id,
      data: { kind: 'json', value: 'after' },
    })
    expect(await closed).toMatchObject({ ok: true, value: { state: 'closed' } })
    expect(await late).toMatchObject({ ok: false, error: { message: /is closed/ } })
    const page = await call<PageResult>(a, 'streams.readPage', { ...ref, offset: '-1' })
    expect(page.messages).toEqual([])
  })
})

describe('producers.send size cap', () => {
  it('refuses body messages × count over the cap before building anything', async () => {
    const dir = tempDir()
    cleanups.push(() => dir.remove())
    const a = await startTestApp({ userDataDir: dir.path })
    cleanups.push(() => a.stop())
    const ref = { connectionId: 'local', path: 'cap' }
    await call(a, 'streams.create', { ...ref, contentType: 'application/json' })
    const p = await call<ProducerInfo>(a, 'producers.create', { ...ref, producerId: 'cap' })
    const body = { kind: 'jsonText', text: JSON.stringify(Array.from({ length: 11 }, (_, i) => i)) }
    const r = await a.core.handle('w', 'producers.send', { id: p.id, body, count: 100_000 })
    expect(r).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } })
    const fine = await call<ProducerInfo>(a, 'producers.send', { id: p.id, body, count: 2 })
    expect(fine).toMatchObject({ acked: 22 })
  })
})
