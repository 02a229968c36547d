import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ConnectionInfo } from '../../../src-shared/contract/index.js'
import { useTestApp } from '../../testing/harness.js'

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

describe('a slow server that does answer (review of #15/4: the bound is on no answer)', () => {
  /** Answers the registry read at once with its first 40 KB, then trickles the rest for 12 s. */
  let slow: Server
  let slowConn: ConnectionInfo
  const events = Array.from({ length: 2_000 }, (_, i) => ({
    type: 'stream',
    key: `s${i}`,
    value: { path: `s${i}`, contentType: 'application/json' },
    headers: { operation: 'insert' },
  }))
  beforeAll(async () => {
    const body = Buffer.from(JSON.stringify(events))
    slow = createServer((req, res) => {
      const headers = {
        'content-type': 'application/json',
        'stream-next-offset': '0000000000000000_0000000000000042',
        'stream-up-to-date': 'true',
      }
      if (req.method === 'HEAD') return void res.writeHead(200, headers).end()
      if (!req.url?.includes('__registry__')) return void res.writeHead(404).end()
      res.writeHead(200, headers)
      const first = 40 * 1024
      res.write(body.subarray(0, first))
      const step = Math.ceil((body.length - first) / 12)
      let at = first
      const timer = setInterval(() => {
        res.write(body.subarray(at, at + step))
        at += step
        if (at >= body.length) {
          clearInterval(timer)
          res.end()
        }
      }, 1_000)
      res.on('close', () => clearInterval(timer))
    })
    await new Promise<void>((r) => slow.listen(0, '127.0.0.1', r))
    const { port } = slow.address() as AddressInfo
    slowConn = await ok<ConnectionInfo>('connections.save', {
      name: 'Slow',
      baseUrl: `http://127.0.0.1:${port}`,
      headers: [],
    })
  })
  afterAll(async () => {
    slow.closeAllConnections()
    await new Promise((r) => slow.close(r))
  })

  it('lists a registry whose transfer takes longer than 10 s', async () => {
    const r = await call('streams.list', { connectionId: slowConn.id })
    expect(r).toMatchObject({ ok: true })
    expect((r as { value: unknown[] }).value).toHaveLength(events.length)
  }, 30_000)
})
