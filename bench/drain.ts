/**
 * `npm run bench:drain [-- --runs N]`: how fast an idempotent producer drains the backlog an
 * outage left behind (issue #11, defect 6). One in-memory DurableStreamTestServer on 127.0.0.1;
 * per run a fresh JSON stream, a producer with default options, and an application appending
 * 20,000 messages of ~100 B at a steady pace over 2 s while every POST of the first
 * `maxInFlight` stalls for those 2 s (the outage: all pipelining slots are busy). Reported: the
 * time from the end of the outage until `flush()` resolved, and how many batches carried the
 * backlog. Two servers: as is, and "slow" (every POST after the outage takes 10 ms more).
 */
import { DurableStreamTestServer } from '@durable-streams/server'
import { DurableStreams, IdempotentProducer, Stream } from '../src-shared/client/node.js'

const COUNT = 20_000
const OUTAGE_MS = 2_000
const SLOW_MS = 10
const IN_FLIGHT = 5 // the producer's default maxInFlight

interface RunResult {
  drainMs: number
  batches: number
}

/** The server's fault table (a private field): polled to know when the outage was used up. */
function faultsOf(server: DurableStreamTestServer): Map<string, unknown> {
  // The package exposes injectFault but not whether a fault is still pending.
  return (server as unknown as { injectedFaults: Map<string, unknown> }).injectedFaults
}

async function run(server: DurableStreamTestServer, base: string, k: number, slow: boolean) {
  const path = `/drain/${process.pid}-${slow ? 'slow' : 'fast'}-${k}`
  const url = base + path
  const stream = await DurableStreams.create({ url, contentType: 'application/json' })
  const producer = new IdempotentProducer({ stream, producerId: `drain-${k}` })
  // Warm the connection and the producer (seq 0 acknowledged) before the outage.
  producer.append({ i: -1, pad: '' })
  await producer.flush()
  const before = producer.stats.batches
  server.injectFault(path, { delayMs: OUTAGE_MS, count: IN_FLIGHT, method: 'POST' })
  let slowArmed = !slow
  const pad = 'x'.repeat(80)
  const t0 = performance.now()
  let appended = 0
  await new Promise<void>((resolve) => {
    const tick = (): void => {
      const elapsed = performance.now() - t0
      if (!slowArmed && !faultsOf(server).has(path)) {
        // Every stalled slot got its request: from now on each POST is slow.
        server.injectFault(path, { delayMs: SLOW_MS, count: 1_000_000, method: 'POST' })
        slowArmed = true
      }
      const due = Math.min(COUNT, Math.floor((elapsed / OUTAGE_MS) * COUNT))
      while (appended < due) producer.append({ i: appended++, pad })
      if (appended >= COUNT) resolve()
      else setTimeout(tick, 1)
    }
    tick()
  })
  const outageEnd = Math.max(performance.now(), t0 + OUTAGE_MS)
  await producer.flush()
  const drainMs = performance.now() - outageEnd
  const batches = producer.stats.batches - before
  await producer.close()
  server.clearInjectedFaults()
  const got = await new Stream({ url, contentType: 'application/json' }).readAll()
  if (!Array.isArray(got) || got.length !== COUNT + 1) {
    throw new Error(`run ${k}: the stream holds ${String((got as unknown[]).length)} messages`)
  }
  return { drainMs: Math.max(0, drainMs), batches } satisfies RunResult
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)]!
}

async function main(): Promise<void> {
  const i = process.argv.indexOf('--runs')
  const runs = i > 0 ? Number(process.argv[i + 1]) : 3
  const server = new DurableStreamTestServer({ port: 0, host: '127.0.0.1' })
  const base = await server.start()
  console.log(
    `Drain after a ${OUTAGE_MS} ms outage: ${COUNT} x ~100 B appended during it, ${runs} runs each`,
  )
  try {
    for (const slow of [false, true]) {
      const results: RunResult[] = []
      for (let k = 0; k < runs; k++) results.push(await run(server, base, k, slow))
      const label = slow ? `slow server (+${SLOW_MS} ms per POST)` : 'server as is'
      console.log(
        `${label.padEnd(32)} drain median ${median(results.map((r) => r.drainMs)).toFixed(0)} ms ` +
          `(runs: ${results.map((r) => r.drainMs.toFixed(0)).join(', ')}); ` +
          `batches median ${median(results.map((r) => r.batches))}`,
      )
    }
  } finally {
    await server.stop()
  }
}

main().catch((err: unknown) => {
  console.error(`DRAIN BENCH FAILED: ${(err as Error)?.stack ?? String(err)}`)
  process.exit(1)
})
