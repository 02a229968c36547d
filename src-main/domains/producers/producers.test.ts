import { afterEach, describe, expect, it } from 'vitest'
import type { ProducerInfo } from '../../../src-shared/contract/index.js'
import { EventLog, startTestApp, tempDir } from '../../testing/harness.js'
import type { RunningApp } from '../../core/app.js'
import { DurableStreamTestServer } from '@durable-streams/server'
import { EmbeddedServer } from '../connections/embedded-server.js'

const cleanups: Array<() => Promise<void> | void> = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

async function call<T>(a: RunningApp, method: string, params: unknown): Promise<T> {
  const r = await a.core.handle('w', method, params)
  if (!r.ok) throw new Error(`${method}: ${r.error.name}: ${r.error.message}`)
  return r.value as T
}

/** One JSON message as a producers.send body. */
const json = (value: unknown) => ({ body: { kind: 'jsonText', text: JSON.stringify([value]) } })

/** The stream's JSON messages, read over HTTP from the server itself. */
async function serverMessages(url: string): Promise<unknown[]> {
  const res = await fetch(`${url}?offset=-1`)
  expect(res.status).toBe(200)
  return (await res.json()) as unknown[]
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
    const opened = await call<ProducerInfo>(run1, 'producers.create', {
      connectionId: 'server',
      path: 'p',
      producerId: 'orders-writer',
    })
    expect(opened).toMatchObject({ epoch: 0, seq: 0, state: 'open' })
    let info = opened
    for (let i = 0; i < 3; i++) {
      info = await call<ProducerInfo>(run1, 'producers.send', { id: opened.id, ...json({ i }) })
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
    const after = await call<ProducerInfo>(run2, 'producers.send', {
      id: opened.id,
      ...json('x'),
    })
    expect(after).toMatchObject({ epoch: 1, seq: 1, acked: 4 })

    expect(await serverMessages(`${serverUrl}/p`)).toEqual([{ i: 0 }, { i: 1 }, { i: 2 }, 'x'])

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
    const p = await call<ProducerInfo>(a, 'producers.create', {
      connectionId: 'server',
      path: 'f',
      producerId: 'flaky',
    })
    for (const i of [1, 2, 3]) await call(a, 'producers.send', { id: p.id, ...json(i) })
    // One non-retryable failure (400) on the next append.
    server.injectFault('/f', { status: 400, count: 1, method: 'POST' })
    const failed = await a.core.handle('w', 'producers.send', { id: p.id, ...json(4) })
    expect(failed).toMatchObject({ ok: false, error: { name: 'BadRequestError' } })
    // The failure is reported as error data on the producer.
    const [broken] = await call<ProducerInfo[]>(a, 'producers.list', {})
    expect(broken).toMatchObject({ state: 'failed', lastError: { name: 'BadRequestError' } })
    for (const i of [5, 6]) await call(a, 'producers.send', { id: p.id, ...json(i) })
    const [info] = await call<ProducerInfo[]>(a, 'producers.list', {})
    expect(info).toMatchObject({ epoch: 1, seq: 2, state: 'open', lastError: null })
    expect(await serverMessages(`${serverUrl}/f`)).toEqual([1, 2, 3, 5, 6])
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
