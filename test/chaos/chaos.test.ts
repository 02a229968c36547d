/**
 * Chaos: the app's file-backed embedded server in a child process, killed with SIGKILL twice
 * while an idempotent producer appends numbered JSON messages and a long-poll, an SSE and an
 * auto reader tail the stream; each time it is restarted on the same data and port. At the end
 * the stream is closed, so every reader ends at EOF.
 *
 * Asserted: every reader saw every stored message exactly once and in order, and the stream
 * holds each appended message exactly once. The dependency limit behind the second half (the
 * bare reference server can store a retried batch twice after a crash) is asserted on its own in
 * producer-recovery.test.ts, not by loosening the check here.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { Client, IdempotentProducer, type LiveMode } from '../../src-shared/client/node.js'
import { tempDir } from '../../src-main/testing/harness.js'
import { startServerChild, type ServerChild } from './server-child.js'

/** Messages appended (25 every 5 ms); the kills land after a third and two thirds of them. */
const TOTAL = 3000
/** How long the server stays down before it is restarted. */
const DOWN_MS = 300
/** The whole run must end within this. */
const BUDGET_MS = 50_000

const cleanup: Array<() => Promise<void> | void> = []
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f()
})

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

describe('chaos: kill -9 and restart twice under a producer and three live readers', () => {
  it(
    'every reader sees each message once, in order; the stream holds each once',
    async () => {
      const started = Date.now()
      const dir = tempDir('dsi-chaos-')
      cleanup.push(() => dir.remove())
      let server: ServerChild = await startServerChild({ data: dir.path })
      cleanup.push(() => server.stop())
      const base = server.base
      const port = server.port

      const client = new Client({
        baseUrl: base,
        timeout: 5_000,
        sseIdleTimeout: 5_000,
        // Enough backoff to ride out a restart (the process takes 1-3 s to come back).
        retry: { maxRetries: 200, initialDelayMs: 20, maxDelayMs: 250, multiplier: 2 },
      })
      cleanup.push(() => client.close())
      const stream = await client.create('/chaos', { contentType: 'application/json' })

      const modes: LiveMode[] = ['long-poll', 'sse', 'auto']
      const seen = new Map<LiveMode, number[]>(modes.map((m) => [m, []]))
      const readers = modes.map(async (mode) => {
        const out = seen.get(mode)!
        const reader = stream.readJson<{ i: number }>({ offset: '-1', live: mode })
        for await (const m of reader) out.push(m.i)
        return reader.closed
      })

      const producer = new IdempotentProducer({
        stream,
        producerId: 'chaos',
        epoch: 0,
        lingerMs: 2,
        maxInFlight: 4,
        contentType: 'application/json',
        retry: { maxRetries: 200, initialDelayMs: 20, maxDelayMs: 250, multiplier: 2 },
      })
      // The kills come from their own task, so appends keep arriving while the server is down.
      let appended = 0
      let restarts = 0
      const chaos = (async () => {
        for (const at of [TOTAL / 3, (2 * TOTAL) / 3]) {
          while (appended < at) await sleep(5)
          await server.kill9()
          await sleep(DOWN_MS)
          server = await startServerChild({ data: dir.path, port })
          expect(server.base).toBe(base)
          restarts++
        }
      })()
      const acks: Array<Promise<unknown>> = []
      for (let i = 0; i < TOTAL; i++) {
        acks.push(producer.appendAndWait({ i }))
        appended++
        if (i % 25 === 24) await sleep(5)
      }
      await chaos
      await Promise.all(acks)
      await producer.flush()
      await producer.detach()
      await stream.close()

      const closed = await Promise.race([
        Promise.all(readers),
        sleep(Math.max(1_000, BUDGET_MS - (Date.now() - started))).then(() => {
          throw new Error(
            `readers did not reach EOF: ${modes.map((m) => `${m} ${seen.get(m)!.length}`).join(', ')}`,
          )
        }),
      ])
      expect(closed).toEqual([true, true, true])
      expect(restarts).toBe(2)

      const expected = Array.from({ length: TOTAL }, (_, i) => i)
      const stored = (await stream.readJson<{ i: number }>({ live: false }).toArray()).map(
        (m) => m.i,
      )
      expect(stored.length).toBe(TOTAL)
      expect(stored).toEqual(expected)
      for (const mode of modes) {
        const got = seen.get(mode)!
        expect({ mode, count: got.length }).toEqual({ mode, count: TOTAL })
        expect(got).toEqual(expected)
      }
      expect(Date.now() - started).toBeLessThan(BUDGET_MS)
    },
    BUDGET_MS + 10_000,
  )
})
