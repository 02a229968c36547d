/**
 * Ordering hazards found in review, each reproduced with a real server and a real `fetch`
 * that delays chosen requests: appends racing close(), a new epoch reordered on the wire,
 * and an auto-claim while an old-epoch batch is still in flight.
 */
import { afterAll, beforeAll, expect, it } from 'vitest'
import { Client, ClosedError, IdempotentProducer } from '../../src-shared/client/index.js'
import { startServer, type TestServer } from '../helpers/server.js'

let srv: TestServer
beforeAll(async () => {
  srv = await startServer()
})
afterAll(async () => {
  await srv.stop()
})

const JSON_CT = 'application/json'
const delay = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))
const header = (init: RequestInit, name: string): string | undefined =>
  (init.headers as Record<string, string>)[name]

it('appends made while close() is flushing are refused, never silently dropped', async () => {
  const url = srv.streamUrl('close-race')
  const client = new Client()
  await client.stream(url).createStream({ contentType: 'text/plain' })
  const p = new IdempotentProducer({
    client,
    path: url,
    producerId: 'p',
    contentType: 'text/plain',
    lingerMs: 50,
  })
  p.append('a')
  await p.flush()
  p.append('b')
  const closing = p.close()
  expect(() => p.append('late')).toThrow(ClosedError)
  const sync = p.appendAndWait('late-sync')
  await expect(sync).rejects.toBeInstanceOf(ClosedError)
  await closing
  const text = new TextDecoder().decode((await client.stream(url).readAll()) as Uint8Array)
  expect(text).toBe('ab')
})

it('pipelines from the first batch; seqs that overtake the seq 0 of a new epoch are resent behind it', async () => {
  const url = srv.streamUrl('epoch-reorder')
  // Reordering on the wire: every seq-0 request takes 300 ms longer to arrive (long enough
  // that the later seqs overtake it even on a loaded machine).
  let seqZeroAnswered = false
  let sentBeforeSeqZero = 0
  const client = new Client({
    fetch: async (input, init) => {
      const seq = header(init, 'producer-seq')
      if (seq === '0') {
        seqZeroAnswered = false
        await delay(300)
        const res = await fetch(input, init)
        seqZeroAnswered = true
        return res
      }
      if (seq !== undefined && !seqZeroAnswered) sentBeforeSeqZero++
      return fetch(input, init)
    },
  })
  await client.stream(url).createStream({ contentType: JSON_CT })
  const retries: string[] = []
  for (const epoch of [0, 1]) {
    const p = new IdempotentProducer({
      client,
      path: url,
      producerId: 'svc',
      epoch,
      contentType: JSON_CT,
      lingerMs: 0,
      maxBatchItems: 1,
      maxInFlight: 5,
    })
    p.on('retry', (r) => retries.push(`${r.epoch}:${r.reason}`))
    for (let i = 0; i < 5; i++) p.append({ epoch, i })
    await p.close()
  }
  const all = (await client.stream(url).readAll()) as Array<{ epoch: number; i: number }>
  expect(all).toEqual([0, 1].flatMap((epoch) => [0, 1, 2, 3, 4].map((i) => ({ epoch, i }))))
  // Later seqs did go out while seq 0 was slow (no waiting for the first ack)...
  expect(sentBeforeSeqZero).toBeGreaterThanOrEqual(8)
  // ...and were refused without harm: 409 for the unknown producer, 400 for the new epoch.
  expect(retries.some((r) => r.startsWith('0:sequence gap'))).toBe(true)
  expect(
    retries.some((r) => r === '1:400 before the epoch was acknowledged: resent behind seq 0'),
  ).toBe(true)
})

it('a 400 for a batch sent after the epoch was acknowledged is fatal, not retried', async () => {
  const url = srv.streamUrl('real-400')
  let posts = 0
  const client = new Client({
    fetch: (input, init) => {
      if (init.method === 'POST') posts++
      return fetch(input, init)
    },
  })
  await client.stream(url).createStream({ contentType: JSON_CT })
  const p = new IdempotentProducer({
    client,
    path: url,
    producerId: 'r',
    contentType: JSON_CT,
    lingerMs: 0,
    maxBatchItems: 1,
  })
  p.append('first')
  await p.flush() // acknowledged: the epoch is confirmed
  srv.server.injectFault(srv.pathOf(url), { status: 400, count: 1, method: 'POST' })
  p.append('second')
  await expect(p.close()).rejects.toMatchObject({ name: 'BadRequestError' })
  expect(posts).toBe(2)
  expect(await client.stream(url).readJson({ live: false }).toArray()).toEqual(['first'])
})

it('autoClaim does not rewrite a batch the old epoch stored while its response was slow', async () => {
  const url = srv.streamUrl('claim-inflight')
  let injected = false
  const client = new Client({
    fetch: async (input, init) => {
      const id = header(init, 'producer-id')
      const epoch = header(init, 'producer-epoch')
      const seq = header(init, 'producer-seq')
      if (id === 'A' && epoch === '0' && seq === '0') {
        const res = await fetch(input, init) // stored by the server at epoch 0...
        await delay(150) // ...but its answer is slow
        return res
      }
      if (id === 'A' && epoch === '0' && seq === '1' && !injected) {
        injected = true // a restarted instance of A takes epoch 1 first
        await fetch(input, {
          method: 'POST',
          headers: {
            'content-type': JSON_CT,
            'producer-id': 'A',
            'producer-epoch': '1',
            'producer-seq': '0',
          },
          body: '["from-epoch-1"]',
        })
      }
      return fetch(input, init)
    },
  })
  await client.stream(url).createStream({ contentType: JSON_CT })
  const p = new IdempotentProducer({
    client,
    path: url,
    producerId: 'A',
    autoClaim: true,
    contentType: JSON_CT,
    lingerMs: 0,
    maxBatchItems: 1,
    maxInFlight: 2,
  })
  const epochs: number[] = []
  p.on('epoch', (e) => epochs.push(e.epoch))
  p.append('j')
  p.append('k')
  await p.close()
  expect(await client.stream(url).readAll()).toEqual(['j', 'from-epoch-1', 'k'])
  expect(epochs).toEqual([2])
})

it('after a fatal error close() rejects, closed is true, and nothing more is sent', async () => {
  const url = srv.streamUrl('fatal-stop')
  let posts = 0
  const client = new Client({
    retry: { maxRetries: 5, initialDelayMs: 200, maxDelayMs: 200 },
    fetch: (input, init) => {
      if (init.method === 'POST') posts++
      return fetch(input, init)
    },
  })
  await client.stream(url).createStream({ contentType: JSON_CT })
  srv.server.injectFault(srv.pathOf(url), { status: 400, count: 1, method: 'POST' })
  const p = new IdempotentProducer({
    client,
    path: url,
    producerId: 'f',
    contentType: JSON_CT,
    lingerMs: 0,
    maxBatchItems: 1,
  })
  p.append(1)
  await expect(p.close()).rejects.toMatchObject({ name: 'BadRequestError' })
  expect(p.closed).toBe(true)
  const after = posts
  await delay(300)
  expect(posts).toBe(after)
})
