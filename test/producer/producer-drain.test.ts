/**
 * Issue #11, defect 6: while every `maxInFlight` slot is busy (an outage, a slow server) the
 * producer keeps filling the open batch instead of sealing a tiny batch every linger window,
 * so the backlog drains in a few large requests once the server answers again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Client, IdempotentProducer } from '../../src-shared/client/index.js'
import { startServer, type TestServer } from '../helpers/server.js'

let srv: TestServer
let client: Client
beforeAll(async () => {
  srv = await startServer()
  client = new Client({ baseUrl: srv.url })
})
afterAll(async () => {
  await client.close()
  await srv.stop()
})

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

describe('draining after an outage', () => {
  it('messages appended while all slots are stuck go out in a few full batches', async () => {
    const url = srv.streamUrl('drain')
    const stream = await client.create(url, { contentType: 'application/json' })
    const producer = new IdempotentProducer({
      stream,
      producerId: 'drain',
      maxInFlight: 2,
      lingerMs: 5,
      maxBatchItems: 1_000,
    })
    producer.append({ i: -1 })
    await producer.flush() // seq 0 acknowledged: pipelining from here
    const before = producer.stats.batches
    // The outage: both slots' requests stall for 1 s at the server.
    srv.server.injectFault(srv.pathOf(url), { delayMs: 1_000, count: 2, method: 'POST' })
    const total = 2_000
    const started = performance.now()
    for (let i = 0; i < total; i++) {
      producer.append({ i })
      // ~4 messages per ms, spread over the outage (many linger windows).
      if (i % 8 === 7) await sleep(2)
    }
    await producer.close()
    const elapsed = performance.now() - started
    const batches = producer.stats.batches - before
    // Before the fix every 5 ms linger window sealed its own batch (~100-200 batches here).
    // Now: the 2 stuck ones (a few messages each), then full ones of at most 1,000 messages.
    expect(batches).toBeLessThanOrEqual(8)
    expect(batches).toBeGreaterThanOrEqual(Math.ceil(total / 1_000))
    expect(elapsed).toBeLessThan(15_000)
    const items = (await stream.readJson({ live: false }).toArray()) as Array<{ i: number }>
    expect(items.map((m) => m.i)).toEqual([-1, ...Array.from({ length: total }, (_, i) => i)])
  }, 30_000)

  it('with a free slot the linger window still seals small batches at once', async () => {
    const url = srv.streamUrl('linger')
    const stream = await client.create(url, { contentType: 'application/json' })
    const producer = new IdempotentProducer({ stream, producerId: 'linger', lingerMs: 5 })
    const acked = new Promise<number>((resolve) => {
      const started = performance.now()
      producer.on('ack', () => resolve(performance.now() - started))
    })
    producer.append({ one: 1 })
    expect(await acked).toBeLessThan(2_000)
    expect(producer.stats.batches).toBe(1)
    await producer.close()
  })
})
