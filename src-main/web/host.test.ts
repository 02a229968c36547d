import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import type { WireResult } from '../../src-shared/ipc/contract.js'
import type { ServerFrame } from '../../src-shared/ipc/wire.js'
import type { CoreLike } from '../services/core-types.js'
import type { RunningApp } from '../services/app.js'
import { startTestApp, tempDir, waitFor } from '../testing/harness.js'
import { startWebHost, type WebHost } from './host.js'

const dir = tempDir()
let app: RunningApp
let host: WebHost

beforeAll(async () => {
  const staticDir = join(dir.path, 'static')
  mkdirSync(staticDir)
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>t</title>')
  writeFileSync(join(dir.path, 'secret.txt'), 'do not serve')
  app = await startTestApp({ userDataDir: join(dir.path, 'data') })
  host = await startWebHost({ core: app.core, staticDir })
})
afterAll(async () => {
  await host.close()
  await app.stop()
  dir.remove()
})

function open(
  url: string,
  origin: string | undefined,
): Promise<{ ws: WebSocket } | { status: number | string }> {
  return new Promise((ok) => {
    const ws = new WebSocket(url, origin ? { origin } : {})
    ws.once('open', () => ok({ ws }))
    ws.once('unexpected-response', (_req, res) => ok({ status: res.statusCode ?? 'none' }))
    ws.once('error', (err) => ok({ status: err.message }))
  })
}

const bridgeUrl = (token: string): string =>
  `ws://127.0.0.1:${host.port}/bridge?token=${encodeURIComponent(token)}`

describe('web host', () => {
  it('prints a 127.0.0.1 URL carrying the token', () => {
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/?token=${encodeURIComponent(host.token)}`)
    expect(host.token.length).toBeGreaterThanOrEqual(32)
  })

  it('serves the renderer with a strict CSP and refuses path traversal and foreign hosts', async () => {
    const res = await fetch(`${host.origin}/`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'")
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'")
    for (const probe of ['/..%2fsecret.txt', '/%2e%2e/secret.txt', '/..%5csecret.txt']) {
      const r = await fetch(`${host.origin}${probe}`)
      expect([403, 404]).toContain(r.status)
      expect(await r.text()).not.toContain('do not serve')
    }
    expect((await fetch(`${host.origin}/missing.js`)).status).toBe(404)
    // Malformed escapes and NUL bytes are the client's fault: 400, not a logged 500.
    expect((await fetch(`${host.origin}/%E0%A4%A`)).status).toBe(400)
    expect((await fetch(`${host.origin}/a%00b`)).status).toBe(400)
    const rebinding = await new Promise<number>((ok, fail) => {
      import('node:http')
        .then(({ get }) =>
          get(
            { host: '127.0.0.1', port: host.port, path: '/', headers: { host: 'evil.example:80' } },
            (r) => {
              r.resume()
              ok(r.statusCode ?? 0)
            },
          ).on('error', fail),
        )
        .catch(fail)
    })
    expect(rebinding).toBe(403)
  })

  it('refuses the bridge without the token, with a wrong token, or from another origin', async () => {
    expect(await open(`ws://127.0.0.1:${host.port}/bridge`, host.origin)).toEqual({ status: 401 })
    expect(await open(bridgeUrl('wrong'), host.origin)).toEqual({ status: 401 })
    expect(await open(bridgeUrl(host.token), 'http://localhost:1234')).toEqual({ status: 403 })
    expect(await open(bridgeUrl(host.token), undefined)).toEqual({ status: 403 })
  })

  it('carries the contract over the socket and disposes tails when the page goes away', async () => {
    const opened = await open(bridgeUrl(host.token), host.origin)
    if (!('ws' in opened)) throw new Error(`bridge refused: ${JSON.stringify(opened)}`)
    const ws = opened.ws
    const results = new Map<number, ServerFrame>()
    ws.on('message', (d) => {
      const f = JSON.parse(d.toString()) as ServerFrame
      if (f.t === 'result') results.set(f.id, f)
    })
    let id = 0
    const call = async (method: string, params: unknown): Promise<ServerFrame> => {
      const my = ++id
      ws.send(JSON.stringify({ t: 'call', id: my, method, params }))
      await waitFor(() => results.has(my))
      return results.get(my)!
    }
    expect(await call('connections.list', {})).toMatchObject({
      result: { ok: true, value: [{ name: 'Local' }] },
    })
    expect(await call('streams.list', { connectionId: 7 })).toMatchObject({
      result: { ok: false, error: { code: 'INVALID_ARGUMENT' } },
    })
    await call('streams.create', {
      connectionId: 'local',
      path: 'ws',
      contentType: 'application/json',
    })
    for (let i = 0; i < 4; i++) await call('tails.subscribe', { connectionId: 'local', path: 'ws' })
    expect(app.tails.count()).toBe(4)
    expect(host.connections()).toBe(1)
    ws.close() // what a page reload does to its socket
    await waitFor(() => app.tails.count() === 0 && host.connections() === 0, 5000, 'disposal')
    expect(app.core.owners()).toBe(0)
  })

  it('accepts an import.file frame over 32 MiB (within the contract) instead of closing with 1009', async () => {
    const opened = await open(bridgeUrl(host.token), host.origin)
    if (!('ws' in opened)) throw new Error('bridge refused')
    let closedWith: number | null = null
    opened.ws.once('close', (code) => (closedWith = code))
    const results: ServerFrame[] = []
    opened.ws.on('message', (d) => results.push(JSON.parse(d.toString()) as ServerFrame))
    const content = 'A'.repeat(40 * 1024 * 1024) // base64 of 30 MiB
    const params = { connectionId: 'local', path: 'big-import', format: 'raw', content }
    opened.ws.send(JSON.stringify({ t: 'call', id: 1, method: 'import.file', params }))
    await waitFor(() => results.some((f) => f.t === 'result') || closedWith !== null, 20_000)
    expect(closedWith).toBeNull()
    expect(results.find((f) => f.t === 'result')).toMatchObject({ id: 1 })
    opened.ws.close()
  })

  it('closes the socket on a malformed frame', async () => {
    const opened = await open(bridgeUrl(host.token), host.origin)
    if (!('ws' in opened)) throw new Error('bridge refused')
    const closed = new Promise<number>((ok) => opened.ws.once('close', (code) => ok(code)))
    opened.ws.send(JSON.stringify({ t: 'call', id: 1, method: 'fs.readFile', params: {} }))
    expect(await closed).toBe(1003)
  })
})

describe('web host: results that cannot be sent', () => {
  it('answers the call with PAYLOAD_TOO_LARGE instead of crashing when serialising throws', async () => {
    const staticDir = join(dir.path, 'static')
    // Serialising this value throws exactly what a too-long JSON string does.
    const huge = {
      toJSON(): never {
        throw new RangeError('Invalid string length')
      },
    }
    const stub: CoreLike = {
      handle: async (_owner, method): Promise<WireResult> =>
        method === 'export.range' ? { ok: true, value: huge } : { ok: true, value: 'fine' },
      attach: () => undefined,
      detach: () => undefined,
    }
    const stubHost = await startWebHost({ core: stub, staticDir })
    const unhandled: unknown[] = []
    const onUnhandled = (err: unknown): void => void unhandled.push(err)
    process.on('unhandledRejection', onUnhandled)
    try {
      const opened = await open(
        `ws://127.0.0.1:${stubHost.port}/bridge?token=${encodeURIComponent(stubHost.token)}`,
        stubHost.origin,
      )
      if (!('ws' in opened)) throw new Error('bridge refused')
      const results = new Map<number, ServerFrame>()
      opened.ws.on('message', (d) => {
        const f = JSON.parse(d.toString()) as ServerFrame
        if (f.t === 'result') results.set(f.id, f)
      })
      opened.ws.send(JSON.stringify({ t: 'call', id: 1, method: 'export.range', params: {} }))
      opened.ws.send(JSON.stringify({ t: 'call', id: 2, method: 'app.info', params: {} }))
      await waitFor(() => results.has(1) && results.has(2))
      expect(results.get(1)).toMatchObject({
        result: { ok: false, error: { code: 'PAYLOAD_TOO_LARGE' } },
      })
      // The socket (and the process) keep working.
      expect(results.get(2)).toMatchObject({ result: { ok: true, value: 'fine' } })
      opened.ws.close()
      await new Promise((r) => setTimeout(r, 20))
      expect(unhandled).toEqual([])
    } finally {
      process.off('unhandledRejection', onUnhandled)
      await stubHost.close()
    }
  })
})
