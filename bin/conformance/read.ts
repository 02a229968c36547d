/**
 * The `read` command: catch-up reads return at the tail; live reads (long-poll, SSE, auto)
 * collect chunks until `waitForUpToDate` is satisfied, `maxChunks` chunks arrived, the stream
 * closed (EOF), or `timeoutMs` elapsed.
 */
import type { LiveMode } from '../../src-shared/client/node.js'
import { actuallySent, nonEmpty } from './dynamic.js'
import type { Session } from './session.js'
import type { ReadChunk, ReadCommand, Result } from './types.js'

const DEFAULT_TIMEOUT_MS = 5_000
const DEFAULT_MAX_CHUNKS = 100

function liveMode(live: ReadCommand['live']): LiveMode {
  if (live === 'long-poll' || live === 'sse') return live
  if (live === true) return 'auto'
  return false
}

/** The fields of a reader batch the adapter looks at (JSON, byte and dynamic readers). */
interface AnyBatchView {
  items?: unknown[] | undefined
  data?: Uint8Array | undefined
  nextOffset: string
  upToDate: boolean
  closed: boolean
  phase: 'catch-up' | 'long-poll' | 'sse'
  status: number
}

/** Names from `registered` with the value a request actually sent (`sent` keys are lower-case). */
export async function read(s: Session, cmd: ReadCommand): Promise<Result> {
  const dyn = s.dynamic.next()
  const live = liveMode(cmd.live)
  const stream = s.stream(cmd.path)
  const reader = stream.read({
    offset: cmd.offset ?? '-1',
    live,
    headers: { ...s.dynamic.headerFunctions(), ...(cmd.headers ?? {}) },
  })
  const maxChunks = cmd.maxChunks ?? DEFAULT_MAX_CHUNKS
  const decoder = new TextDecoder()
  const chunks: ReadChunk[] = []
  let offset = reader.nextOffset
  let upToDate = false
  let closed = false
  let status = 200
  let timedOut = false
  const timer =
    live === false
      ? undefined
      : setTimeout(() => {
          timedOut = true
          reader.close()
        }, cmd.timeoutMs ?? DEFAULT_TIMEOUT_MS)
  try {
    for await (const batch of reader.batches()) {
      const b = batch as AnyBatchView
      let text: string | undefined
      if (b.items) {
        if (b.items.length > 0) text = JSON.stringify(b.items)
      } else if (b.data && b.data.length > 0) {
        text = decoder.decode(b.data, { stream: !b.closed })
      }
      if (text !== undefined) chunks.push({ data: text, offset: b.nextOffset })
      offset = b.nextOffset
      upToDate = b.upToDate
      closed = b.closed
      status = b.status
      if (live === false) continue
      if (cmd.waitForUpToDate && b.upToDate) break
      if (chunks.length >= maxChunks) break
    }
  } catch (err) {
    if (!timedOut) throw err
  } finally {
    if (timer !== undefined) clearTimeout(timer)
    reader.close()
  }
  const rest = decoder.decode()
  const last = chunks[chunks.length - 1]
  if (rest && last) last.data += rest
  if (timedOut && !closed) upToDate = true
  s.remember(cmd.path, reader.contentType ?? stream.contentType)
  const sent = reader.lastRequest
  return {
    type: 'read',
    success: true,
    status,
    chunks,
    offset,
    upToDate,
    streamClosed: closed,
    headersSent: nonEmpty(actuallySent(dyn.headers, sent?.headers, true)),
    paramsSent: nonEmpty(actuallySent(dyn.params, sent?.params, false)),
  }
}
