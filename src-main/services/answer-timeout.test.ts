import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ConnectionInfo } from '../../src-shared/ipc/contract.js'
import { useTestApp } from '../testing/harness.js'

const { call, ok } = useTestApp()

/** A real server that accepts every request and never answers. */
let silent: Server
let conn: ConnectionInfo
beforeAll(async () => {
  silent = createServer(() => undefined)
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r))
  const { port } = silent.address() as AddressInfo
  conn = await ok<ConnectionInfo>('connections.save', {
    name: 'Silent',
    baseUrl: `http://127.0.0.1:${port}`,
    headers: [],
  })
})
afterAll(async () => {
  silent.closeAllConnections()
  await new Promise((r) => silent.close(r))
})

describe('a server that accepts but never answers', () => {
  it('opening a stream fails in ~10 s with a TimeoutError that says so (not minutes)', async () => {
    const started = Date.now()
    const r = await call('streams.open', { connectionId: conn.id, path: 'orders' })
    expect(Date.now() - started).toBeLessThan(15_000)
    expect(r).toMatchObject({
      ok: false,
      error: { code: 'TIMEOUT', message: /No answer from .*orders within 10 s/ },
    })
  }, 20_000)

  it('listing its streams fails the same way', async () => {
    const started = Date.now()
    const r = await call('streams.list', { connectionId: conn.id })
    expect(Date.now() - started).toBeLessThan(15_000)
    expect(r).toMatchObject({ ok: false, error: { code: 'TIMEOUT' } })
  }, 20_000)
})
