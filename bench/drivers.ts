/**
 * Child side: runs one row for one subject and measures it. The same code times every
 * subject; subjects only differ in the {@link Subject} methods they provide.
 */
import { byteMessage, byteMessages, wallNow } from './lib/payloads.js'
import type { FromChild, Job, JobResult } from './lib/protocol.js'
import { liveCountFor, runCountFor } from './lib/protocol.js'
import { latencySummary, median } from './lib/stats.js'
import type { LiveMode, Subject } from './subjects/types.js'

const OCTET = 'application/octet-stream'
const TIMEOUT_MS = 60_000

export interface ChildIo {
  send(msg: FromChild): void
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

/** A promise with its settle functions and a safety timeout. */
function deferred<T>(what: string): {
  promise: Promise<T>
  resolve: (v: T) => void
  reject: (e: unknown) => void
} {
  let resolve!: (v: T) => void
  let reject!: (e: unknown) => void
  const promise = new Promise<T>((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`timed out: ${what}`)), TIMEOUT_MS)
    resolve = (v) => {
      clearTimeout(timer)
      res(v)
    }
    reject = (e) => {
      clearTimeout(timer)
      rej(e)
    }
  })
  return { promise, resolve, reject }
}

/** Accumulates this process's CPU time (user + system, all threads) over measured parts. */
class CpuMeter {
  ms = 0
  private at: NodeJS.CpuUsage | undefined
  start(): void {
    this.at = process.cpuUsage()
  }
  stop(): void {
    if (!this.at) return
    const d = process.cpuUsage(this.at)
    this.ms += (d.user + d.system) / 1000
    this.at = undefined
  }
}

async function timeEach(
  warmup: number,
  iters: number,
  op: (i: number) => Promise<void>,
): Promise<JobResult> {
  for (let i = 0; i < warmup; i++) await op(-1 - i)
  const samples: number[] = []
  const cpu = new CpuMeter()
  cpu.start()
  for (let i = 0; i < iters; i++) {
    const t = performance.now()
    await op(i)
    samples.push(performance.now() - t)
  }
  cpu.stop()
  return { samples, cpuMs: cpu.ms }
}

/** Rows 3 and 4: a reader already waiting at the server, then one append; time to delivery. */
async function roundTrip(
  s: Subject,
  url: string,
  mode: LiveMode,
  json: boolean,
  parkMs: number,
): Promise<number> {
  const got = deferred<number>(`${s.name} ${mode} round trip on ${url}`)
  const value = { hello: 'world', n: 42, pad: 'x'.repeat(60) }
  const payload = byteMessage(1, 100)
  const tail = await s.tail({
    url,
    mode,
    offset: '-1',
    json,
    onBatch: (items, bytes) => {
      const t = performance.now()
      if (items && items.length > 0) {
        const first = items[0] as { n?: number }
        if (first.n !== 42) got.reject(new Error(`wrong message ${JSON.stringify(first)}`))
        else got.resolve(t)
      } else if (bytes && bytes.length > 0) {
        if (bytes.length !== 100) got.reject(new Error(`got ${bytes.length} bytes, sent 100`))
        else got.resolve(t)
      }
    },
    onError: got.reject,
  })
  const append = json ? null : s.byteAppender(url, OCTET)
  const appendJson = json ? s.jsonAppender(url) : null
  await sleep(parkMs)
  const t0 = performance.now()
  const ack = appendJson ? appendJson(value) : append!(payload)
  try {
    const t1 = await got.promise
    await ack
    return t1 - t0
  } finally {
    tail.close()
  }
}

async function produceRuns(s: Subject, job: Job, count: number, size: number): Promise<JobResult> {
  const messages = byteMessages(count, size)
  const written: NonNullable<JobResult['written']> = []
  const samples: number[] = []
  const cpu = new CpuMeter()
  for (let k = 0; k < job.urls.length; k++) {
    const url = job.urls[k]!
    const n = runCountFor(count, k)
    const producerId = `bench-${job.subject}-${job.round}-${k}-${process.pid}-${Math.random().toString(36).slice(2)}`
    const batch = n === count ? messages : messages.slice(0, n)
    if (k > 0) cpu.start()
    const t = performance.now()
    await s.produce({ url, contentType: OCTET, producerId, messages: batch })
    const d = performance.now() - t
    cpu.stop()
    if (k > 0) samples.push(d)
    written.push({ url, count: n, size })
  }
  return { samples, items: count, bytes: count * size, written, cpuMs: cpu.ms }
}

/** Row 9: live-tail delivery of writer-produced messages to one reader. */
async function liveTail(s: Subject, job: Job, io: ChildIo, mode: LiveMode): Promise<JobResult> {
  const samples: number[] = []
  const p50s: number[] = []
  const p95s: number[] = []
  const cpu = new CpuMeter()
  for (let k = 0; k < job.urls.length; k++) {
    const url = job.urls[k]!
    const n = liveCountFor(job.sizes.tailCount, k)
    const lat = new Float64Array(n)
    let received = 0
    let firstSent = 0
    let lastAt = 0
    const done = deferred<void>(`${s.name} ${mode} live tail of ${n} messages`)
    const tail = await s.tail({
      url,
      mode,
      offset: '-1',
      json: true,
      onBatch: (items) => {
        if (!items || items.length === 0) return
        const now = wallNow()
        for (const it of items) {
          const m = it as { i: number; t: number }
          if (m.i !== received) {
            done.reject(new Error(`message ${m.i} arrived where ${received} was expected`))
            return
          }
          if (received === 0) firstSent = m.t
          lat[received++] = now - m.t
        }
        lastAt = now
        if (received >= n) done.resolve()
      },
      onError: done.reject,
    })
    await sleep(job.sizes.parkMs)
    if (k > 0) cpu.start()
    io.send({ type: 'ready' })
    try {
      await done.promise
    } finally {
      cpu.stop()
      tail.close()
    }
    if (k === 0) continue // warm-up run
    samples.push(lastAt - firstSent)
    const { p50, p95 } = latencySummary(lat)
    p50s.push(p50)
    p95s.push(p95)
  }
  return {
    samples,
    items: job.sizes.tailCount,
    bytes: job.sizes.tailCount * job.sizes.tailSize,
    extra: { e2eP50: median(p50s), e2eP95: median(p95s) },
    cpuMs: cpu.ms,
  }
}

function gc(): void {
  const g = (globalThis as { gc?: () => void }).gc
  if (g) g()
}

const MiB = 1024 * 1024

/**
 * Row 10: RSS while reading messages one by one with `for await`. Peak RSS growth is the
 * headline. Flatness is judged on what stays allocated after a full GC (JS heap in use plus
 * external memory) at 10 %, 50 % and 100 % of the read, taken inside the loop while the reader
 * is still open: RSS alone also moves when V8 grows its heap capacity (heapTotal), which it
 * keeps after GC, so RSS after GC is reported too but does not decide.
 */
async function memory(s: Subject, job: Job, io: ChildIo): Promise<JobResult> {
  const total = job.sizes.memCount
  gc()
  const base = process.memoryUsage()
  let peak = base.rss
  let count = 0
  const sample = (): void => {
    const rss = process.memoryUsage.rss()
    if (rss > peak) peak = rss
  }
  const timer = setInterval(sample, 20)
  const at: Record<string, NodeJS.MemoryUsage> = {}
  const checkpoint = (name: string): void => {
    gc()
    at[name] = process.memoryUsage()
  }
  const t = performance.now()
  try {
    const messages = await s.iterateJson(job.urls[0]!, 'sse', '-1')
    setTimeout(() => io.send({ type: 'ready' }), job.sizes.parkMs)
    for await (const m of messages) {
      if ((m as { i: number }).i !== count) {
        throw new Error(`message ${(m as { i: number }).i} arrived where ${count} was expected`)
      }
      count++
      if (count % 10_000 === 0) {
        sample()
        io.send({ type: 'progress', read: count })
        if (count === Math.round(total / 10)) checkpoint('p10')
        if (count === total / 2) checkpoint('p50')
      }
      if (count >= total) {
        checkpoint('p100')
        break
      }
    }
  } finally {
    clearInterval(timer)
  }
  if (count !== total) throw new Error(`read ${count} messages, expected ${total}`)
  type Key = 'heapUsed' | 'external' | 'heapTotal' | 'rss'
  const diff = (keys: Key[], from: string, to: string): number => {
    let d = 0
    for (const k of keys) d += (at[to]?.[k] ?? NaN) - (at[from]?.[k] ?? NaN)
    return d / MiB
  }
  return {
    samples: [(peak - base.rss) / MiB],
    extra: {
      retainedGrowthP10toP100MiB: diff(['heapUsed', 'external'], 'p10', 'p100'),
      rssAfterGcP50toP100MiB: diff(['rss'], 'p50', 'p100'),
      heapTotalP50toP100MiB: diff(['heapTotal'], 'p50', 'p100'),
      readMs: performance.now() - t,
    },
  }
}

export async function runJob(job: Job, s: Subject, io: ChildIo): Promise<JobResult> {
  const z = job.sizes
  switch (job.row) {
    case '1': {
      const append = s.byteAppender(job.urls[0]!, OCTET)
      const payload = byteMessage(0, 100)
      return timeEach(z.latencyWarmup, z.latencyIters, () => append(payload))
    }
    case '2': {
      const url = job.urls[0]!
      return timeEach(z.latencyWarmup, z.latencyIters, async () => {
        const n = await s.readBytes(url)
        if (n !== 10 * 1024) throw new Error(`read ${n} bytes, expected 10240`)
      })
    }
    case '3':
    case '4': {
      const json = job.row === '4'
      const mode: LiveMode = json ? 'sse' : 'long-poll'
      const samples: number[] = []
      const cpu = new CpuMeter()
      for (let i = 0; i < job.urls.length; i++) {
        if (i >= z.liveWarmup) cpu.start()
        const d = await roundTrip(s, job.urls[i]!, mode, json, z.parkMs)
        cpu.stop()
        if (i >= z.liveWarmup) samples.push(d)
      }
      return { samples, cpuMs: cpu.ms }
    }
    case '5': {
      const base = job.urls[0]!
      return timeEach(z.latencyWarmup, z.latencyIters, (i) =>
        s.create(`${base}-${i < 0 ? `w${-i}` : i}`, OCTET),
      )
    }
    case '6':
      return produceRuns(s, job, z.smallCount, z.smallSize)
    case '7':
      return produceRuns(s, job, z.largeCount, z.largeSize)
    case '8': {
      const url = job.urls[0]!
      const r = await timeEach(1, z.readRuns, async () => {
        const n = await s.readJsonCount(url)
        if (n !== z.readCount) throw new Error(`read ${n} messages, expected ${z.readCount}`)
      })
      return { ...r, items: z.readCount }
    }
    case '9a':
      return liveTail(s, job, io, 'sse')
    case '9b':
      return liveTail(s, job, io, 'long-poll')
    case '10':
      return memory(s, job, io)
  }
}
