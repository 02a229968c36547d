/**
 * IdempotentProducer behaviour against a real server: batching limits, ordering, results,
 * stats and events, close/detach semantics, option validation and resource cleanup.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  Client,
  ClosedError,
  IdempotentProducer,
  InvalidArgumentError,
  StreamClosedError,
  validateProducerOptions,
} from '../../src-shared/client/index.js'
import { startServer, type TestServer } from '../helpers/server.js'

let srv: TestServer
beforeAll(async () => {
  srv = await startServer()
})
afterAll(async () => {
  await srv.stop()
})

/** A real fetch that records every POST body it sends. */
function recordingClient(): {
  client: Client
  posts: Array<{ headers: Record<string, string>; body: string }>
} {
  const posts: Array<{ headers: Record<string, string>; body: string }> = []
  const client = new Client({
    fetch: async (input, init) => {
      if (init.method === 'POST') {
        const body = init.body
        posts.push({
          headers: { ...(init.headers as Record<string, string>) },
          body: typeof body === 'string' ? body : new TextDecoder().decode(body as Uint8Array),
        })
      }
      return fetch(input, init)
    },
  })
  return { client, posts }
}

async function jsonStream(): Promise<string> {
  const url = srv.streamUrl('pj')
  await new Client().stream(url).createStream({ contentType: 'application/json' })
  return url
}

describe('option validation', () => {
  it.each([
    [{ producerId: '' }, 'producerId'],
    [{ producerId: 'p', epoch: -1 }, 'epoch'],
    [{ producerId: 'p', epoch: 1.5 }, 'epoch'],
    [{ producerId: 'p', maxBatchBytes: 0 }, 'maxBatchBytes'],
    [{ producerId: 'p', maxBatchItems: 0 }, 'maxBatchItems'],
    [{ producerId: 'p', lingerMs: -1 }, 'lingerMs'],
    [{ producerId: 'p', maxInFlight: 0 }, 'maxInFlight'],
  ])('%j is rejected naming %s', (opts, field) => {
    expect(() => validateProducerOptions(opts)).toThrow(InvalidArgumentError)
    try {
      new IdempotentProducer({ url: 'http://127.0.0.1:1/x', ...opts })
      expect.unreachable()
    } catch (err) {
      expect(err).toBeInstanceOf(InvalidArgumentError)
      expect((err as InvalidArgumentError).field).toBe(field)
      expect((err as Error).message).toContain(field)
    }
  })

  it('requires a target', () => {
    expect(() => new IdempotentProducer({ producerId: 'p' })).toThrow(/url, a stream, or a client/)
  })

  it('accepts defaults', () => {
    expect(validateProducerOptions({ producerId: 'p' })).toMatchObject({
      epoch: 0,
      autoClaim: false,
      maxBatchBytes: 1_048_576,
      lingerMs: 5,
      maxInFlight: 5,
    })
  })
})

describe('batching', () => {
  it('sends JSON batches as one array, never above maxBatchBytes, seq per batch from 0', async () => {
    const url = await jsonStream()
    const { client, posts } = recordingClient()
    const p = new IdempotentProducer({
      client,
      path: url,
      producerId: 'b1',
      contentType: 'application/json',
      maxBatchBytes: 200,
      maxInFlight: 1,
    })
    const values = Array.from({ length: 50 }, (_, i) => ({ i, s: 'abcdefghij' }))
    for (const v of values) p.append(v)
    await p.close()
    expect(posts.length).toBeGreaterThan(5)
    posts.forEach((post, i) => {
      expect(new TextEncoder().encode(post.body).length).toBeLessThanOrEqual(200)
      expect(post.headers['producer-seq']).toBe(String(i))
      expect(post.headers['producer-epoch']).toBe('0')
      expect(post.headers['producer-id']).toBe('b1')
      expect(Array.isArray(JSON.parse(post.body))).toBe(true)
    })
    expect(await client.stream(url).readAll()).toEqual(values)
    expect(p.stats).toMatchObject({
      acked: 50,
      batches: posts.length,
      queued: 0,
      inFlight: 0,
      duplicates: 0,
    })
  })

  it('honours maxBatchItems and sends an oversized message alone', async () => {
    const url = srv.streamUrl('pb')
    const { client, posts } = recordingClient()
    await client.stream(url).createStream({ contentType: 'text/plain' })
    const p = new IdempotentProducer({
      client,
      path: url,
      producerId: 'b2',
      contentType: 'text/plain',
      maxBatchBytes: 10,
      maxBatchItems: 3,
    })
    for (const m of ['a', 'b', 'c', 'd']) p.append(m)
    p.append('0123456789ABCDEF') // 16 bytes > maxBatchBytes
    p.append('e')
    await p.flush()
    expect(posts.map((x) => x.body)).toEqual(['abc', 'd', '0123456789ABCDEF', 'e'])
    await p.close()
    const text = new TextDecoder().decode((await client.stream(url).readAll()) as Uint8Array)
    expect(text).toBe('abcd0123456789ABCDEFe')
  })

  it('lingers to batch appends made across a short window', async () => {
    const url = await jsonStream()
    const { client, posts } = recordingClient()
    const p = new IdempotentProducer({
      client,
      path: url,
      producerId: 'b3',
      contentType: 'application/json',
      lingerMs: 30,
    })
    p.append(1)
    await new Promise((r) => setTimeout(r, 5))
    p.append(2)
    await p.flush()
    expect(posts.length).toBe(1)
    expect(JSON.parse(posts[0]!.body)).toEqual([1, 2])
    await p.close()
  })
})

describe('results, stats and events', () => {
  it('appendAndWait resolves with the batch offset, epoch and seq', async () => {
    const url = await jsonStream()
    const p = new IdempotentProducer({
      url,
      producerId: 'r1',
      contentType: 'application/json',
      epoch: 2,
    })
    const acks: number[] = []
    const off = p.on('ack', (e) => acks.push(e.seq))
    const r1 = await p.appendAndWait({ n: 1 })
    const r2 = await p.appendAndWait({ n: 2 })
    expect(r1).toMatchObject({ duplicate: false, epoch: 2, seq: 0 })
    expect(r2).toMatchObject({ duplicate: false, epoch: 2, seq: 1 })
    expect(r2.nextOffset! > r1.nextOffset!).toBe(true)
    expect(acks).toEqual([0, 1])
    off()
    await p.appendAndWait(3)
    expect(acks).toEqual([0, 1])
    expect(p.stats.lastOffset).toBeDefined()
    expect(p.epoch).toBe(2)
    expect(p.seq).toBe(3)
    await p.close()
  })

  it('reports a duplicate when the same epoch and seq are replayed', async () => {
    const url = await jsonStream()
    const first = new IdempotentProducer({
      url,
      producerId: 'dup',
      contentType: 'application/json',
      maxBatchItems: 2,
    })
    first.append('a')
    first.append('b')
    await first.close()
    // A restarted instance that forgot to bump its epoch replays seq 0: the server dedupes it.
    const replay = new IdempotentProducer({
      url,
      producerId: 'dup',
      contentType: 'application/json',
      maxBatchItems: 2,
    })
    const dups: number[] = []
    replay.on('duplicate', (e) => dups.push(e.seq))
    const [r] = await Promise.all([replay.appendAndWait('a'), replay.appendAndWait('b')])
    await replay.close()
    expect(r.duplicate).toBe(true)
    expect(dups).toEqual([0])
    expect(replay.stats.duplicates).toBe(1)
    expect(await new Client().stream(url).readAll()).toEqual(['a', 'b'])
  })
})

describe('former names (deprecated aliases)', () => {
  it('push queues like append and chains; appendSync waits like appendAndWait', async () => {
    const url = srv.streamUrl('aliases')
    await new Client().stream(url).createStream({ contentType: 'text/plain' })
    const p = new IdempotentProducer({ url, producerId: 'old-names', contentType: 'text/plain' })
    expect(p.push('a').push('b')).toBe(p)
    const r = await p.appendSync('c')
    expect(r).toMatchObject({ duplicate: false, epoch: 0, seq: 0 })
    expect(p.seq).toBe(1) // a, b and c went in one batch: push only queued
    expect(() => p.push('')).toThrow(InvalidArgumentError)
    await p.close()
    await expect(p.appendSync('d')).rejects.toBeInstanceOf(ClosedError)
    const text = new TextDecoder().decode((await new Client().stream(url).readAll()) as Uint8Array)
    expect(text).toBe('abc')
  })
})

describe('lifecycle', () => {
  it('close() flushes; a second close is a no-op; append after close throws ClosedError', async () => {
    const url = await jsonStream()
    const p = new IdempotentProducer({ url, producerId: 'c1', contentType: 'application/json' })
    p.append(1)
    const a = p.close()
    const b = p.close()
    expect(await a).toEqual(await b)
    expect(p.closed).toBe(true)
    expect(() => p.append(2)).toThrow(ClosedError)
    await expect(p.appendAndWait(2)).rejects.toBeInstanceOf(ClosedError)
    expect(await new Client().stream(url).readAll()).toEqual([1])
  })

  it('refuses an empty message with InvalidArgumentError and keeps working', async () => {
    const url = srv.streamUrl('empty-msg')
    await new Client().stream(url).createStream({ contentType: 'text/plain' })
    const p = new IdempotentProducer({ url, producerId: 'e1', contentType: 'text/plain' })
    expect(() => p.append('')).toThrow(InvalidArgumentError)
    expect(() => p.append(new Uint8Array(0))).toThrow(/at least one byte/)
    await expect(p.appendAndWait('')).rejects.toMatchObject({ field: 'data' })
    p.append('a')
    await p.close()
    expect(new TextDecoder().decode((await new Client().stream(url).readAll()) as Uint8Array)).toBe(
      'a',
    )
    const json = new IdempotentProducer({
      url: await jsonStream(),
      producerId: 'e2',
      contentType: 'application/json',
    })
    expect(() => json.append(new Uint8Array(0))).toThrow(/must hold a JSON value/)
    json.append('')
    await json.close()
  })

  it('close({ closeStream, finalData }) closes the stream atomically with the last message', async () => {
    const url = await jsonStream()
    const p = new IdempotentProducer({ url, producerId: 'c2', contentType: 'application/json' })
    p.append('x')
    const { finalOffset } = await p.close({ closeStream: true, finalData: { done: true } })
    const s = new Client().stream(url)
    const head = await s.head()
    expect(head.closed).toBe(true)
    expect(head.nextOffset).toBe(finalOffset)
    expect(await s.readAll()).toEqual(['x', { done: true }])
    await expect(s.append('late')).rejects.toBeInstanceOf(StreamClosedError)
  })

  it('detach() flushes and stops without closing the stream', async () => {
    const url = await jsonStream()
    const p = new IdempotentProducer({ url, producerId: 'c3', contentType: 'application/json' })
    p.append('kept')
    await p.detach()
    expect(p.closed).toBe(true)
    expect((await new Client().stream(url).head()).closed).toBe(false)
    expect(await new Client().stream(url).readAll()).toEqual(['kept'])
  })

  it('a closed stream stops the producer with StreamClosedError from flush and the error event', async () => {
    const url = await jsonStream()
    await new Client().stream(url).close()
    const p = new IdempotentProducer({ url, producerId: 'c4', contentType: 'application/json' })
    const errors: Error[] = []
    p.on('error', (e) => errors.push(e))
    p.append('nope')
    await expect(p.flush()).rejects.toBeInstanceOf(StreamClosedError)
    expect(errors[0]).toBeInstanceOf(StreamClosedError)
    expect(p.stats.lastError).toBeInstanceOf(StreamClosedError)
    expect(() => p.append('again')).toThrow(StreamClosedError)
    await expect(p.close()).rejects.toBeInstanceOf(StreamClosedError)
  })

  it('IdempotentProducer.open flushes and closes; await using closes at scope end', async () => {
    const url = await jsonStream()
    let kept: IdempotentProducer | undefined
    await IdempotentProducer.open(
      { url, producerId: 'o1', contentType: 'application/json' },
      (p) => {
        kept = p
        p.append(1)
      },
    )
    expect(kept?.closed).toBe(true)
    {
      await using p2 = new IdempotentProducer({
        url,
        producerId: 'o2',
        contentType: 'application/json',
      })
      p2.append(2)
      kept = p2
    }
    expect(kept.closed).toBe(true)
    expect(await new Client().stream(url).readAll()).toEqual([1, 2])
  })

  it('learns the content type with one HEAD when not given, holding messages meanwhile', async () => {
    const url = await jsonStream()
    const p = new IdempotentProducer({ url, producerId: 'h1' })
    p.append({ a: 1 })
    p.append('two')
    await p.close()
    expect(await new Client().stream(url).readAll()).toEqual([{ a: 1 }, 'two'])
  })

  it('leaves no timers or abort listeners behind after close and detach', async () => {
    const url = await jsonStream()
    const ac = new AbortController()
    let listeners = 0
    const add = ac.signal.addEventListener.bind(ac.signal)
    const remove = ac.signal.removeEventListener.bind(ac.signal)
    ac.signal.addEventListener = ((...args: Parameters<AbortSignal['addEventListener']>) => {
      listeners++
      add(...args)
    }) as AbortSignal['addEventListener']
    ac.signal.removeEventListener = ((...args: Parameters<AbortSignal['removeEventListener']>) => {
      listeners--
      remove(...args)
    }) as AbortSignal['removeEventListener']
    const timersBefore = process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length
    const p = new IdempotentProducer({
      url,
      producerId: 'l1',
      contentType: 'application/json',
      lingerMs: 50,
      signal: ac.signal,
    })
    p.append(1) // starts the linger timer
    expect(listeners).toBe(1)
    await p.close()
    const q = new IdempotentProducer({
      url,
      producerId: 'l2',
      contentType: 'application/json',
      lingerMs: 50,
      signal: ac.signal,
    })
    q.append(2)
    await q.detach()
    expect(listeners).toBe(0)
    const timersAfter = process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length
    expect(timersAfter).toBeLessThanOrEqual(timersBefore)
  })

  it('aborting the signal stops the producer with AbortError', async () => {
    const url = await jsonStream()
    const ac = new AbortController()
    const p = new IdempotentProducer({
      url,
      producerId: 'ab',
      contentType: 'application/json',
      lingerMs: 1000,
      signal: ac.signal,
    })
    p.append(1)
    ac.abort()
    await expect(p.flush()).rejects.toMatchObject({ name: 'AbortError', code: 'ABORTED' })
    expect(p.closed).toBe(true)
    expect(await new Client().stream(url).readAll()).toEqual([])
  })
})
