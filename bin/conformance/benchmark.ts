/**
 * The `benchmark` command (the runner's --bench mode): runs one operation through the client
 * and reports its duration, timed here with the monotonic clock.
 */
import { randomUUID } from 'node:crypto'
import {
  IdempotentProducer,
  isJsonContentType,
  type LiveMode,
} from '../../src-shared/client/node.js'
import { errorResult, toErrorResult } from './errors.js'
import type { Session } from './session.js'
import type { BenchmarkCommand, Result } from './types.js'

const OCTET = 'application/octet-stream'

interface Metrics {
  bytesTransferred?: number
  messagesProcessed?: number
}

function num(v: unknown, fallback: number): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : fallback
}
function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined
}

/** A payload of `size` bytes (content is irrelevant; filling is cheaper than random data). */
function payload(size: number): Uint8Array {
  return new Uint8Array(size).fill(0x61)
}

async function appendOnce(s: Session, path: string, size: number): Promise<Metrics> {
  await s.stream(path, { contentType: s.contentTypes.get(path) ?? OCTET }).append(payload(size))
  return { bytesTransferred: size }
}

async function readAll(s: Session, path: string, offset: string | undefined): Promise<Metrics> {
  let bytes = 0
  const reader = s.stream(path).readBytes({ offset: offset ?? '-1', live: false })
  for await (const chunk of reader) bytes += chunk.length
  return { bytesTransferred: bytes }
}

async function roundtrip(
  s: Session,
  path: string,
  size: number,
  live: LiveMode,
  contentType: string,
): Promise<Metrics> {
  const stream = s.stream(path, { contentType })
  const { nextOffset } = await stream.createStream({ contentType })
  s.remember(path, contentType)
  const tail = nextOffset ?? (await stream.head()).nextOffset ?? '-1'
  const reader = stream.read({ offset: tail, live })
  const received = (async () => {
    for await (const b of reader.batches()) {
      const n = 'items' in b && b.items ? b.items.length : 'data' in b && b.data ? b.data.length : 0
      if (n > 0) return n
    }
    return 0
  })()
  const body = isJsonContentType(contentType)
    ? { data: 'x'.repeat(Math.max(0, size - 11)) }
    : payload(size)
  try {
    await stream.append(body)
    await received
  } finally {
    reader.close()
  }
  return { bytesTransferred: size * 2 }
}

async function throughputAppend(
  s: Session,
  path: string,
  count: number,
  size: number,
  concurrency: number,
): Promise<Metrics> {
  const contentType = s.contentTypes.get(path) ?? OCTET
  await s.stream(path, { contentType }).createStream({ contentType })
  s.remember(path, contentType)
  const producer = new IdempotentProducer({
    client: s.client,
    path,
    producerId: `bench-${randomUUID()}`,
    contentType,
    maxInFlight: Math.max(1, Math.min(concurrency, 8)),
  })
  const data = payload(size)
  try {
    for (let i = 0; i < count; i++) producer.append(data)
    await producer.flush()
  } finally {
    await producer.detach().catch(() => undefined)
  }
  return { bytesTransferred: count * size, messagesProcessed: count }
}

/** Counts are taken while timed; the byte size (re-serialised JSON) is computed afterwards. */
async function throughputRead(s: Session, path: string): Promise<() => Metrics> {
  let count = 0
  const batches: unknown[][] = []
  const reader = s.stream(path, { contentType: 'application/json' }).readJson({ live: false })
  for await (const b of reader.batches()) {
    count += b.items.length
    batches.push(b.items)
  }
  return () => {
    let bytes = 0
    for (const items of batches) bytes += JSON.stringify(items).length
    return { messagesProcessed: count, bytesTransferred: bytes }
  }
}

export async function benchmark(s: Session, cmd: BenchmarkCommand): Promise<Result> {
  const op = cmd.operation
  const path = str(op.path) ?? '/'
  try {
    let metrics: Metrics | (() => Metrics)
    const start = process.hrtime.bigint()
    switch (op.op) {
      case 'append':
        metrics = await appendOnce(s, path, num(op.size, 100))
        break
      case 'read':
        metrics = await readAll(s, path, str(op.offset))
        break
      case 'roundtrip': {
        const live = op.live === 'sse' ? 'sse' : 'long-poll'
        metrics = await roundtrip(s, path, num(op.size, 100), live, str(op.contentType) ?? OCTET)
        break
      }
      case 'create': {
        const contentType = str(op.contentType) ?? OCTET
        await s.stream(path, { contentType }).createStream({ contentType })
        s.remember(path, contentType)
        metrics = {}
        break
      }
      case 'throughput_append':
        metrics = await throughputAppend(
          s,
          path,
          num(op.count, 1000),
          num(op.size, 100),
          num(op.concurrency, 1),
        )
        break
      case 'throughput_read':
        metrics = await throughputRead(s, path)
        break
      default:
        return errorResult('benchmark', 'NOT_SUPPORTED', `Unknown benchmark operation: ${op.op}`)
    }
    const durationNs = process.hrtime.bigint() - start
    if (typeof metrics === 'function') metrics = metrics()
    return {
      type: 'benchmark',
      success: true,
      iterationId: cmd.iterationId,
      durationNs: durationNs.toString(),
      metrics,
    }
  } catch (err) {
    return toErrorResult('benchmark', err, path)
  }
}
