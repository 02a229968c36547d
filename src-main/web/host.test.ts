import { randomBytes } from 'node:crypto'
import { mkdirSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import type { Socket } from 'node:net'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WebSocket, type RawData } from 'ws'
import type { WireResult } from '../../src-shared/ipc/wire.js'
import {
  callFrames,
  frameTooLarge,
  type PartFrame,
  type ServerFrame,
} from '../../src-shared/ipc/wire.js'
import type { CoreLike } from '../core/core-types.js'
import type { RunningApp } from '../core/app.js'
import { startTestApp, tempDir, waitFor } from '../testing/harness.js'
import { PartAssembler, PartBudget, startWebHost, type WebHost } from './host.js'

/** A server frame from a WebSocket message (text frames; ws hands them over as bytes). */
function parseFrame(d: RawData): ServerFrame {
  const bytes = Buffer.isBuffer(d) ? d : Array.isArray(d) ? Buffer.concat(d) : Buffer.from(d)
  return JSON.parse(bytes.toString('utf8')) as ServerFrame
}

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

/** A bridge socket opened by hand, so a test can write frame bytes itself. */
function rawUpgrade(h: WebHost): Promise<Socket> {
  return new Promise((ok, fail) => {
    const req = request({
      host: '127.0.0.1',
      port: h.port,
      path: `/bridge?token=${encodeURIComponent(h.token)}`,
      headers: {
        connection: 'Upgrade',
        upgrade: 'websocket',
        'sec-websocket-version': '13',
        'sec-websocket-key': randomBytes(16).toString('base64'),
        origin: h.origin,
      },
    })
    req.on('upgrade', (_res, socket) => ok(socket))
    req.on('response', (res) => fail(new Error(`upgrade refused: ${res.statusCode}`)))
    req.on('error', fail)
    req.end()
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

  it('carries the contract over the socket and disposes reading sessions when the page goes away', async () => {
    const opened = await open(bridgeUrl(host.token), host.origin)
    if (!('ws' in opened)) throw new Error(`bridge refused: ${JSON.stringify(opened)}`)
    const ws = opened.ws
    const results = new Map<number, ServerFrame>()
    ws.on('message', (d) => {
      const f = parseFrame(d)
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
    for (let i = 0; i < 4; i++) {
      expect(await call('reading.open', { connectionId: 'local', path: 'ws' })).toMatchObject({
        result: { ok: true },
      })
    }
    expect(app.browse.count()).toBe(4)
    expect(host.connections()).toBe(1)
    ws.close() // what a page reload does to its socket
    await waitFor(() => app.browse.count() === 0 && host.connections() === 0, 5000, 'disposal')
    expect(app.core.owners()).toBe(0)
  })

  it('takes a transfer.import call over 32 MiB in parts, none over the frame limit', async () => {
    const opened = await open(bridgeUrl(host.token), host.origin)
    if (!('ws' in opened)) throw new Error('bridge refused')
    let closedWith: number | null = null
    opened.ws.once('close', (code) => (closedWith = code))
    const results: ServerFrame[] = []
    opened.ws.on('message', (d) => results.push(parseFrame(d)))
    await new Promise<void>((ok, fail) => {
      const put = { connectionId: 'local', path: 'big-import', contentType: 'text/plain' }
      opened.ws.send(JSON.stringify({ t: 'call', id: 1, method: 'streams.create', params: put }))
      waitFor(() => results.length > 0).then(ok, fail)
    })
    const content = 'QUJD'.repeat(10 * 1024 * 1024) // base64 of 30 MiB
    const params = { connectionId: 'local', path: 'big-import', format: 'raw', content }
    const frames = callFrames(
      2,
      JSON.stringify({ t: 'call', id: 2, method: 'transfer.import', params }),
    )
    expect(frames.length).toBeGreaterThan(10)
    for (const f of frames) {
      expect(frameTooLarge(f)).toBe(false)
      opened.ws.send(f)
    }
    await waitFor(
      () => results.some((f) => f.t === 'result' && f.id === 2) || closedWith !== null,
      20_000,
    )
    expect(closedWith).toBeNull()
    expect(results.find((f) => f.t === 'result' && f.id === 2)).toMatchObject({
      result: { ok: true, value: { appended: 1 } },
    })
    opened.ws.close()
  })

  it('answers an unknown method with an error and keeps the socket (and its subscriptions)', async () => {
    const opened = await open(bridgeUrl(host.token), host.origin)
    if (!('ws' in opened)) throw new Error('bridge refused')
    let closedWith: number | null = null
    opened.ws.once('close', (code) => (closedWith = code))
    const results = new Map<number, ServerFrame>()
    opened.ws.on('message', (d) => {
      const f = parseFrame(d)
      if (f.t === 'result') results.set(f.id, f)
    })
    const before = app.browse.count()
    opened.ws.send(
      JSON.stringify({
        t: 'call',
        id: 1,
        method: 'reading.open',
        params: { connectionId: 'local', path: 'ws' },
      }),
    )
    await waitFor(() => results.has(1))
    opened.ws.send(JSON.stringify({ t: 'call', id: 2, method: 'fs.readFile', params: {} }))
    // Neither a long name nor a non-string is a method: answered too, without echoing it whole.
    opened.ws.send(JSON.stringify({ t: 'call', id: 4, method: 'x'.repeat(100_000), params: {} }))
    opened.ws.send(JSON.stringify({ t: 'call', id: 5, method: { a: 1 }, params: {} }))
    opened.ws.send(JSON.stringify({ t: 'call', id: 3, method: 'app.info', params: {} }))
    await waitFor(() => [2, 3, 4, 5].every((id) => results.has(id)))
    for (const id of [4, 5]) {
      expect(results.get(id)).toMatchObject({
        result: {
          ok: false,
          error: { message: expect.stringMatching(/unknown method/) as string },
        },
      })
      expect(JSON.stringify(results.get(id)).length).toBeLessThan(1000)
    }
    expect(results.get(2)).toMatchObject({
      result: {
        ok: false,
        error: { message: expect.stringMatching(/unknown method "fs.readFile"/) as string },
      },
    })
    expect(results.get(3)).toMatchObject({ result: { ok: true } })
    expect(closedWith).toBeNull()
    expect(results.get(1)).toMatchObject({ result: { ok: true } })
    expect(app.browse.count()).toBe(before + 1)
    opened.ws.close()
    await waitFor(() => app.browse.count() === before, 5000, 'disposal')
  })

  it('answers a call whose parts stopped coming, and keeps the socket', async () => {
    const quick = await startWebHost({
      core: app.core,
      staticDir: join(dir.path, 'static'),
      partIdleMs: 300,
    })
    try {
      const url = `ws://127.0.0.1:${quick.port}/bridge?token=${encodeURIComponent(quick.token)}`
      const opened = await open(url, quick.origin)
      if (!('ws' in opened)) throw new Error('bridge refused')
      const results = new Map<number, ServerFrame>()
      opened.ws.on('message', (d) => {
        const f = parseFrame(d)
        if (f.t === 'result') results.set(f.id, f)
      })
      const part: PartFrame = { t: 'part', id: 7, seq: 0, data: '{"t":"call","id":7,', last: false }
      opened.ws.send(JSON.stringify(part))
      await waitFor(() => results.has(7), 5000, 'the stalled call answered')
      expect(results.get(7)).toMatchObject({
        result: { ok: false, error: { message: expect.stringMatching(/no part for/) as string } },
      })
      opened.ws.send(JSON.stringify({ t: 'call', id: 8, method: 'app.info', params: {} }))
      await waitFor(() => results.has(8), 5000, 'a later call')
      expect(results.get(8)).toMatchObject({ result: { ok: true } })
      opened.ws.close()
    } finally {
      await quick.close()
    }
  })

  it('still closes the socket on a frame that is not JSON', async () => {
    const opened = await open(bridgeUrl(host.token), host.origin)
    if (!('ws' in opened)) throw new Error('bridge refused')
    const closed = new Promise<number>((ok) => opened.ws.once('close', (code) => ok(code)))
    opened.ws.send('{not json')
    expect(await closed).toBe(1003)
  })

  it('refuses a 100 MiB junk frame from its header: the host does not buffer it', async () => {
    const socket = await rawUpgrade(host)
    // The host's close frame: 0x88, length 2 (+ text), code 1009 (message too big).
    let closeCode: number | null = null
    socket.on('data', (d: Buffer) => {
      const at = d.indexOf(0x88)
      if (at >= 0 && d.length >= at + 4) closeCode = d.readUInt16BE(at + 2)
    })
    socket.on('error', () => undefined)
    const size = 100 * 1024 * 1024
    // A masked text frame (mask key 0: the payload goes as is) announcing 100 MiB.
    const header = Buffer.alloc(14)
    header[0] = 0x81
    header[1] = 0x80 | 127
    header.writeBigUInt64BE(BigInt(size), 2)
    const chunk = Buffer.alloc(1024 * 1024, 0x78)
    const base = process.memoryUsage().rss
    let peak = base
    const sample = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5)
    let sent = 0
    socket.write(header)
    const deadline = Date.now() + 20_000
    while (closeCode === null && !socket.destroyed && sent < size && Date.now() < deadline) {
      if (!socket.write(chunk)) {
        await new Promise((r) => {
          socket.once('drain', r)
          setTimeout(r, 100)
        })
      }
      sent += chunk.length
    }
    await waitFor(() => closeCode !== null, 5000, 'the close frame')
    clearInterval(sample)
    socket.destroy()
    expect(closeCode).toBe(1009)
    expect((peak - base) / (1024 * 1024)).toBeLessThan(40)
  })
})

describe('part assembler', () => {
  const part = (id: number, seq: number, data: string, last: boolean): PartFrame => ({
    t: 'part',
    id,
    seq,
    data,
    last,
  })

  it('joins parts in order and bounds what unfinished calls hold', () => {
    const a = new PartAssembler(10)
    expect(a.add(part(1, 0, 'abc', false))).toEqual({ kind: 'more' })
    expect(a.add(part(2, 0, 'xy', false))).toEqual({ kind: 'more' })
    expect(a.heldBytes).toBe(5)
    expect(a.add(part(1, 1, 'def', true))).toEqual({ kind: 'done', text: 'abcdef' })
    expect(a.heldBytes).toBe(2)
    // Over the bound: refused once, the call's later parts dropped, its bytes released.
    expect(a.add(part(2, 1, '123456789', false))).toMatchObject({
      kind: 'refused',
      result: { ok: false, error: { code: 'PAYLOAD_TOO_LARGE' } },
    })
    expect(a.heldBytes).toBe(0)
    expect(a.add(part(2, 2, 'z', true))).toEqual({ kind: 'more' })
    // Out of order and a missing first part are refused.
    expect(a.add(part(3, 1, 'q', true))).toMatchObject({ kind: 'refused' })
    expect(a.add(part(4, 0, 'q', false))).toEqual({ kind: 'more' })
    expect(a.add(part(4, 2, 'q', true))).toMatchObject({
      kind: 'refused',
      result: { error: { message: /part 2 came after part 0/ } },
    })
    expect(a.heldBytes).toBe(0)
  })

  it('splits a large call into frames under the limit and back, surrogate pairs intact', () => {
    const text = JSON.stringify({ t: 'call', id: 9, method: 'x', params: '😀"'.repeat(3_000_000) })
    const frames = callFrames(9, text)
    expect(frames.length).toBeGreaterThan(1)
    const a = new PartAssembler()
    let out: string | undefined
    for (const f of frames) {
      expect(frameTooLarge(f)).toBe(false)
      const step = a.add(JSON.parse(f) as PartFrame)
      if (step.kind === 'done') out = step.text
    }
    expect(out === text).toBe(true)
    expect(callFrames(1, '{"small":1}')).toEqual(['{"small":1}'])
  })

  it('forgets the oldest refused calls: parts of calls never finished cannot pile up', () => {
    const a = new PartAssembler()
    // A client opening calls with a part that is not the first, never sending their last part.
    for (let id = 1; id <= 10_000; id++) {
      expect(a.add(part(id, 1, '', false))).toMatchObject({ kind: 'refused' })
    }
    // The most recent refusals are still remembered: their later parts are dropped quietly.
    expect(a.add(part(10_000, 2, 'x', true))).toEqual({ kind: 'more' })
    // A forgotten one is refused again (answered once more), never assembled.
    expect(a.add(part(1, 2, 'x', true))).toMatchObject({ kind: 'refused' })
    expect(a.heldBytes).toBe(0)
    expect(a.refusedCalls).toBeLessThanOrEqual(64)
  })

  it('drops a call whose parts stopped coming, answers it, and frees its bytes', () => {
    const budget = new PartBudget(100)
    const a = new PartAssembler(100, budget)
    expect(a.add(part(1, 0, 'stalled', false), 1_000)).toEqual({ kind: 'more' })
    expect(a.add(part(2, 0, 'moving', false), 1_000)).toEqual({ kind: 'more' })
    expect(a.add(part(2, 1, '-on', false), 50_000)).toEqual({ kind: 'more' })
    expect(a.expire(60_000, 30_000)).toEqual([
      {
        id: 1,
        result: {
          ok: false,
          error: {
            name: 'InvalidArgumentError',
            code: 'INVALID_ARGUMENT',
            message: 'Malformed call in parts: no part for 30 s',
          },
        },
      },
    ])
    expect(a.heldBytes).toBe(9)
    expect(budget.held).toBe(9)
    // A late part of the dropped call is dropped too; the other call still completes.
    expect(a.add(part(1, 1, 'late', true), 61_000)).toEqual({ kind: 'more' })
    expect(a.add(part(2, 2, '!', true), 61_000)).toEqual({ kind: 'done', text: 'moving-on!' })
    expect(budget.held).toBe(0)
  })

  it('bounds what all sockets of a host hold together, and frees it as calls end', () => {
    const budget = new PartBudget(10)
    const one = new PartAssembler(8, budget)
    const two = new PartAssembler(8, budget)
    expect(one.add(part(1, 0, 'abcdef', false))).toEqual({ kind: 'more' })
    // Within its own socket's bound, but not within the host's.
    expect(two.add(part(1, 0, 'ghijk', false))).toMatchObject({
      kind: 'refused',
      result: { ok: false, error: { code: 'PAYLOAD_TOO_LARGE', message: /in progress/ } },
    })
    expect(budget.held).toBe(6)
    expect(one.add(part(1, 1, 'g', true))).toEqual({ kind: 'done', text: 'abcdefg' })
    expect(budget.held).toBe(0)
    expect(two.add(part(2, 0, 'ghijk', false))).toEqual({ kind: 'more' })
    expect(budget.held).toBe(5)
    two.clear() // the socket closed
    expect(budget.held).toBe(0)
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
        method === 'transfer.export' ? { ok: true, value: huge } : { ok: true, value: 'fine' },
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
        const f = parseFrame(d)
        if (f.t === 'result') results.set(f.id, f)
      })
      opened.ws.send(JSON.stringify({ t: 'call', id: 1, method: 'transfer.export', params: {} }))
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
