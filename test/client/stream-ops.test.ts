/**
 * Stream operations against a real @durable-streams/server: create, head, append, close,
 * delete, push/flush, Stream statics and handle state.
 */
import { describe, expect, it } from 'vitest'
import {
  ContentTypeMismatchError,
  InvalidArgumentError,
  SeqConflictError,
  Stream,
  StreamClosedError,
  StreamExistsError,
  StreamNotFoundError,
  isStreamClosedError,
} from '../../src-shared/client/index.js'
import { client, rec, srv, useLiveServer } from '../helpers/live-server.js'

useLiveServer()
let n = 0
const path = (name = 'ops'): string => `/t/${name}-${process.pid}-${++n}`

const enc = new TextEncoder()
const OFFSET = /^\d+_\d+$/

describe('create', () => {
  it('answers 201 for a new stream, 200 for an identical one, StreamExistsError otherwise', async () => {
    const p = path()
    const s = client.stream(p)
    const first = await s.createStream({ contentType: 'application/json' })
    expect(first.status).toBe(201)
    expect(first.nextOffset).toMatch(OFFSET)
    expect(s.contentType).toBe('application/json')
    expect(s.nextOffset).toBe(first.nextOffset)

    const again = await client.stream(p).createStream({ contentType: 'application/json' })
    expect(again).toEqual({ status: 200, nextOffset: first.nextOffset })

    const err = await client
      .stream(p)
      .createStream({ contentType: 'text/plain' })
      .catch((e: unknown) => e)
    expect(err).toBeInstanceOf(StreamExistsError)
    expect((err as StreamExistsError).status).toBe(409)
    expect((err as Error).message).toContain(srv.url + p)
    // Closure status is part of the configuration (PROTOCOL.md §5.1).
    await expect(
      client.stream(p).createStream({ contentType: 'application/json', closed: true }),
    ).rejects.toBeInstanceOf(StreamExistsError)
  })

  it('defaults the content type to application/octet-stream', async () => {
    const s = await client.create(path())
    expect(s.contentType).toBe('application/octet-stream')
    const put = rec.requests.filter((r) => r.method === 'PUT' && r.url === s.url)
    expect(put[0]!.headers['content-type']).toBe('application/octet-stream')
  })

  it('makes ttlSeconds and expiresAt visible in head()', async () => {
    const ttl = await client.create(path(), { contentType: 'text/plain', ttlSeconds: 3600 })
    const h1 = await ttl.head()
    expect(h1.ttlSeconds).toBe(3600)
    expect(h1.expiresAt).toBeUndefined()

    const at = '2099-01-02T03:04:05.000Z'
    const exp = await client.create(path(), { contentType: 'text/plain', expiresAt: new Date(at) })
    const h2 = await exp.head()
    expect(h2.expiresAt).toBe(at)
    expect(h2.ttlSeconds).toBeUndefined()
  })

  it('creates a closed stream whose body is its whole content', async () => {
    const s = await client.create(path(), {
      contentType: 'text/plain',
      closed: true,
      body: 'final',
    })
    const h = await s.head()
    expect(h.closed).toBe(true)
    expect((await s.readText({ live: false }).toArray()).join('')).toBe('final')
    const err = await s.append('more').catch((e: unknown) => e)
    expect(err).toBeInstanceOf(StreamClosedError)
    expect((err as StreamClosedError).finalOffset).toBe(h.nextOffset)
  })

  it('creates an empty closed stream: readers see EOF at once', async () => {
    const s = await client.create(path(), { contentType: 'application/json', closed: true })
    const r = s.readJson({ live: 'sse' })
    expect(await r.toArray()).toEqual([])
    expect(r.closed).toBe(true)
  })

  it('writes an initial body: one JSON message, or bytes', async () => {
    const j = await client.create(path(), { contentType: 'application/json', body: { a: 1 } })
    expect(await j.readAll()).toEqual([{ a: 1 }])
    const b = await client.create(path(), { body: new Uint8Array([0, 1, 2, 255]) })
    expect(await b.readAll()).toEqual(new Uint8Array([0, 1, 2, 255]))
    const h = await b.head()
    expect(h.nextOffset).toBe(b.nextOffset)
  })

  it('client.create returns a handle resolved against the base URL', async () => {
    const p = path()
    const s = await client.create(p, { contentType: 'text/plain' })
    expect(s).toBeInstanceOf(Stream)
    expect(s.url).toBe(srv.url + p)
    expect(s.isText).toBe(true)
    expect(s.isJson).toBe(false)
  })
})

describe('head / exists / connect', () => {
  it('returns every metadata field, and the etag changes with appends and closure', async () => {
    const s = await client.create(path(), { contentType: 'application/json' })
    const h0 = await s.head()
    expect(h0).toMatchObject({
      exists: true,
      contentType: 'application/json',
      cacheControl: 'no-store',
      closed: false,
    })
    expect(h0.nextOffset).toMatch(OFFSET)
    expect(h0.etag).toMatch(/^".+"$/)

    const a = await s.append({ x: 1 })
    const h1 = await s.head()
    expect(h1.nextOffset).toBe(a.nextOffset)
    expect(h1.nextOffset! > h0.nextOffset!).toBe(true)
    expect(h1.etag).not.toBe(h0.etag)

    await s.close()
    const h2 = await s.head()
    expect(h2.closed).toBe(true)
    expect(h2.nextOffset).toBe(h1.nextOffset)
    expect(h2.etag).not.toBe(h1.etag) // ETags vary with closure (PROTOCOL.md §10.1)
  })

  it('head() updates the handle content type and offset', async () => {
    const p = path()
    await client.create(p, { contentType: 'text/plain', body: 'abc' })
    const s = client.stream(p)
    expect(s.contentType).toBeUndefined()
    const h = await s.head()
    expect(s.contentType).toBe('text/plain')
    expect(s.nextOffset).toBe(h.nextOffset)
  })

  it('exists() and Stream.exists() tell present from absent', async () => {
    const p = path()
    expect(await client.stream(p).exists()).toBe(false)
    expect(await Stream.exists({ url: srv.url + p })).toBe(false)
    await client.create(p)
    expect(await client.stream(p).exists()).toBe(true)
    expect(await Stream.exists({ url: srv.url + p })).toBe(true)
  })

  it('connect() loads metadata or throws StreamNotFoundError naming the URL', async () => {
    const p = path()
    const created = await client.create(p, { contentType: 'text/plain', body: 'x' })
    const s = await client.connect(p)
    expect(s.contentType).toBe('text/plain')
    expect(s.nextOffset).toBe(created.nextOffset)
    const viaStatic = await Stream.connect({ url: srv.url + p, client })
    expect(viaStatic.nextOffset).toBe(created.nextOffset)
    const missing = path()
    const err = await client.connect(missing).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(StreamNotFoundError)
    expect((err as Error).message).toContain(srv.url + missing)
  })
})

describe('append', () => {
  it('appends JSON values as single messages and reports the new tail', async () => {
    const s = await client.create(path(), { contentType: 'application/json' })
    const r1 = await s.append({ n: 1 })
    expect(r1).toEqual({
      nextOffset: expect.stringMatching(OFFSET) as string,
      duplicate: false,
      closed: false,
    })
    const r2 = await s.append([1, 2]) // an array value is ONE message
    expect(r2.nextOffset! > r1.nextOffset!).toBe(true)
    await s.append('str')
    await s.append(null)
    await s.append(enc.encode('[{"raw":1},{"raw":2}]')) // pre-serialised: flattened by the server
    expect(s.nextOffset).toBe((await s.head()).nextOffset)
    expect(await s.readAll()).toEqual([{ n: 1 }, [1, 2], 'str', null, { raw: 1 }, { raw: 2 }])
    const posts = rec.requests.filter((r) => r.method === 'POST' && r.url === s.url)
    expect(posts[0]!.body).toBe('[{"n":1}]')
    expect(posts[0]!.headers['content-type']).toBe('application/json')
  })

  it('appends text and binary data exactly', async () => {
    const t = await client.create(path(), { contentType: 'text/plain; charset=utf-8' })
    await t.append('héllo ')
    await t.append(enc.encode('wörld ✓'))
    expect((await t.readText({ live: false }).toArray()).join('')).toBe('héllo wörld ✓')

    const b = await client.create(path(), { contentType: 'application/octet-stream' })
    await b.append(new Uint8Array([0, 255]))
    await b.append(new Uint8Array([1, 2, 3]).buffer)
    await b.append('A')
    expect(await b.readAll()).toEqual(new Uint8Array([0, 255, 1, 2, 3, 65]))
  })

  it('rejects values the stream type cannot carry, before any request', async () => {
    const j = await client.create(path(), { contentType: 'application/json' })
    const b = await client.create(path())
    const before = rec.requests.length
    await expect(j.append(undefined)).rejects.toBeInstanceOf(InvalidArgumentError)
    await expect(j.append(1n)).rejects.toBeInstanceOf(InvalidArgumentError)
    await expect(b.append(123)).rejects.toBeInstanceOf(InvalidArgumentError)
    await expect(b.append({ a: 1 })).rejects.toMatchObject({ field: 'data' })
    expect(rec.requests.length).toBe(before)
  })

  it('appending to a handle without a content type first HEADs the stream', async () => {
    const p = path()
    await client.create(p, { contentType: 'application/json' })
    rec.clear()
    const s = client.stream(p)
    await s.append({ a: 1 })
    await s.append({ a: 2 })
    expect(rec.requests.map((r) => r.method)).toEqual(['HEAD', 'POST', 'POST'])
    expect(await s.readAll()).toEqual([{ a: 1 }, { a: 2 }])
  })

  it('Stream-Seq must increase: a regression is a SeqConflictError', async () => {
    const s = await client.create(path(), { contentType: 'text/plain' })
    await s.append('a', { seq: '0002' })
    const lower = await s.append('b', { seq: '0001' }).catch((e: unknown) => e)
    expect(lower).toBeInstanceOf(SeqConflictError)
    expect((lower as SeqConflictError).status).toBe(409)
    expect((lower as Error).message).toContain(s.url)
    await expect(s.append('c', { seq: '0002' })).rejects.toBeInstanceOf(SeqConflictError)
    await s.append('d', { seq: 3 })
    const seqs = rec.requests.filter((r) => r.method === 'POST' && r.url === s.url)
    expect(seqs.map((r) => r.headers['stream-seq'])).toEqual(['0002', '0001', '0002', '3'])
    expect((await s.readText({ live: false }).toArray()).join('')).toBe('ad')
  })

  it('a content type mismatch is a ContentTypeMismatchError (also with Stream-Seq)', async () => {
    const p = path()
    await client.create(p, { contentType: 'application/json' })
    const wrong = client.stream(p, { contentType: 'text/plain' })
    const err = await wrong.append('x').catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ContentTypeMismatchError)
    expect((err as Error).message).toContain(srv.url + p)
    await expect(wrong.append('x', { seq: '1' })).rejects.toBeInstanceOf(ContentTypeMismatchError)
  })

  it('appending to a missing stream is a StreamNotFoundError naming the URL', async () => {
    const p = path()
    for (const s of [client.stream(p), client.stream(p, { contentType: 'text/plain' })]) {
      const err = await s.append('x').catch((e: unknown) => e)
      expect(err).toBeInstanceOf(StreamNotFoundError)
      expect((err as StreamNotFoundError).status).toBe(404)
      expect((err as StreamNotFoundError).url).toBe(srv.url + p)
      expect((err as Error).message).toContain(srv.url + p)
    }
  })
})

describe('close', () => {
  it('closes without data; closing twice succeeds; appends then fail with the final offset', async () => {
    const s = await client.create(path(), { contentType: 'text/plain' })
    const { nextOffset } = await s.append('data')
    const c1 = await s.close()
    expect(c1).toEqual({ finalOffset: nextOffset })
    expect(s.nextOffset).toBe(nextOffset)
    const closeReq = rec.requests.filter((r) => r.method === 'POST' && r.url === s.url).at(-1)!
    expect(closeReq.headers['stream-closed']).toBe('true')
    expect(closeReq.body).toBeUndefined()
    expect(await s.close()).toEqual({ finalOffset: nextOffset })
    expect((await s.head()).closed).toBe(true)

    const err = await s.append('late').catch((e: unknown) => e)
    expect(isStreamClosedError(err)).toBe(true)
    expect((err as StreamClosedError).finalOffset).toBe(nextOffset)
    expect((err as StreamClosedError).status).toBe(409)
    expect((err as Error).message).toContain(s.url)
    expect((await s.readText({ live: false }).toArray()).join('')).toBe('data')
  })

  it('closes with final data atomically', async () => {
    const s = await client.create(path(), { contentType: 'application/json' })
    const a = await s.append({ n: 1 })
    const { finalOffset } = await s.close({ data: { n: 'last' } })
    expect(finalOffset > a.nextOffset!).toBe(true)
    expect(finalOffset).toBe((await s.head()).nextOffset)
    expect(await s.readAll()).toEqual([{ n: 1 }, { n: 'last' }])
    // Append-and-close on a closed stream is not idempotent (PROTOCOL.md §5.2).
    const err = await s.close({ data: { n: 'again' } }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(StreamClosedError)
    expect((err as StreamClosedError).finalOffset).toBe(finalOffset)
  })

  it('closing a missing stream is a StreamNotFoundError', async () => {
    await expect(client.stream(path()).close()).rejects.toBeInstanceOf(StreamNotFoundError)
  })
})

describe('delete', () => {
  it('deletes; afterwards every operation is a StreamNotFoundError', async () => {
    const s = await client.create(path(), { contentType: 'text/plain', body: 'x' })
    await s.delete()
    await expect(s.head()).rejects.toBeInstanceOf(StreamNotFoundError)
    expect(await s.exists()).toBe(false)
    await expect(s.readAll()).rejects.toBeInstanceOf(StreamNotFoundError)
    await expect(s.append('y')).rejects.toBeInstanceOf(StreamNotFoundError)
    await expect(s.delete()).rejects.toBeInstanceOf(StreamNotFoundError)
  })
})

describe('push / flush', () => {
  it('sends pushed messages in order, batched into fewer requests', async () => {
    const s = await client.create(path(), { contentType: 'application/json' })
    rec.clear()
    const values = Array.from({ length: 50 }, (_, i) => ({ i }))
    for (const v of values) expect(s.push(v)).toBe(s)
    await s.flush()
    const posts = rec.requests.filter((r) => r.method === 'POST')
    expect(posts.length).toBeGreaterThanOrEqual(1)
    expect(posts.length).toBeLessThan(50)
    expect(await s.readAll()).toEqual(values)
    await s.flush() // nothing pending: resolves
  })

  it('pushes bytes and text to a byte stream in order', async () => {
    const s = await client.create(path())
    s.push('a')
      .push(new Uint8Array([0]))
      .push('b')
    await s.flush()
    expect(await s.readAll()).toEqual(new Uint8Array([97, 0, 98]))
  })

  it('surfaces a send error from flush() once, then flushes cleanly', async () => {
    const s = client.stream(path(), { contentType: 'application/json' }) // never created
    s.push({ a: 1 })
    const err = await s.flush().catch((e: unknown) => e)
    expect(err).toBeInstanceOf(StreamNotFoundError)
    await expect(s.flush()).resolves.toBeUndefined()
  })

  it('validates pushed data eagerly when the content type is known', async () => {
    const s = await client.create(path(), { contentType: 'application/json' })
    expect(() => s.push(undefined)).toThrow(InvalidArgumentError)
    const b = await client.create(path())
    expect(() => b.push(42)).toThrow(InvalidArgumentError)
  })

  it('close() flushes pending pushes first', async () => {
    const s = await client.create(path(), { contentType: 'application/json' })
    s.push(1).push(2)
    await s.close({ data: 3 })
    expect(await s.readAll()).toEqual([1, 2, 3])
  })
})

describe('stream handle state', () => {
  it('iterating a stream reads it from the beginning, catch-up only', async () => {
    const s = await client.create(path(), { contentType: 'application/json' })
    await s.append('a')
    await s.append('b')
    const seen: unknown[] = []
    for await (const m of s) seen.push(m)
    expect(seen).toEqual(['a', 'b'])
  })

  it('per-handle headers are sent with every request', async () => {
    const p = path()
    await client.create(p, { contentType: 'text/plain' })
    rec.clear()
    const s = client.stream(p, { headers: { 'X-Tenant': 'acme' } })
    await s.head()
    await s.append('x')
    expect(rec.requests.map((r) => r.headers['x-tenant'])).toEqual(['acme', 'acme'])
  })
})
