/**
 * Replay (QA): re-append a range of messages to the same or another stream through an
 * idempotent producer. The producer id is derived from the replay id (by default from source,
 * target and range) and every message gets its own seq, so running the same replay again is
 * deduplicated by the server instead of appending twice.
 */
import { createHash, randomUUID } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import { IdempotentProducer, isStreamNotFoundError } from '../../../src-shared/client/node.js'
import type { ReplayProgress } from '../../../src-shared/contract/index.js'
import type { ConnectionService } from '../connections/connections.js'
import { toErrorData } from '../../core/errors.js'
import { appendValue, readRange } from './range.js'

export interface ReplayRequest {
  source: { connectionId: string; path: string }
  target: { connectionId: string; path: string }
  fromOffset: string
  toOffset?: string | undefined
  /** Range by position (picked in the browser): overrides `toOffset`. */
  skip?: number | undefined
  count?: number | undefined
  ratePerSecond?: number | undefined
  replayId?: string | undefined
}

export function defaultReplayId(r: ReplayRequest): string {
  const key = JSON.stringify([
    r.source,
    r.target,
    r.fromOffset,
    r.toOffset ?? null,
    ...(r.count !== undefined ? [r.skip ?? 0, r.count] : []),
  ])
  return createHash('sha256').update(key).digest('hex').slice(0, 12)
}

export class ReplayService {
  private readonly runs = new Map<string, AbortController>()

  constructor(
    /** Only `client(id)` is used, so the CLI can hand in its own clients. */
    private readonly connections: Pick<ConnectionService, 'client'>,
    private readonly emit: (p: ReplayProgress) => void,
  ) {}

  /** Reads the range, then appends it in the background; progress arrives as events. */
  async start(req: ReplayRequest): Promise<ReplayProgress> {
    const source = (await this.connections.client(req.source.connectionId)).stream(req.source.path)
    const target = (await this.connections.client(req.target.connectionId)).stream(req.target.path)
    const byCount = req.count !== undefined ? { skip: req.skip ?? 0, count: req.count } : undefined
    const range = await readRange(source, req.fromOffset, req.toOffset, undefined, byCount)
    // A target that does not exist yet is created with the source's content type (the replay
    // form and `dsi replay --to` accept a new path); otherwise fail before appending anything
    // when the target cannot take these messages.
    const targetType = await target.head().then(
      (h) => h.contentType ?? 'application/octet-stream',
      async (err: unknown) => {
        if (!isStreamNotFoundError(err)) throw err
        await target.createStream({ contentType: range.contentType })
        return range.contentType
      },
    )
    if (baseType(targetType) !== baseType(range.contentType)) {
      throw Object.assign(
        new Error(
          `Target content type ${targetType} differs from the source's ${range.contentType}`,
        ),
        { name: 'ContentTypeMismatchError', code: 'CONTENT_TYPE_MISMATCH', status: 409 },
      )
    }
    const runId = randomUUID()
    const producerId = `replay-${req.replayId ?? defaultReplayId(req)}`
    const progress: ReplayProgress = {
      runId,
      done: 0,
      total: range.messages.length,
      duplicates: 0,
      state: range.messages.length === 0 ? 'done' : 'running',
      error: null,
      producerId,
    }
    if (range.messages.length === 0) return progress
    const controller = new AbortController()
    this.runs.set(runId, controller)
    const producer = new IdempotentProducer({
      stream: target,
      producerId,
      epoch: 0,
      lingerMs: 0,
      maxBatchItems: 1,
      signal: controller.signal,
    })
    let lastEmit = 0
    const report = (force = false): void => {
      const now = Date.now()
      if (force || now - lastEmit > 50) {
        lastEmit = now
        this.emit({ ...progress })
      }
    }
    void (async () => {
      const acks: Array<Promise<void>> = []
      try {
        for (const m of range.messages) {
          if (controller.signal.aborted) break
          acks.push(
            producer.appendAndWait(appendValue(m)).then((a) => {
              progress.done++
              if (a.duplicate) progress.duplicates++
              report()
            }),
          )
          if (req.ratePerSecond) {
            await sleep(1000 / req.ratePerSecond, undefined, { signal: controller.signal })
          }
        }
        await Promise.all(acks)
        await producer.detach()
        progress.state = controller.signal.aborted ? 'cancelled' : 'done'
      } catch (err) {
        await Promise.allSettled(acks)
        progress.state = controller.signal.aborted ? 'cancelled' : 'failed'
        progress.error = controller.signal.aborted ? null : toErrorData(err)
        await producer.detach().catch(() => undefined) // the failure is reported above
      } finally {
        this.runs.delete(runId)
        report(true)
      }
    })()
    return { ...progress }
  }

  cancel(runId: string): void {
    const c = this.runs.get(runId)
    if (!c) throw new Error(`No replay ${runId} is running`)
    c.abort()
  }

  dispose(): void {
    for (const c of this.runs.values()) c.abort()
    this.runs.clear()
  }
}

function baseType(ct: string): string {
  return ct.split(';')[0]?.trim().toLowerCase() ?? ''
}
