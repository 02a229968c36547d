/**
 * The two HTTP engines: the `node:http` engine (the default on Node, through the `node` entry
 * that test/setup registers) and the portable fetch engine. Core operations run through both
 * against the real server; the node engine's own duties — connection reuse, compression,
 * aborts, truncated bodies, network errors — are checked against raw servers.
 */
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { setTimeout as delay } from 'node:timers/promises'
import zlib from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  AbortError,
  Client,
  ConnectionError,
  IdempotentProducer,
  StreamNotFoundError,
  TimeoutError,
  createNodeEngine,
  type FetchLike,
} from '../../src-shared/client/node.js'
import { startRawServer, type RawServer } from '../helpers/raw-server.js'
import { startServer, type TestServer } from '../helpers/server.js'

let srv: TestServer
beforeAll(async () => {
  srv = await startServer()
})
afterAll(async () => {
  await srv.stop()
})

const fast = { maxRetries: 2, initialDelayMs: 5, maxDelayMs: 20 }
const engines: Array<[string, FetchLike | undefined]> = [
  ['node:http (default)', undefined],
  ['fetch', (input, init) => globalThis.fetch(input, init)],
]

describe.each(engines)('engine %s against the real server', (_name, fetchImpl) => {
  let client: Client
  beforeAll(() => {
    client = new Client({
      baseUrl: srv.url,
      retry: fast,
      ...(fetchImpl ? { fetch: fetchImpl } : {}),
    })
  })
  afterAll(() => client.close())

  it('creates, appends, reads back, reports metadata and deletes', async () => {
    const path = `/v1/stream/engine-${Math.random().toString(36).slice(2)}`
    const s = await client.create(path, { contentType: 'application/json' })
    await s.append({ n: 1 })
    await s.append({ n: 2 })
    await s.append({ n: 3 })
    expect(await s.readJson({ live: false }).toArray()).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }])
    const head = await s.head()
    expect(head.contentType).toBe('application/json')
    expect(head.nextOffset).toBe(s.nextOffset)
    await s.delete()
    await expect(s.head()).rejects.toBeInstanceOf(StreamNotFoundError)
  })

  it('delivers live data through long-poll and SSE', async () => {
    for (const live of ['long-poll', 'sse'] as const) {
      const s = await client.create(`/v1/stream/live-${live}-${Math.random()}`, {
        contentType: 'application/json',
      })
      const reader = s.readJson({ offset: '-1', live })
      const first = reader.take(3).then((v) => v)
      for (let i = 0; i < 3; i++) await s.append({ i })
      expect(await first).toEqual([{ i: 0 }, { i: 1 }, { i: 2 }])
      reader.close()
    }
  })

  it('large byte bodies and idempotent batches arrive intact, exactly once', async () => {
    const s = await client.create(`/v1/stream/big-${Math.random()}`, {
      contentType: 'application/octet-stream',
    })
    const big = new Uint8Array(3 * 1024 * 1024).map((_, i) => (i * 7) & 0xff)
    await s.append(big)
    const p = new IdempotentProducer({ stream: s, producerId: 'engine-test', maxInFlight: 4 })
    for (let i = 0; i < 2_000; i++) p.append(new Uint8Array([i & 0xff]))
    await p.close()
    const all = (await s.readAll()) as Uint8Array
    expect(all.length).toBe(big.length + 2_000)
    expect(Buffer.compare(all.subarray(0, big.length), big)).toBe(0)
    for (let i = 0; i < 2_000; i++) expect(all[big.length + i]).toBe(i & 0xff)
  })
})

describe('node:http engine', () => {
  let raw: RawServer
  let seen: http.IncomingHttpHeaders[] = []
  let behaviour: (req: http.IncomingMessage, res: http.ServerResponse) => void
  beforeAll(async () => {
    raw = await startRawServer((req, res) => {
      seen.push(req.headers)
      behaviour(req, res)
    })
  })
  afterAll(() => raw.stop())
  const reply =
    (status: number, body = '', headers: Record<string, string> = {}) =>
    (_req: http.IncomingMessage, res: http.ServerResponse): void => {
      res.writeHead(status, {
        'content-type': 'application/json',
        'stream-next-offset': '1',
        'stream-up-to-date': 'true',
        ...headers,
      })
      res.end(body)
    }

  it('is the default on Node: no fetch user agent, no compression over loopback', async () => {
    seen = []
    behaviour = reply(200, '[1]')
    const client = new Client({ baseUrl: raw.url })
    expect(await client.stream('/a').readJson({ live: false }).toArray()).toEqual([1])
    await client.close()
    expect(seen[0]!['user-agent']).toBeUndefined() // Node's fetch sends `node`
    expect(seen[0]!['accept-encoding']).toBeUndefined()
  })

  it('reuses one keep-alive connection for sequential requests, read or not', async () => {
    const ports = new Set<number>()
    behaviour = (req, res) => {
      ports.add(req.socket.remotePort!)
      reply(200, '[1]')(req, res)
    }
    const engine = createNodeEngine()
    const signal = new AbortController().signal
    for (let i = 0; i < 50; i++) {
      const res = await engine({ method: 'GET', url: raw.url + '/r', headers: {}, signal })
      // Half the responses are read, half dropped unread: both must free the socket.
      if (i % 2 === 0) expect(await res.text()).toBe('[1]')
      else res.discard()
    }
    // An unread body frees its socket a moment later, so a second one may open meanwhile;
    // a leak would show one connection per dropped response (25 here).
    expect(ports.size).toBeLessThanOrEqual(2)
  })

  it('asks for compression when told to, and decodes gzip, deflate and brotli', async () => {
    const body = JSON.stringify(Array.from({ length: 500 }, (_, i) => ({ i, pad: 'x'.repeat(20) })))
    const encoders: Record<string, (b: Buffer) => Buffer> = {
      gzip: (b) => zlib.gzipSync(b),
      deflate: (b) => zlib.deflateSync(b),
      br: (b) => zlib.brotliCompressSync(b),
    }
    for (const [encoding, encode] of Object.entries(encoders)) {
      seen = []
      behaviour = (_req, res) => {
        res.writeHead(200, {
          'content-type': 'application/json',
          'content-encoding': encoding,
          'stream-next-offset': '9',
          'stream-up-to-date': 'true',
        })
        res.end(encode(Buffer.from(body)))
      }
      const engine = createNodeEngine({ compression: 'always' })
      const res = await engine({
        method: 'GET',
        url: raw.url + '/z',
        headers: {},
        signal: new AbortController().signal,
      })
      expect(seen[0]!['accept-encoding']).toBe('gzip, deflate, br')
      expect(JSON.parse(await res.text())).toHaveLength(500)
    }
  })

  it('reads a real server gzip response when compression is on', async () => {
    const plain = new Client({ baseUrl: srv.url })
    const s = await plain.create(`/v1/stream/gz-${Math.random()}`, {
      contentType: 'application/json',
    })
    const values = Array.from({ length: 2_000 }, (_, i) => ({ i, text: 'compressible '.repeat(4) }))
    await s.append(values)
    const engine = createNodeEngine({ compression: 'always' })
    const res = await engine({
      method: 'GET',
      url: `${s.url}?offset=-1`,
      headers: {},
      signal: new AbortController().signal,
    })
    expect(res.headers.get('content-encoding')).toBe('gzip')
    expect(JSON.parse(await res.text())).toEqual([values]) // one message: the array
    await plain.close()
  })

  it('never asks for compression with compression: never', async () => {
    seen = []
    behaviour = reply(200, '[]')
    const res = await createNodeEngine({ compression: 'never' })({
      method: 'GET',
      url: raw.url.replace('127.0.0.1', 'localhost') + '/n',
      headers: {},
      signal: new AbortController().signal,
    })
    await res.text()
    expect(seen[0]!['accept-encoding']).toBeUndefined()
  })

  it('an abort mid-body is an AbortError and closes that connection', async () => {
    behaviour = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100000' })
      res.write('[1,')
    }
    const client = new Client({ baseUrl: raw.url, retry: fast })
    const ac = new AbortController()
    const pending = client.stream('/slow').readJson({ live: false, signal: ac.signal }).toArray()
    while (!raw.requests.some((r) => r.url.pathname === '/slow')) await delay(5)
    await delay(20)
    ac.abort()
    // A reader closed by its signal ends quietly; the connection must be gone either way.
    await pending.catch((e: unknown) => expect(e).toBeInstanceOf(AbortError))
    await raw.waitForNoOpenRequests()
    await client.close()
  })

  it('a truncated body is retried, and the retry succeeds', async () => {
    let n = 0
    behaviour = (_req, res) => {
      n++
      if (n === 1) {
        res.writeHead(200, {
          'content-type': 'application/json',
          'content-length': '50',
          'stream-next-offset': '5',
          'stream-up-to-date': 'true',
        })
        res.write('[1,2')
        setTimeout(() => res.socket?.destroy(), 5)
        return
      }
      reply(200, '[1,2,3]', { 'stream-next-offset': '5' })(_req, res)
    }
    const client = new Client({ baseUrl: raw.url, retry: fast })
    expect(await client.stream('/trunc').readJson({ live: false }).toArray()).toEqual([1, 2, 3])
    expect(n).toBe(2)
    await client.close()
  })

  it('follows redirects like fetch: 307 keeps method and body, 303 turns into GET', async () => {
    const seenReqs: string[] = []
    behaviour = (req, res) => {
      let body = ''
      req.on('data', (c: Buffer) => (body += c.toString()))
      req.on('end', () => {
        seenReqs.push(`${req.method} ${req.url} ${body}`)
        if (req.url === '/old') res.writeHead(307, { location: '/new' }).end()
        else if (req.url === '/see-other') res.writeHead(303, { location: '/new' }).end()
        else reply(200, '[1]')(req, res)
      })
    }
    const engine = createNodeEngine()
    const signal = new AbortController().signal
    const a = await engine({
      method: 'POST',
      url: raw.url + '/old',
      headers: {},
      body: 'x',
      signal,
    })
    expect(a.status).toBe(200)
    await a.text()
    const b = await engine({
      method: 'POST',
      url: raw.url + '/see-other',
      headers: {},
      body: 'y',
      signal,
    })
    await b.text()
    expect(seenReqs).toEqual(['POST /old x', 'POST /new x', 'POST /see-other y', 'GET /new '])
  })

  it('drops Authorization on a cross-origin redirect and stops after 20 redirects', async () => {
    const other = await startRawServer((req, res) => {
      res.writeHead(200, { 'x-auth': String(req.headers.authorization ?? 'none') }).end()
    })
    behaviour = (req, res) => {
      if (req.url === '/away') res.writeHead(302, { location: other.url + '/x' }).end()
      else res.writeHead(302, { location: '/loop' }).end()
    }
    const engine = createNodeEngine()
    const signal = new AbortController().signal
    const res = await engine({
      method: 'GET',
      url: raw.url + '/away',
      headers: { authorization: 'Bearer secret' },
      signal,
    })
    expect(res.headers.get('x-auth')).toBe('none')
    await other.stop()
    const client = new Client({ baseUrl: raw.url, retry: { maxRetries: 0 } })
    const err = await client
      .stream('/loop')
      .head()
      .catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ConnectionError)
    expect((err as Error).message).toContain('Too many redirects')
    await client.close()
  })

  it('a bad Location header rejects the request instead of crashing the process', async () => {
    behaviour = (_req, res) => res.writeHead(307, { location: 'http://[oops/' }).end()
    const client = new Client({ baseUrl: raw.url, retry: { maxRetries: 0 } })
    const err = await client
      .stream('/bad-location')
      .append('x', { contentType: 'text/plain' })
      .catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ConnectionError)
    expect((err as Error).message).toContain('ERR_INVALID_URL')
    await client.close()
  })

  it('cross-origin redirects drop Cookie and Authorization whatever their case', async () => {
    let seenThere: http.IncomingHttpHeaders = {}
    const other = await startRawServer((req, res) => {
      seenThere = req.headers
      res.writeHead(200).end()
    })
    behaviour = (_req, res) => res.writeHead(302, { location: other.url + '/x' }).end()
    const res = await createNodeEngine()({
      method: 'GET',
      url: raw.url + '/away',
      headers: {
        Authorization: 'Bearer x',
        cookie: 'a=b',
        'Proxy-Authorization': 'p',
        'x-keep': '1',
      },
      signal: new AbortController().signal,
    })
    await res.text()
    await other.stop()
    expect(seenThere.authorization).toBeUndefined()
    expect(seenThere.cookie).toBeUndefined()
    expect(seenThere['proxy-authorization']).toBeUndefined()
    expect(seenThere['x-keep']).toBe('1')
  })

  it('gzip: an empty body reads as empty; a corrupt one fails and frees its connection', async () => {
    behaviour = (req, res) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-encoding': 'gzip' })
      if (req.url === '/empty') res.end()
      // A corrupt stream far larger than socket buffers: still arriving when decoding fails.
      else
        res.end(
          Buffer.concat([
            zlib.gzipSync(Buffer.from('ok')).subarray(0, 10),
            Buffer.alloc(16 << 20, 7),
          ]),
        )
    }
    const httpAgent = new http.Agent({ keepAlive: true })
    const engine = createNodeEngine({ compression: 'always', httpAgent })
    const signal = new AbortController().signal
    const empty = await engine({ method: 'GET', url: raw.url + '/empty', headers: {}, signal })
    expect((await empty.bytes()).length).toBe(0)
    const corrupt = await engine({ method: 'GET', url: raw.url + '/corrupt', headers: {}, signal })
    await expect(corrupt.bytes()).rejects.toThrow()
    await delay(20)
    // The failed response's socket was destroyed, not left assigned to a request for good.
    const busy = Object.values(httpAgent.sockets).flat().length
    expect(busy).toBe(0)
    httpAgent.destroy()
  })

  it('aborting a complete but unread response hands its socket back to the pool', async () => {
    const ports: number[] = []
    behaviour = (req, res) => {
      ports.push(req.socket.remotePort!)
      reply(200, '[1]')(req, res)
    }
    const engine = createNodeEngine()
    const ac = new AbortController()
    const res = await engine({ method: 'GET', url: raw.url + '/u', headers: {}, signal: ac.signal })
    await delay(20) // the whole body has arrived, unread
    ac.abort()
    await delay(20)
    const next = await engine({
      method: 'GET',
      url: raw.url + '/u',
      headers: {},
      signal: new AbortController().signal,
    })
    await next.text()
    expect(res.status).toBe(200)
    expect(ports[1]).toBe(ports[0]) // reused, not leaked
  })

  it('a body read after its connection died rejects instead of hanging', async () => {
    behaviour = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' })
      res.write('[1,')
      setTimeout(() => res.socket?.destroy(), 10)
    }
    const res = await createNodeEngine()({
      method: 'GET',
      url: raw.url + '/late',
      headers: {},
      signal: new AbortController().signal,
    })
    await delay(60)
    await expect(res.text()).rejects.toThrow()
  })

  it('bytes() owns its memory (no views into a shared buffer pool)', async () => {
    behaviour = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream' })
      res.write('0123456789')
      setTimeout(() => res.end('abcdefghij'), 5)
    }
    const res = await createNodeEngine()({
      method: 'GET',
      url: raw.url + '/two-chunks',
      headers: {},
      signal: new AbortController().signal,
    })
    const b = await res.bytes()
    expect(new TextDecoder().decode(b)).toBe('0123456789abcdefghij')
    expect(b.byteOffset).toBe(0)
    expect(b.buffer.byteLength).toBe(20)
  })

  it('an SSE open answered with an error whose body stalls still times out', async () => {
    behaviour = (_req, res) => {
      res.writeHead(503, { 'content-type': 'text/plain', 'content-length': '100' })
      res.write('busy')
    }
    const client = new Client({ baseUrl: raw.url, timeout: 150, retry: { maxRetries: 0 } })
    const err = await client
      .stream('/sse-503', { contentType: 'text/plain' })
      .readText({ offset: 'now', live: 'sse' })
      .toArray()
      .catch((e: unknown) => e)
    expect(err).toBeInstanceOf(Error)
    expect((err as { status?: number }).status).toBe(503)
    await client.close()
  })

  it('reading a complete body after the request was aborted fails with AbortError', async () => {
    behaviour = reply(200, '[1,2,3]')
    const engine = createNodeEngine()
    for (const read of ['text', 'bytes', 'reader'] as const) {
      const ac = new AbortController()
      const res = await engine({
        method: 'GET',
        url: raw.url + '/l',
        headers: {},
        signal: ac.signal,
      })
      await delay(20) // the whole body has arrived
      ac.abort()
      const outcome =
        read === 'reader' ? res.reader().read() : read === 'text' ? res.text() : res.bytes()
      await expect(outcome).rejects.toMatchObject({ name: 'AbortError' })
    }
  })

  it('content codings: any unknown one leaves the body as it arrived; more than 5 is refused', async () => {
    const gz = zlib.gzipSync(Buffer.from('hello'))
    behaviour = (req, res) => {
      const enc =
        req.url === '/unknown' ? 'x-custom, gzip' : Array(6).fill('identity, gzip').join(', ')
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-encoding': enc })
      res.end(gz)
    }
    const engine = createNodeEngine()
    const signal = new AbortController().signal
    const unknown = await engine({ method: 'GET', url: raw.url + '/unknown', headers: {}, signal })
    expect(Buffer.from(await unknown.bytes()).equals(gz)).toBe(true)
    const many = await engine({ method: 'GET', url: raw.url + '/many', headers: {}, signal })
    await expect(many.bytes()).rejects.toThrow(/Too many content codings/)
  })

  it('a refused connection is a ConnectionError naming the system error', async () => {
    const closed = http.createServer()
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r))
    const { port } = closed.address() as AddressInfo
    await new Promise<void>((r) => closed.close(() => r()))
    const client = new Client({ baseUrl: `http://127.0.0.1:${port}`, retry: { maxRetries: 0 } })
    const err = await client
      .stream('/x')
      .head()
      .catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ConnectionError)
    expect((err as Error).message).toContain('ECONNREFUSED')
    await client.close()
  })

  it('a server that never answers is a TimeoutError', async () => {
    behaviour = () => undefined
    const client = new Client({ baseUrl: raw.url, timeout: 100, retry: { maxRetries: 0 } })
    await expect(client.stream('/hang').head()).rejects.toBeInstanceOf(TimeoutError)
    await client.close()
    await raw.waitForNoOpenRequests()
  })
})
