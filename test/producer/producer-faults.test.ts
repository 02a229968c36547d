/**
 * Exactly-once under faults: the real server's fault injection (5xx, 429 + Retry-After,
 * delays with jitter) plus a proxy that loses responses after the server stored the data.
 * Every message must be on the stream exactly once, in append order.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Client, IdempotentProducer } from '../../src-shared/client/index.js'
import { startChaosProxy, type ChaosProxy } from '../helpers/chaos-proxy.js'
import { startServer, type TestServer } from '../helpers/server.js'

let srv: TestServer
let proxy: ChaosProxy

beforeAll(async () => {
  srv = await startServer()
  proxy = await startChaosProxy(srv.url)
})
afterAll(async () => {
  await proxy.close()
  await srv.stop()
})

const N = 10_000
const retry = { maxRetries: 30, initialDelayMs: 5, maxDelayMs: 40, multiplier: 2 }

/** Whether the server still holds an unconsumed fault for `path` (reads its private table). */
function faultPending(path: string): boolean {
  const internals = srv.server as unknown as { injectedFaults: Map<string, unknown> }
  return internals.injectedFaults.has(path)
}

type Fault = Parameters<TestServer['server']['injectFault']>[1]

/** Every kind of fault the issue names, staged one after another during a run. */
const SCHEDULE: Fault[] = [
  { status: 500, count: 1, method: 'POST' },
  { status: 503, count: 2, method: 'POST' },
  { delayMs: 10, jitterMs: 40, count: 3, method: 'POST' },
  { dropConnection: true, count: 1, method: 'POST' },
  { status: 429, retryAfter: 1, count: 1, method: 'POST' },
  { status: 500, count: 2, method: 'POST' },
  { delayMs: 30, jitterMs: 30, count: 2, method: 'POST' },
  { status: 503, count: 1, method: 'POST' },
]

describe.each([
  { contentType: 'application/json', maxInFlight: 1 },
  { contentType: 'application/json', maxInFlight: 5 },
  { contentType: 'application/octet-stream', maxInFlight: 1 },
  { contentType: 'application/octet-stream', maxInFlight: 5 },
])('exactly once: $contentType, maxInFlight $maxInFlight', ({ contentType, maxInFlight }) => {
  const json = contentType === 'application/json'

  it('every message exactly once, in order, through every kind of fault', async () => {
    const name = `x-${json ? 'j' : 'b'}-${maxInFlight}`
    const direct = new Client({ baseUrl: srv.url, retry })
    const streamUrl = srv.streamUrl(name)
    const path = srv.pathOf(streamUrl)
    await direct.create(path, { contentType })
    // Writes go through the chaos proxy; reads go straight to the server.
    const viaProxy = new Client({ baseUrl: proxy.url, retry })
    let n = 0
    proxy.statuses.clear()
    proxy.dropped = 0
    proxy.shouldDrop = (req) => req.method === 'POST' && req.url === path && ++n % 7 === 3
    const producer = new IdempotentProducer({
      client: viaProxy,
      path,
      producerId: `p-${name}`,
      contentType,
      maxInFlight,
      maxBatchBytes: 1024, // ~100 batches, so faults hit many of them
      lingerMs: 1,
    })
    const retries: string[] = []
    producer.on('retry', (e) => retries.push(e.reason))
    const started = Date.now()
    let acks = 0
    let staged = 0
    producer.on('ack', () => {
      if (++acks % 4 === 0 && staged < SCHEDULE.length && !faultPending(path)) {
        srv.server.injectFault(path, SCHEDULE[staged++]!)
      }
    })
    for (let i = 0; i < N; i++) {
      producer.append(json ? { i } : `${String(i).padStart(6, '0')}\n`)
      // Append in bursts while earlier batches are in flight, as a real producer would.
      if (i % 200 === 199) await new Promise((r) => setTimeout(r, 2))
    }
    await producer.close()
    proxy.shouldDrop = () => false

    const back = await direct.stream(path).readAll()
    if (json) {
      const values = (back as Array<{ i: number }>).map((m) => m.i)
      expect(values.length).toBe(N)
      expect(values).toEqual(Array.from({ length: N }, (_, i) => i))
    } else {
      const lines = new TextDecoder()
        .decode(back as Uint8Array)
        .split('\n')
        .filter(Boolean)
      expect(lines.length).toBe(N)
      expect(lines).toEqual(Array.from({ length: N }, (_, i) => String(i).padStart(6, '0')))
    }
    const stats = producer.stats
    expect(stats.acked).toBe(N)
    expect(stats.queued).toBe(0)
    expect(stats.inFlight).toBe(0)
    // The faults really happened: responses were lost and retried as duplicates.
    expect(proxy.dropped).toBeGreaterThan(0)
    expect(stats.duplicates).toBeGreaterThan(0)
    expect(retries.length).toBeGreaterThan(0)
    expect(staged).toBe(SCHEDULE.length)
    expect(faultPending(path)).toBe(false) // every staged fault was actually consumed
    for (const status of [500, 503, 429]) expect(proxy.statuses.get(status) ?? 0).toBeGreaterThan(0)
    expect(Date.now() - started).toBeGreaterThanOrEqual(950) // Retry-After: 1 was honoured
    srv.server.clearInjectedFaults()
    await viaProxy.close()
    await direct.close()
  }, 60_000)
})

describe('fault kinds one by one', () => {
  it.each([
    { name: '500 twice', fault: { status: 500, count: 2 } },
    { name: '503 once', fault: { status: 503, count: 1 } },
    { name: '429 with Retry-After: 1', fault: { status: 429, count: 1, retryAfter: 1 } },
    { name: 'dropped connection before processing', fault: { dropConnection: true, count: 2 } },
    { name: 'delay with jitter', fault: { delayMs: 50, jitterMs: 50, count: 3 } },
  ])('$name: every message once, in order', async ({ fault }) => {
    const url = srv.streamUrl('kind')
    const client = new Client({ retry })
    await client.stream(url).createStream({ contentType: 'application/json' })
    srv.server.injectFault(srv.pathOf(url), { ...fault, method: 'POST' })
    const p = new IdempotentProducer({
      client,
      path: url,
      producerId: 'k',
      contentType: 'application/json',
      maxBatchItems: 10,
    })
    const started = Date.now()
    for (let i = 0; i < 100; i++) p.append(i)
    await p.close()
    const elapsed = Date.now() - started
    if ('retryAfter' in fault) expect(elapsed).toBeGreaterThanOrEqual(900)
    expect(await client.stream(url).readAll()).toEqual(Array.from({ length: 100 }, (_, i) => i))
    expect(p.stats.retries).toBeGreaterThan(0)
  })
})
