/**
 * Issue #11, defect 4: bad input across the public API is refused at once, where it enters,
 * with a typed error naming the field — and nothing is sent. Each row of the table runs one
 * call against a client whose raw server counts every request it gets.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  Client,
  DurableStreams,
  IdempotentProducer,
  InvalidArgumentError,
  Stream,
  type DynamicValue,
} from '../../src-shared/client/index.js'
import { startRawServer, type RawServer } from '../helpers/raw-server.js'

let raw: RawServer
let client: Client
let json: Stream
let text: Stream
let sent = 0
beforeAll(async () => {
  raw = await startRawServer((_req, res) => {
    sent++
    res.writeHead(204, { 'stream-next-offset': '1_1' })
    res.end()
  })
  client = new Client({ baseUrl: raw.url, retry: { maxRetries: 3, initialDelayMs: 200 } })
  json = client.stream('/j', { contentType: 'application/json' })
  text = client.stream('/t', { contentType: 'text/plain' })
})
afterAll(async () => {
  await client.close()
  await raw.stop()
})

/** Lets a test pass a value its type does not allow (that is what is being tested). */
const bad = <T>(v: unknown): T => v as T
const url = (): string => `${raw.url}/s`
const fn =
  (v: unknown): DynamicValue =>
  () =>
    v as string

interface Case {
  name: string
  /** The field the error names (prefix match), when the case pins it. */
  field?: string
  run: () => unknown
}

const cases: Case[] = [
  // Client options
  { name: 'Client: baseUrl ""', field: 'baseUrl', run: () => new Client({ baseUrl: '' }) },
  { name: 'Client: baseUrl "::::"', field: 'baseUrl', run: () => new Client({ baseUrl: '::::' }) },
  {
    name: 'Client: baseUrl file:',
    field: 'baseUrl',
    run: () => new Client({ baseUrl: 'file:///tmp/x' }),
  },
  {
    name: 'Client: baseUrl ftp:',
    field: 'baseUrl',
    run: () => new Client({ baseUrl: 'ftp://h/x' }),
  },
  {
    name: 'Client: baseUrl without a host',
    field: 'baseUrl',
    run: () => new Client({ baseUrl: 'http://' }),
  },
  {
    name: 'Client: baseUrl with a tab',
    field: 'baseUrl',
    run: () => new Client({ baseUrl: 'http://h/a\tb' }),
  },
  {
    name: 'Client: baseUrl with CRLF',
    field: 'baseUrl',
    run: () => new Client({ baseUrl: 'http://h/\r\nX: y' }),
  },
  {
    name: 'Client: header name with a space',
    field: 'headers.bad name',
    run: () => new Client({ baseUrl: raw.url, headers: { 'bad name': 'v' } }),
  },
  {
    name: 'Client: header name with a colon',
    field: 'headers.x:y',
    run: () => new Client({ baseUrl: raw.url, headers: { 'x:y': 'v' } }),
  },
  {
    name: 'Client: header value with CRLF',
    field: 'headers.x-a',
    run: () => new Client({ baseUrl: raw.url, headers: { 'x-a': 'v\r\nInjected: 1' } }),
  },
  {
    name: 'Client: header value with a character past U+00FF',
    field: 'headers.x-a',
    run: () => new Client({ baseUrl: raw.url, headers: { 'x-a': 'ok \u2713' } }),
  },
  {
    name: 'Client: baseUrl with credentials',
    field: 'baseUrl',
    run: () => new Client({ baseUrl: 'http://user:pass@127.0.0.1:1' }),
  },
  {
    name: 'client.stream: absolute URL with a user name',
    field: 'path',
    run: () => client.stream(`http://user@${raw.url.slice('http://'.length)}/s`),
  },
  {
    name: 'append: header function returning a character past U+00FF',
    field: 'headers.x-a',
    run: () => text.append('x', { headers: { 'x-a': fn('\u65e5\u672c') } }),
  },
  {
    name: 'append: contentType with a character past U+00FF',
    field: 'contentType',
    run: () => text.append('x', { contentType: 'text/plain; x=\u2713' }),
  },
  {
    name: 'Client: header value a number',
    field: 'headers.x-a',
    run: () => new Client({ baseUrl: raw.url, headers: bad({ 'x-a': 42 }) }),
  },
  {
    name: 'Client: headers an array',
    field: 'headers',
    run: () => new Client({ baseUrl: raw.url, headers: bad(['a']) }),
  },
  {
    name: 'Client: param value a number',
    field: 'params.p',
    run: () => new Client({ baseUrl: raw.url, params: bad({ p: 5 }) }),
  },
  {
    name: 'Client: empty param name',
    field: 'params',
    run: () => new Client({ baseUrl: raw.url, params: { '': 'x' } }),
  },
  { name: 'Client: options null', field: 'options', run: () => new Client(bad(null)) },
  { name: 'Client: timeout -1', field: 'timeout', run: () => new Client({ timeout: -1 }) },
  {
    name: 'Client: sseIdleTimeout 0',
    field: 'sseIdleTimeout',
    run: () => new Client({ sseIdleTimeout: 0 }),
  },
  {
    name: 'Client: retry maxRetries -1',
    field: 'maxRetries',
    run: () => new Client({ retry: { maxRetries: -1 } }),
  },
  {
    name: 'Client: appendRetry unknown',
    field: 'appendRetry',
    run: () => new Client({ appendRetry: bad('sometimes') }),
  },
  {
    name: 'Client: fetch not a function',
    field: 'fetch',
    run: () => new Client({ fetch: bad(1) }),
  },
  // Paths given to a client
  { name: 'client.stream(undefined)', field: 'path', run: () => client.stream(bad(undefined)) },
  { name: 'client.stream("")', field: 'path', run: () => client.stream('') },
  { name: 'client.stream(42)', field: 'path', run: () => client.stream(bad(42)) },
  { name: 'client.stream with LF', field: 'path', run: () => client.stream('/a\nb') },
  {
    name: 'client.stream(file: URL)',
    field: 'path',
    run: () => client.stream('file:///etc/passwd'),
  },
  {
    name: 'client.stream: header name with a space',
    field: 'headers.a b',
    run: () => client.stream('/x', { headers: { 'a b': 'v' } }),
  },
  {
    name: 'client.stream: content type with CRLF',
    field: 'contentType',
    run: () => client.stream('/x', { contentType: 'application/json\r\nX: 1' }),
  },
  {
    name: 'client.stream: content type without a subtype',
    field: 'contentType',
    run: () => client.stream('/x', { contentType: 'json' }),
  },
  { name: 'client.create(undefined)', field: 'path', run: () => client.create(bad(undefined)) },
  { name: 'client.connect("")', field: 'path', run: () => client.connect('') },
  {
    name: 'client without baseUrl: relative path',
    field: 'path',
    run: () => new Client().stream('/x'),
  },
  // Stream handles and the static API
  { name: 'new Stream: url ""', field: 'url', run: () => new Stream({ url: '' }) },
  { name: 'new Stream: url "::::"', field: 'url', run: () => new Stream({ url: '::::' }) },
  { name: 'new Stream: file: URL', field: 'url', run: () => new Stream({ url: 'file:///tmp/x' }) },
  {
    name: 'new Stream: host:port without a scheme',
    field: 'url',
    run: () => new Stream({ url: 'localhost:4437/x' }),
  },
  { name: 'new Stream: url undefined', field: 'url', run: () => new Stream(bad({})) },
  { name: 'new Stream(undefined)', field: 'url', run: () => new Stream(bad(undefined)) },
  {
    name: 'new Stream: params an array',
    field: 'params',
    run: () => new Stream({ url: url(), params: bad([]) }),
  },
  {
    name: 'DurableStreams.create: bad url',
    field: 'url',
    run: () => DurableStreams.create({ url: 'nope', contentType: 'text/plain' }),
  },
  {
    name: 'DurableStreams.append: url ""',
    field: 'url',
    run: () => DurableStreams.append({ url: '', data: 'x' }),
  },
  {
    name: 'DurableStreams.read: file: URL',
    field: 'url',
    run: () => DurableStreams.read({ url: 'file:///x' }),
  },
  // Reads
  {
    name: 'readJson live "bogus"',
    field: 'live',
    run: () => json.readJson({ live: bad('bogus') }),
  },
  { name: 'readJson live true', field: 'live', run: () => json.readJson({ live: bad(true) }) },
  { name: 'read live "poll"', field: 'live', run: () => json.read({ live: bad('poll') }) },
  { name: 'readBytes live "SSE"', field: 'live', run: () => json.readBytes({ live: bad('SSE') }) },
  { name: 'readJson offset ""', field: 'offset', run: () => json.readJson({ offset: '' }) },
  {
    name: 'readJson offset a number',
    field: 'offset',
    run: () => json.readJson({ offset: bad(5) }),
  },
  {
    name: 'readJson offset with LF',
    field: 'offset',
    run: () => json.readJson({ offset: 'a\nb' }),
  },
  {
    name: 'readJson signal not a signal',
    field: 'signal',
    run: () => json.readJson({ signal: bad('x') }),
  },
  {
    name: 'readJson header name with a space',
    field: 'headers.x y',
    run: () => json.readJson({ headers: { 'x y': '1' } }),
  },
  {
    name: 'readJson param value an object',
    field: 'params.p',
    run: () => json.readJson({ params: bad({ p: {} }) }),
  },
  {
    name: 'readJson progressive "yes"',
    field: 'progressive',
    run: () => json.readJson({ progressive: bad('yes') }),
  },
  { name: 'readText(null)', field: 'options', run: () => text.readText(bad(null)) },
  { name: 'readAll offset a number', field: 'offset', run: () => json.readAll({ offset: bad(7) }) },
  {
    name: 'subscribe live "bogus"',
    field: 'live',
    run: () => json.subscribe({ live: bad('bogus') }, () => {}),
  },
  // Appends
  { name: 'append seq ""', field: 'seq', run: () => text.append('x', { seq: '' }) },
  { name: 'append seq with CRLF', field: 'seq', run: () => text.append('x', { seq: 'a\r\nb' }) },
  { name: 'append seq NaN', field: 'seq', run: () => text.append('x', { seq: NaN }) },
  {
    name: 'append header value with LF',
    field: 'headers.x-a',
    run: () => text.append('x', { headers: { 'x-a': 'b\nc' } }),
  },
  {
    name: 'append content type with LF',
    field: 'contentType',
    run: () => text.append('x', { contentType: 'text/plain\n' }),
  },
  {
    name: 'append retry unknown',
    field: 'retry',
    run: () => text.append('x', { retry: bad('always') }),
  },
  { name: 'append undefined to a JSON stream', field: 'data', run: () => json.append(undefined) },
  { name: 'append a function to a JSON stream', field: 'data', run: () => json.append(() => 1) },
  { name: 'append an object to a text stream', field: 'data', run: () => text.append({ a: 1 }) },
  { name: 'push an object to a text stream', field: 'data', run: () => text.push({ a: 1 }) },
  // Dynamic values: checked when evaluated, still before sending
  {
    name: 'header function returning an object',
    field: 'headers.x-a',
    run: () => text.append('x', { headers: { 'x-a': fn({ token: 1 }) } }),
  },
  {
    name: 'header function returning CRLF',
    field: 'headers.x-a',
    run: () => text.head({ headers: { 'x-a': fn('a\r\nb') } }),
  },
  {
    name: 'client header function returning a number',
    field: 'headers.authorization',
    run: () =>
      new Client({ baseUrl: raw.url, headers: { authorization: fn(7) } }).stream('/x').head(),
  },
  {
    name: 'param function returning a number',
    field: 'params.p',
    run: () => text.readText({ live: false, params: { p: fn(42) } }).toArray(),
  },
  // Other operations
  {
    name: 'head: empty header name',
    field: 'headers',
    run: () => text.head({ headers: { '': 'x' } }),
  },
  { name: 'delete: params an array', field: 'params', run: () => text.delete({ params: bad([]) }) },
  { name: 'close: seq an object', field: 'seq', run: () => text.close({ seq: bad({}) }) },
  {
    name: 'createStream: content type "bad"',
    field: 'contentType',
    run: () => text.createStream({ contentType: 'bad' }),
  },
  {
    name: 'createStream: ttlSeconds -1',
    field: 'ttlSeconds',
    run: () => text.createStream({ ttlSeconds: -1 }),
  },
  {
    name: 'createStream: expiresAt "nope"',
    field: 'expiresAt',
    run: () => text.createStream({ expiresAt: 'nope' }),
  },
  {
    name: 'createStream: closed "yes"',
    field: 'closed',
    run: () => text.createStream({ closed: bad('yes') }),
  },
  {
    name: 'createStream: forkOffset ""',
    field: 'forkOffset',
    run: () => text.createStream({ forkedFrom: '/j', forkOffset: '' }),
  },
  // Producers
  {
    name: 'producer: url ""',
    field: 'url',
    run: () => new IdempotentProducer({ url: '', producerId: 'p' }),
  },
  {
    name: 'producer: file: URL',
    field: 'url',
    run: () => new IdempotentProducer({ url: 'file:///x', producerId: 'p' }),
  },
  {
    name: 'producer: producerId ""',
    field: 'producerId',
    run: () => new IdempotentProducer({ url: url(), producerId: '' }),
  },
  {
    name: 'producer: header name with a space',
    field: 'headers.a b',
    run: () => new IdempotentProducer({ url: url(), producerId: 'p', headers: { 'a b': 'c' } }),
  },
  {
    name: 'producer: maxInFlight 0',
    field: 'maxInFlight',
    run: () => new IdempotentProducer({ url: url(), producerId: 'p', maxInFlight: 0 }),
  },
  {
    name: 'producer: client with path ""',
    field: 'path',
    run: () => new IdempotentProducer({ client, path: '', producerId: 'p' }),
  },
  {
    name: 'producer: bytes "1,2" on a JSON stream',
    field: 'data',
    run: () =>
      new IdempotentProducer({ stream: json, producerId: 'p' }).append(
        new TextEncoder().encode('1,2'),
      ),
  },
  {
    name: 'producer: a symbol on a JSON stream',
    field: 'data',
    run: () => new IdempotentProducer({ stream: json, producerId: 'p' }).append(Symbol('s')),
  },
  {
    name: 'producer: an object on a text stream',
    field: 'data',
    run: () => new IdempotentProducer({ stream: text, producerId: 'p' }).append({ a: 1 }),
  },
]

describe('good input that looks odd is accepted', () => {
  it('a stream path with a space (percent-encoded on the wire)', async () => {
    const s = client.stream('/my stream', { contentType: 'text/plain' })
    await s.append('x')
    expect(raw.requests.at(-1)!.url.pathname).toBe('/my%20stream')
  })

  it('header values with a tab, empty, or Latin-1 characters; IPv6 and unicode paths', async () => {
    const c = new Client({
      baseUrl: raw.url,
      headers: { 'x-tab': 'a\tb', 'x-empty': '', 'x-latin': 'caf\u00e9' },
    })
    try {
      await c.stream('/str\u00f6m/\u65e5', { contentType: 'text/plain' }).append('x')
      const req = raw.requests.at(-1)!
      expect(req.url.pathname).toBe('/str%C3%B6m/%E6%97%A5')
      expect(req.headers['x-tab']).toBe('a\tb')
      expect(req.headers['x-empty']).toBe('')
      expect(req.headers['x-latin']).toBe('caf\u00e9')
    } finally {
      await c.close()
    }
    expect(() => new Client({ baseUrl: 'http://[::1]:1/v1' })).not.toThrow()
  })
})

describe('bad input is refused at once, typed, and sends nothing', () => {
  it('the table has at least 60 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(60)
  })

  it.each(cases)('$name', async (c) => {
    const before = sent
    const requestsBefore = raw.requests.length
    const started = performance.now()
    let err: unknown
    try {
      const r = c.run()
      // Readers are lazy: a bad read option must throw when the reader is made, not later.
      if (r instanceof Promise) await r
    } catch (e) {
      err = e
    }
    const elapsed = performance.now() - started
    expect(err, 'expected an error').toBeInstanceOf(InvalidArgumentError)
    const e = err as InvalidArgumentError
    expect(e.code).toBe('INVALID_ARGUMENT')
    if (c.field !== undefined) expect(e.field.startsWith(c.field), e.field).toBe(true)
    expect(e.message.length).toBeGreaterThan(10)
    expect(elapsed).toBeLessThan(1_000) // no retries, no backoff (the client's first is 200 ms)
    expect(sent - before).toBe(0)
    expect(raw.requests.length - requestsBefore).toBe(0)
  })
})
