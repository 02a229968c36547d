/**
 * `setDefaultEngine` applies to everything created afterwards — also handles made without a
 * `Client` (a `Stream`, `DurableStreams.*`, an `IdempotentProducer` given a URL, readers),
 * which share one default transport. Handles created before keep the engine they were given.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import {
  Client,
  DurableStreams,
  IdempotentProducer,
  Stream,
  fetchEngine,
  setDefaultEngine,
  type HttpEngine,
} from '../../src-shared/client/node.js'
// Internal: only to put back exactly the engine test/setup registered.
import { getDefaultEngine } from '../../src-shared/client/engine.js'
import { startServer, type TestServer } from '../helpers/server.js'

let srv: TestServer
const registered = getDefaultEngine()
beforeAll(async () => {
  srv = await startServer()
})
afterAll(async () => {
  setDefaultEngine(registered)
  await srv.stop()
})
afterEach(() => setDefaultEngine(registered))

/** An engine over the global fetch that records the method and path of each request. */
function countingEngine(): { engine: HttpEngine; seen: string[] } {
  const seen: string[] = []
  const inner = fetchEngine((input, init) => globalThis.fetch(input, init))
  return {
    seen,
    engine: (req) => {
      seen.push(`${req.method} ${new URL(req.url).pathname}`)
      return inner(req)
    },
  }
}

describe('setDefaultEngine', () => {
  it('applies to handles without a client created after it, also once the default was used', async () => {
    // Use the default transport first, with the engine test/setup registered (node:http).
    const before = await DurableStreams.create({
      url: srv.streamUrl('before'),
      contentType: 'application/json',
    })
    await before.append({ n: 0 })

    const a = countingEngine()
    setDefaultEngine(a.engine)

    const url = srv.streamUrl('after')
    const path = new URL(url).pathname
    const s = await DurableStreams.create({ url, contentType: 'application/json' })
    await s.append({ n: 1 })
    await DurableStreams.append({ url, data: { n: 2 } })
    const producer = new IdempotentProducer({
      url,
      producerId: 'p',
      contentType: 'application/json',
    })
    producer.append({ n: 3 })
    await producer.close()
    expect(await new Stream({ url }).readJson({ live: false }).toArray()).toEqual([
      { n: 1 },
      { n: 2 },
      { n: 3 },
    ])
    expect(await DurableStreams.read({ url })).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }])

    expect(a.seen).toContain(`PUT ${path}`)
    expect(a.seen.filter((r) => r === `POST ${path}`)).toHaveLength(3)
    expect(a.seen.filter((r) => r.startsWith('GET ') && r.endsWith(path))).toHaveLength(2)

    // A handle created before keeps its engine: nothing it sends reaches the new one.
    const n = a.seen.length
    await before.append({ n: 4 })
    expect(a.seen).toHaveLength(n)

    // A second registration applies again; `undefined` goes back to the global fetch.
    const b = countingEngine()
    setDefaultEngine(b.engine)
    await new Stream({ url }).head()
    expect(b.seen).toEqual([`HEAD ${path}`])
    expect(a.seen).toHaveLength(n)
    setDefaultEngine(undefined)
    await new Stream({ url }).head()
    expect(b.seen).toHaveLength(1)
  })

  it('applies to clients created after it, not to clients created before', async () => {
    const early = new Client({ baseUrl: srv.url })
    const a = countingEngine()
    setDefaultEngine(a.engine)
    const late = new Client({ baseUrl: srv.url })
    const path = new URL(srv.streamUrl('clients')).pathname
    await late.create(path, { contentType: 'text/plain' })
    await early.stream(path).append('x')
    expect(a.seen).toEqual([`PUT ${path}`])
    await early.close()
    await late.close()
  })
})
