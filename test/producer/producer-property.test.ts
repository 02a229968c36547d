/**
 * Property: whatever the message sizes, batch limits, linger and pipelining, the stream's
 * content equals the appended sequence, exactly once, in order.
 */
import fc from 'fast-check'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { Client, IdempotentProducer } from '../../src-shared/client/index.js'
import { startServer, type TestServer } from '../helpers/server.js'

let srv: TestServer
beforeAll(async () => {
  srv = await startServer()
})
afterAll(async () => {
  await srv.stop()
})

it('stream content equals the appended sequence (JSON and bytes)', async () => {
  let run = 0
  await fc.assert(
    fc.asyncProperty(
      fc.record({
        json: fc.boolean(),
        messages: fc.array(fc.string({ minLength: 1, maxLength: 300, unit: 'binary' }), {
          minLength: 1,
          maxLength: 120,
        }),
        maxBatchBytes: fc.integer({ min: 1, max: 2048 }),
        maxBatchItems: fc.option(fc.integer({ min: 1, max: 20 }), { nil: undefined }),
        lingerMs: fc.integer({ min: 0, max: 5 }),
        maxInFlight: fc.integer({ min: 1, max: 6 }),
        pauseEvery: fc.integer({ min: 0, max: 30 }),
      }),
      async (c) => {
        const contentType = c.json ? 'application/json' : 'application/octet-stream'
        const url = srv.streamUrl(`prop${++run}`)
        const client = new Client()
        await client.stream(url).createStream({ contentType })
        const p = new IdempotentProducer({
          client,
          path: url,
          producerId: `prop-${run}`,
          contentType,
          maxBatchBytes: c.maxBatchBytes,
          lingerMs: c.lingerMs,
          maxInFlight: c.maxInFlight,
          ...(c.maxBatchItems !== undefined ? { maxBatchItems: c.maxBatchItems } : {}),
        })
        for (let i = 0; i < c.messages.length; i++) {
          p.append(c.messages[i])
          if (c.pauseEvery > 0 && i % c.pauseEvery === 0) await new Promise((r) => setTimeout(r, 0))
        }
        await p.close()
        const back = await client.stream(url).readAll()
        if (c.json) expect(back).toEqual(c.messages)
        else expect(new TextDecoder().decode(back as Uint8Array)).toBe(c.messages.join(''))
        expect(p.stats.acked).toBe(c.messages.length)
      },
    ),
    { numRuns: 60 },
  )
}, 120_000)
