/**
 * The scenario catalogue and everything the coordinator does around a child run: creating
 * and filling the streams a job needs, writing the load for the live rows (9, 10), checking
 * exactly-once delivery after producer rows (6, 7), and deleting streams afterwards.
 */
import { createStream, RawHttp, readWhole } from './lib/http.js'
import {
  byteMessage,
  checkByteStream,
  memMessageJson,
  readMessageJson,
  tailMessageJson,
  wallNow,
} from './lib/payloads.js'
import type { FromChild, JobResult, RowId, Sizes, SubjectName } from './lib/protocol.js'
import { liveCountFor } from './lib/protocol.js'
import { rawProduce } from './lib/raw-producer.js'

export type Kind = 'latency' | 'throughput' | 'memory'

export interface Ctx {
  serverUrl: string
  http: RawHttp
  sizes: Sizes
  runId: string
}

/** Per-job coordinator state: the job's streams and the writer driven by child messages. */
export interface JobHooks {
  urls: string[]
  /** Handles `ready`/`progress` messages from the child. */
  onMessage?: (msg: FromChild) => void
  /** Resolves when background writers finished; rejects if one failed. */
  settled(): Promise<void>
  /** Stops background writers (the child failed). */
  abort?(): void
}

export interface RowDef {
  id: RowId
  title: string
  kind: Kind
  /** Bytes moved per throughput sample, when the child cannot know it. */
  bytesPerSample?: (z: Sizes) => number
  /** Once per bench run, before the first job of the row. */
  setupOnce?: (ctx: Ctx) => Promise<void>
  /** Streams and writers for one job. */
  prepare: (ctx: Ctx, subject: SubjectName, round: number) => Promise<JobHooks>
  /** After the child reported: checks what it wrote. Throws on a violation. */
  verify?: (ctx: Ctx, result: JobResult) => Promise<void>
}

const OCTET = 'application/octet-stream'
const JSON_CT = 'application/json'

function url(ctx: Ctx, row: RowId, name: string): string {
  return `${ctx.serverUrl}/bench/${ctx.runId}/r${row}/${name}`
}

async function createMany(ctx: Ctx, urls: string[], contentType: string): Promise<string[]> {
  for (const u of urls) await createStream(ctx.http, u, contentType)
  return urls
}

const noWriter = (urls: string[]): JobHooks => ({ urls, settled: async () => {} })

/** Deletes a job's streams so the in-memory server does not grow across rounds. */
export async function deleteStreams(ctx: Ctx, urls: readonly string[]): Promise<void> {
  for (const u of urls) {
    const res = await ctx.http.request('DELETE', RawHttp.pathOf(u))
    RawHttp.expect(res, [200, 204, 404], `DELETE ${u}`)
  }
}

/** Background writer bookkeeping: remembers the first failure. */
function writerSet(): { add: (p: Promise<unknown>) => void; settled: () => Promise<void> } {
  const running: Array<Promise<unknown>> = []
  return {
    add: (p) => {
      running.push(p)
    },
    settled: async () => {
      await Promise.all(running)
    },
  }
}

/** Row 9: on each `ready`, writes the next run's messages as fast as possible. */
function liveTailHooks(ctx: Ctx, urls: string[]): JobHooks {
  const z = ctx.sizes
  const writers = writerSet()
  let next = 0
  return {
    urls,
    onMessage: (msg) => {
      if (msg.type !== 'ready') return
      const k = next++
      const n = liveCountFor(z.tailCount, k)
      function* bodies(): Generator<string> {
        for (let i = 0; i < n; i += z.tailBatch) {
          const t = wallNow()
          const parts: string[] = []
          for (let j = i; j < Math.min(n, i + z.tailBatch); j++) {
            parts.push(tailMessageJson(j, t, z.tailSize))
          }
          yield '[' + parts.join(',') + ']'
        }
      }
      writers.add(
        rawProduce(ctx.http, {
          url: urls[k]!,
          producerId: `writer-${k}`,
          contentType: JSON_CT,
          maxInFlight: 2,
          bodies: bodies(),
        }),
      )
    },
    settled: writers.settled,
  }
}

/** Row 10: writes `memCount` messages, staying at most `memWindow` ahead of the reader. */
function memoryHooks(ctx: Ctx, urls: string[]): JobHooks {
  const z = ctx.sizes
  const writers = writerSet()
  let read = 0
  let aborted = false
  let wake: (() => void) | undefined
  const batch = 1_000
  async function* bodies(): AsyncGenerator<string> {
    for (let i = 0; i < z.memCount; i += batch) {
      while (i - read >= z.memWindow && !aborted) await new Promise<void>((r) => (wake = r))
      if (aborted) return
      const parts: string[] = []
      for (let j = i; j < Math.min(z.memCount, i + batch); j++) parts.push(memMessageJson(j))
      yield '[' + parts.join(',') + ']'
    }
  }
  return {
    urls,
    onMessage: (msg) => {
      if (msg.type === 'progress') {
        read = msg.read
        wake?.()
        wake = undefined
      } else if (msg.type === 'ready') {
        writers.add(
          rawProduce(ctx.http, {
            url: urls[0]!,
            producerId: 'writer',
            contentType: JSON_CT,
            maxInFlight: 2,
            bodies: bodies(),
          }),
        )
      }
    },
    settled: writers.settled,
    abort: () => {
      aborted = true
      wake?.()
    },
  }
}

async function verifyWritten(ctx: Ctx, result: JobResult): Promise<void> {
  for (const w of result.written ?? []) {
    const data = await readWhole(ctx.http, w.url)
    const problem = checkByteStream(data, w.count, w.size)
    if (problem) {
      throw new Error(`EXACTLY-ONCE VIOLATION on ${w.url} (${w.count} × ${w.size} B): ${problem}`)
    }
  }
}

export const ROW_DEFS: Record<RowId, RowDef> = {
  '1': {
    id: '1',
    title: 'append latency: 100 B, byte stream, one append at a time',
    kind: 'latency',
    prepare: async (ctx, s, r) =>
      noWriter(await createMany(ctx, [url(ctx, '1', `${s}-${r}`)], OCTET)),
  },
  '2': {
    id: '2',
    title: 'catch-up read latency: whole 10 KiB stream (10 × 1 KiB appends)',
    kind: 'latency',
    setupOnce: async (ctx) => {
      const u = url(ctx, '2', 'shared')
      await createStream(ctx.http, u, OCTET)
      for (let i = 0; i < 10; i++) {
        const res = await ctx.http.request(
          'POST',
          RawHttp.pathOf(u),
          { 'content-type': OCTET },
          byteMessage(i, 1024),
        )
        RawHttp.expect(res, [200, 204], `POST ${u}`)
      }
    },
    prepare: async (ctx) => noWriter([url(ctx, '2', 'shared')]),
  },
  '3': {
    id: '3',
    title: 'round trip: append 100 B → long-poll reader already waiting',
    kind: 'latency',
    prepare: async (ctx, s, r) => {
      const n = ctx.sizes.liveWarmup + ctx.sizes.liveIters
      const urls = Array.from({ length: n }, (_, i) => url(ctx, '3', `${s}-${r}-${i}`))
      return noWriter(await createMany(ctx, urls, OCTET))
    },
  },
  '4': {
    id: '4',
    title: 'SSE first event: append one JSON value → SSE reader already open',
    kind: 'latency',
    prepare: async (ctx, s, r) => {
      const n = ctx.sizes.liveWarmup + ctx.sizes.liveIters
      const urls = Array.from({ length: n }, (_, i) => url(ctx, '4', `${s}-${r}-${i}`))
      return noWriter(await createMany(ctx, urls, JSON_CT))
    },
  },
  '5': {
    id: '5',
    title: 'create latency (PUT, octet-stream)',
    kind: 'latency',
    prepare: async (ctx, s, r) => noWriter([url(ctx, '5', `${s}-${r}`)]),
  },
  '6': {
    id: '6',
    title: 'small-message throughput: 100 B messages through the idempotent producer',
    kind: 'throughput',
    prepare: async (ctx, s, r) => {
      const urls = Array.from({ length: 1 + ctx.sizes.smallRuns }, (_, i) =>
        url(ctx, '6', `${s}-${r}-${i}`),
      )
      return noWriter(await createMany(ctx, urls, OCTET))
    },
    verify: verifyWritten,
  },
  '7': {
    id: '7',
    title: 'large-message throughput: 1 MiB messages through the idempotent producer',
    kind: 'throughput',
    prepare: async (ctx, s, r) => {
      const urls = Array.from({ length: 1 + ctx.sizes.largeRuns }, (_, i) =>
        url(ctx, '7', `${s}-${r}-${i}`),
      )
      return noWriter(await createMany(ctx, urls, OCTET))
    },
    verify: verifyWritten,
  },
  '8': {
    id: '8',
    title: 'JSON read throughput: catch-up read + parse of small JSON messages',
    kind: 'throughput',
    bytesPerSample: (z) => {
      let n = 2
      for (let i = 0; i < z.readCount; i++) n += readMessageJson(i).length + 1
      return n
    },
    setupOnce: async (ctx) => {
      const u = url(ctx, '8', 'shared')
      await createStream(ctx.http, u, JSON_CT)
      const path = RawHttp.pathOf(u)
      for (let i = 0; i < ctx.sizes.readCount; i += 1_000) {
        const parts: string[] = []
        for (let j = i; j < Math.min(ctx.sizes.readCount, i + 1_000); j++)
          parts.push(readMessageJson(j))
        const res = await ctx.http.request(
          'POST',
          path,
          { 'content-type': JSON_CT },
          '[' + parts.join(',') + ']',
        )
        RawHttp.expect(res, [200, 204], `POST ${u}`)
      }
    },
    prepare: async (ctx) => noWriter([url(ctx, '8', 'shared')]),
  },
  '9a': {
    id: '9a',
    title: 'live-tail throughput, SSE reader; writer: the same raw pipelined producer for all',
    kind: 'throughput',
    prepare: async (ctx, s, r) => {
      const urls = Array.from({ length: 1 + ctx.sizes.tailRuns }, (_, i) =>
        url(ctx, '9a', `${s}-${r}-${i}`),
      )
      return liveTailHooks(ctx, await createMany(ctx, urls, JSON_CT))
    },
  },
  '9b': {
    id: '9b',
    title:
      'live-tail throughput, long-poll reader; writer: the same raw pipelined producer for all',
    kind: 'throughput',
    prepare: async (ctx, s, r) => {
      const urls = Array.from({ length: 1 + ctx.sizes.tailRuns }, (_, i) =>
        url(ctx, '9b', `${s}-${r}-${i}`),
      )
      return liveTailHooks(ctx, await createMany(ctx, urls, JSON_CT))
    },
  },
  '10': {
    id: '10',
    title: 'memory: peak RSS growth reading JSON messages one by one with for await (SSE)',
    kind: 'memory',
    prepare: async (ctx, s, r) =>
      memoryHooks(ctx, await createMany(ctx, [url(ctx, '10', `${s}-${r}`)], JSON_CT)),
  },
}
