/**
 * Issue #11, defect 2: on a JSON stream one `producer.append(bytes)` is one message. Bytes that
 * are not exactly one JSON value are refused at append time (InvalidArgumentError, nothing
 * queued, the producer goes on), instead of being split into several messages or poisoning the
 * batch they were framed into.
 */
import { describe, expect, it } from 'vitest'
import { IdempotentProducer, InvalidArgumentError } from '../../src-shared/client/index.js'
import { client, rec, srv, useLiveServer } from '../helpers/live-server.js'

useLiveServer()

const enc = new TextEncoder()

async function jsonStream(): Promise<string> {
  const url = srv.streamUrl('json-bytes')
  await client.create(url, { contentType: 'application/json' })
  return url
}
/** The stream's content type is known to the producer, so bytes are checked at append. */
const JSON_T = { contentType: 'application/json' }

describe('raw bytes appended to a JSON stream by a producer', () => {
  it.each([
    ['1,2', 'two values separated by a comma'],
    ['{"x":1},{"y":2}', 'two objects'],
    ['not json', 'not JSON at all'],
    ['{"x":1', 'a truncated object'],
    ['  ', 'whitespace only'],
    ['1 2', 'two values separated by a space'],
    ['\uFEFF{"x":1}', 'a byte-order mark before the value'],
  ])('%j (%s) is refused at append; the other messages are written', async (text) => {
    const url = await jsonStream()
    const p = new IdempotentProducer({ client, path: url, producerId: 'bytes', ...JSON_T })
    p.append({ before: true })
    const posts = () => rec.requests.filter((r) => r.method === 'POST' && r.url.startsWith(url))
    expect(() => p.append(enc.encode(text))).toThrow(InvalidArgumentError)
    try {
      p.append(enc.encode(text))
    } catch (err) {
      expect((err as InvalidArgumentError).field).toBe('data')
      expect((err as Error).message).toMatch(/one JSON value|empty/i)
    }
    p.append(enc.encode('{"after":true}'))
    await p.close()
    expect(p.stats.lastError).toBeUndefined()
    const items = await client.stream(url).readJson({ live: false }).toArray()
    expect(items).toEqual([{ before: true }, { after: true }])
    expect(posts().length).toBeGreaterThan(0)
  })

  it('invalid UTF-8 is refused as such', async () => {
    const url = await jsonStream()
    const p = new IdempotentProducer({ client, path: url, producerId: 'utf8', ...JSON_T })
    expect(() => p.append(new Uint8Array([0x22, 0xff, 0x22]))).toThrow(/UTF-8/)
    await p.close()
  })

  it('one JSON value as bytes (an array too) is exactly one message', async () => {
    const url = await jsonStream()
    await IdempotentProducer.open({ client, path: url, producerId: 'one', ...JSON_T }, (p) => {
      p.append(enc.encode('[1,2]'))
      p.append(enc.encode(' {"x":1} '))
      p.append(enc.encode('"é"'))
      p.append(3)
    })
    const items = await client.stream(url).readJson({ live: false }).toArray()
    expect(items).toEqual([[1, 2], { x: 1 }, 'é', 3])
  })

  it('appendAndWait rejects such bytes without stopping the producer', async () => {
    const url = await jsonStream()
    const p = new IdempotentProducer({ client, path: url, producerId: 'sync', ...JSON_T })
    await expect(p.appendAndWait(enc.encode('1,2'))).rejects.toBeInstanceOf(InvalidArgumentError)
    await expect(p.appendAndWait({ ok: 1 })).resolves.toMatchObject({ duplicate: false })
    await p.close()
    expect(await client.stream(url).readJson({ live: false }).toArray()).toEqual([{ ok: 1 }])
  })

  it('content type not known yet: the held bytes fail as InvalidArgumentError, not a 400', async () => {
    const url = await jsonStream()
    const p = new IdempotentProducer({ client, path: url, producerId: 'held' })
    p.append(enc.encode('1,2')) // held until a HEAD tells the producer the content type
    const err = await p.close().then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(err).toBeInstanceOf(InvalidArgumentError)
    // Nothing was split into two messages.
    expect(await client.stream(url).readJson({ live: false }).toArray()).toEqual([])
  })
})
