/**
 * The read state machine shared by all readers: catch-up GETs until up to date, then a live
 * mode (long-poll or SSE), with cursor echo, SSE reconnection, fallback and closure (EOF).
 * It yields one {@link RawBatch} per response (or per SSE data+control pair); readers turn
 * those into JSON values, bytes or text.
 * @internal
 */
import { createParser, type EventSourceMessage } from 'eventsource-parser'
import { concatBytes } from './body.js'
import {
  AbortError,
  BadRequestError,
  ClosedError,
  ConnectionError,
  DurableStreamsError,
  OffsetRegressionError,
  ParseError,
  SSENotSupportedError,
} from './errors.js'
import type { SentInfo, Transport } from './http.js'
import { backoffDelay, sleep } from './http-util.js'
import { EMPTY, httpRead, httpReadPieces, readSpec, sseIdleMs } from './read-http.js'
import type { DynamicValue } from './options.js'
import {
  H,
  isJsonContentType,
  isOffsetBefore,
  isTextContentType,
  type LiveMode,
} from './protocol.js'

/**
 * How a batch reached the reader: a catch-up GET, a long-poll, or an SSE event.
 * @example
 * ```ts
 * for await (const b of reader.batches()) if (b.phase !== 'catch-up') console.log('live')
 * ```
 */
export type ReadPhase = 'catch-up' | 'long-poll' | 'sse'

/** One response worth of data and the stream position after it. */
export interface RawBatch {
  /** Body bytes (catch-up, long-poll, base64-decoded SSE). */
  bytes?: Uint8Array
  /** SSE text payloads (JSON and text/* streams), one per data event. */
  texts?: string[]
  nextOffset: string
  cursor: string | undefined
  upToDate: boolean
  closed: boolean
  status: number
  phase: ReadPhase
  contentType: string | undefined
  /** Wall-clock arrival time (ms since epoch). */
  receivedAt: number
  /** Set when one response was handed out in several pieces (progressive reads). */
  part?: ResponsePart | undefined
}

/**
 * Where a piece of a response split by a progressive read sits in that response.
 * @example
 * ```ts
 * for await (const b of stream.readJson({ live: false, progressive: true }).batches()) {
 *   if (b.part) console.log(`messages ${b.part.skip}.. of the response ${b.part.start}→${b.part.end}`)
 * }
 * ```
 */
export interface ResponsePart {
  /** Offset the response was requested at: resuming from it re-reads the whole response. */
  start: string
  /** The response's next offset (its `Stream-Next-Offset`). */
  end: string
  /** Messages of this response handed out in earlier pieces. */
  skip: number
  /** Whether this piece ends the response (only then is `nextOffset` the response's end). */
  last: boolean
}

/** Mutable position of a read, observable through the reader. */
export interface ReadState {
  offset: string
  cursor: string | undefined
  upToDate: boolean
  closed: boolean
  contentType: string | undefined
  /** Number of times a live connection was re-established. */
  reconnects: number
  /** Responses ignored because their next offset was lower than the offset requested. */
  offsetRegressions: number
  /** What the last request sent (headers and params), for diagnostics. */
  lastSent: SentInfo | undefined
  /** Progressive reads: messages at the current offset already handed out (see read-http). */
  carrySkip?: number | undefined
}

export interface EngineOptions {
  url: string
  offset: string
  live: LiveMode
  /** Aborted when the reader is closed or the caller's signal fires. */
  signal: AbortSignal
  headers?: Record<string, DynamicValue> | undefined
  params?: Record<string, DynamicValue> | undefined
  /** Content type if already known (decides SSE vs long-poll in auto mode). */
  contentType?: string | undefined
  /** Hand out large JSON responses in pieces while they download. */
  progressive?: boolean | undefined
}

function decodeBase64(text: string, url: string): Uint8Array {
  const clean = text.replace(/[\r\n]/g, '')
  if (clean.length === 0) return EMPTY
  let bin: string
  try {
    bin = atob(clean)
  } catch (err) {
    throw new ParseError(`Invalid base64 in SSE data event from ${url} (${clean.length} chars)`, {
      url,
      cause: err,
    })
  }
  const out = new Uint8Array(bin.length)
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i)
  return out
}

interface ControlEvent {
  streamNextOffset: string
  streamCursor?: string
  upToDate?: boolean
  streamClosed?: boolean
}

function parseControl(data: string, url: string): ControlEvent {
  let parsed: unknown
  try {
    parsed = JSON.parse(data)
  } catch (err) {
    throw new ParseError(
      `Malformed SSE control event on ${url}: ${JSON.stringify(data.slice(0, 100))}`,
      {
        url,
        cause: err,
      },
    )
  }
  if (
    typeof parsed !== 'object' ||
    parsed === null ||
    typeof (parsed as ControlEvent).streamNextOffset !== 'string'
  ) {
    throw new ParseError(
      `SSE control event without streamNextOffset on ${url}: ${JSON.stringify(data.slice(0, 100))}`,
      { url },
    )
  }
  return parsed as ControlEvent
}

/** True when an error means "the reader was closed or aborted": iteration ends quietly. */
function isStop(err: unknown, signal: AbortSignal): boolean {
  return (
    signal.aborted &&
    (err instanceof AbortError ||
      err instanceof ClosedError ||
      !(err instanceof DurableStreamsError))
  )
}

/**
 * Runs a read: yields batches until EOF (closure), the end of catch-up (`live: false`),
 * or abort. Errors other than abort are thrown to the consumer.
 */
export async function* runRead(
  t: Transport,
  opts: EngineOptions,
  state: ReadState,
): AsyncGenerator<RawBatch, void, undefined> {
  const { url, signal } = opts
  let phase: ReadPhase = 'catch-up'
  if (
    opts.offset === 'now' &&
    (opts.live === 'long-poll' || (opts.live === 'sse' && opts.contentType !== undefined))
  ) {
    // `now` goes straight to live: the server starts waiting at the tail (PROTOCOL.md §8).
    // SSE responses do not carry the stream's content type, so when it is unknown one
    // catch-up request at `now` learns it (and the tail) first.
    phase = opts.live
  }
  if (opts.contentType) state.contentType = opts.contentType
  let sseFailures = 0
  /** Responses in a row whose next offset went backwards (see {@link isOffsetBefore}). */
  let regressions = 0
  // Such a response is dropped whole (its data would repeat messages already handed out): it is
  // counted, and the same offset is read again after a backoff. Seen with the file-backed
  // reference server, whose reads can briefly see a segment file ahead of its metadata. Ends
  // with a typed error once the retry budget is spent.
  const regressed = async (received: string, how: ReadPhase): Promise<void> => {
    state.offsetRegressions++
    regressions++
    if (regressions > t.config.retry.maxRetries) {
      throw new OffsetRegressionError(
        `${how} read of ${url} at offset ${state.offset} was answered with the lower next offset ${received} ${regressions} times in a row; offsets never go backwards (is the server broken, or was the stream re-created?)`,
        { url, requestedOffset: state.offset, receivedOffset: received },
      )
    }
    t.config.logger.warn(
      `[durable-streams] ${how} read of ${url} at offset ${state.offset} answered with the lower next offset ${received}; ignored, reading again (${regressions}/${t.config.retry.maxRetries})`,
    )
    await sleep(backoffDelay(t.config.retry, regressions - 1), [signal])
  }
  /** SSE connections in a row that stayed silent without a single control event. */
  let silent = 0
  try {
    while (!signal.aborted) {
      if (phase === 'catch-up' || phase === 'long-poll') {
        let batch: RawBatch | undefined
        if (opts.progressive) {
          for await (const piece of httpReadPieces(t, opts, state, phase)) {
            if (piece.part && !piece.part.last) yield piece
            else batch = piece
          }
          if (!batch) return // aborted mid-response
        } else batch = await httpRead(t, opts, state, phase)
        if (isOffsetBefore(batch.nextOffset, state.offset)) {
          await regressed(batch.nextOffset, phase)
          continue
        }
        regressions = 0
        if (batch.contentType) state.contentType = batch.contentType
        const advanced = batch.nextOffset !== state.offset
        state.offset = batch.nextOffset
        state.cursor = batch.cursor ?? state.cursor
        state.upToDate = batch.upToDate
        state.closed = batch.closed
        yield batch
        if (batch.closed) return
        if (phase === 'catch-up') {
          // Guard against servers that neither advance nor say up-to-date: a response that
          // does not move the offset carries nothing new (an empty JSON range is `[]`).
          const caughtUp = batch.upToDate || !advanced
          if (caughtUp) {
            if (opts.live === false) return
            phase = chooseLive(opts.live, state.contentType)
          }
        }
      } else {
        const r = yield* sseRead(t, opts, state)
        if (r.outcome === 'closed') return
        if (r.outcome === 'regressed') {
          state.reconnects++
          // Control events accepted on this connection first were progress: a new run begins.
          if (r.progress) regressions = 0
          await regressed(r.received ?? '', 'sse')
          continue
        }
        if (r.progress) regressions = 0
        if (r.outcome === 'unsupported') {
          t.config.logger.warn(
            `[durable-streams] SSE not available for ${url}; falling back to long-poll`,
          )
          phase = 'long-poll'
          continue
        }
        state.reconnects++
        if (r.outcome === 'idle') {
          // Reopened at once, and never fatal: a quiet server costs one request per idle
          // period. Without any control event it counts toward auto mode's fallback.
          t.config.logger.warn(
            `[durable-streams] SSE connection to ${url} silent for ${sseIdleMs(t)} ms; reconnecting`,
          )
          if (r.progress) silent = 0
          else if (++silent >= 3 && opts.live === 'auto') {
            t.config.logger.warn(
              `[durable-streams] SSE connections to ${url} stay silent; falling back to long-poll`,
            )
            phase = 'long-poll'
          }
          continue
        }
        // A connection that delivered a control event made progress, so the failure budget
        // starts over: a clean end reconnects at once (servers close SSE periodically), a drop
        // backs off briefly. Connections that fail or end without progress use up the budget.
        if (r.progress) {
          sseFailures = 0
          silent = 0
          if (r.outcome === 'ended') continue
        }
        sseFailures++
        if (sseFailures > t.config.retry.maxRetries) {
          throw new ConnectionError(
            `SSE connection to ${url} kept ${r.outcome === 'dropped' ? 'failing' : 'ending without data'} (${sseFailures} times)`,
            { url, cause: r.cause },
          )
        }
        if (opts.live === 'auto' && r.outcome === 'ended' && sseFailures >= 3) {
          t.config.logger.warn(
            `[durable-streams] SSE connections to ${url} end without data; falling back to long-poll`,
          )
          phase = 'long-poll'
          continue
        }
        await sleep(backoffDelay(t.config.retry, sseFailures - 1), [signal])
      }
    }
  } catch (err) {
    if (isStop(err, signal)) return
    throw err
  }
}

function chooseLive(live: LiveMode, contentType: string | undefined): ReadPhase {
  if (live === 'long-poll' || live === 'sse') return live
  // auto: SSE for JSON and text, long-poll for binary.
  return isJsonContentType(contentType) || isTextContentType(contentType) ? 'sse' : 'long-poll'
}

/** How one SSE connection ended, and whether it delivered any control event. */
interface SseResult {
  /** `idle`: silent for longer than `sseIdleTimeout` while we waited on it, so closed by us. */
  /** `regressed`: a control event's next offset lay before the reader's offset (`received`). */
  outcome: 'closed' | 'ended' | 'dropped' | 'idle' | 'unsupported' | 'regressed'
  progress: boolean
  cause?: unknown
  received?: string
}

async function* sseRead(
  t: Transport,
  opts: EngineOptions,
  state: ReadState,
): AsyncGenerator<RawBatch, SseResult, undefined> {
  let opened: Awaited<ReturnType<Transport['open']>>
  try {
    opened = await t.open(readSpec(t, opts, state, 'sse'))
  } catch (err) {
    if (err instanceof BadRequestError) {
      if (opts.live === 'auto') return { outcome: 'unsupported', progress: false }
      throw new SSENotSupportedError(
        `SSE read refused by the server for ${opts.url}: ${err.message}`,
        {
          url: opts.url,
          status: err.status,
          headers: err.headers,
          cause: err,
        },
      )
    }
    throw err
  }
  const { res, dispose } = opened
  state.lastSent = opened.sent
  try {
    const ct = res.headers.get(H.contentType) ?? ''
    if (!ct.toLowerCase().startsWith('text/event-stream') || !res.hasBody) {
      if (opts.live === 'auto') return { outcome: 'unsupported', progress: false }
      throw new SSENotSupportedError(
        `Server did not answer with an event stream for ${opts.url} (content-type: ${ct || 'none'})`,
        { url: opts.url, status: res.status },
      )
    }
    const base64 = (res.headers.get(H.sseEncoding) ?? '').toLowerCase() === 'base64'
    const events: EventSourceMessage[] = []
    const parser = createParser({ onEvent: (ev) => events.push(ev) })
    const decoder = new TextDecoder()
    const reader = res.reader()
    let texts: string[] = []
    let bytes: Uint8Array[] = []
    let progress = false
    // Watchdog: a connection silent for longer than `sseIdleMs` while we wait on it is treated
    // as lost (a server whose handler died can keep the socket open and send nothing). Only
    // time spent waiting counts, not time the consumer spends on a batch. One timer, re-armed
    // when it fires early; each read just records when it started.
    const idleMs = sseIdleMs(t)
    let waitingSince: number | undefined
    let idle = false
    let watchdog: ReturnType<typeof setTimeout> | undefined
    const arm = (ms: number): void => {
      watchdog = setTimeout(() => {
        const quiet = waitingSince === undefined ? 0 : performance.now() - waitingSince
        if (quiet < idleMs) return arm(idleMs - quiet)
        idle = true
        dispose()
      }, ms)
    }
    arm(idleMs)
    try {
      for (;;) {
        let chunk: ReadableStreamReadResult<Uint8Array>
        waitingSince = performance.now()
        try {
          chunk = await reader.read()
        } catch (err) {
          if (opts.signal.aborted) throw err
          if (idle) return { outcome: 'idle', progress }
          // Connection dropped mid-stream: the caller reconnects from the last offset.
          return { outcome: 'dropped', progress, cause: err }
        } finally {
          waitingSince = undefined
        }
        if (idle) return { outcome: 'idle', progress }
        if (chunk.done) {
          parser.feed(decoder.decode())
          return { outcome: 'ended', progress }
        }
        parser.feed(decoder.decode(chunk.value, { stream: true }))
        for (let i = 0; i < events.length; i++) {
          const ev = events[i]!
          if (ev.event === 'data') {
            if (base64) bytes.push(decodeBase64(ev.data, opts.url))
            else texts.push(ev.data)
          } else if (ev.event === 'control') {
            const c = parseControl(ev.data, opts.url)
            if (isOffsetBefore(c.streamNextOffset, state.offset)) {
              // The data since the last control event would repeat messages: dropped with it.
              events.length = 0
              return { outcome: 'regressed', progress, received: c.streamNextOffset }
            }
            const closed = c.streamClosed === true
            state.offset = c.streamNextOffset
            if (c.streamCursor !== undefined) state.cursor = c.streamCursor
            state.upToDate = c.upToDate === true || closed
            state.closed = closed
            const batch: RawBatch = {
              nextOffset: c.streamNextOffset,
              cursor: c.streamCursor,
              upToDate: state.upToDate,
              closed,
              status: res.status,
              phase: 'sse',
              contentType: state.contentType,
              receivedAt: Date.now(),
            }
            if (base64) batch.bytes = bytes.length === 0 ? EMPTY : concatBytes(bytes)
            else batch.texts = texts
            texts = []
            bytes = []
            progress = true
            yield batch
            if (closed) {
              events.length = 0
              return { outcome: 'closed', progress }
            }
          }
          // Unknown event types are ignored (forward compatibility).
        }
        events.length = 0
      }
    } finally {
      clearTimeout(watchdog)
      reader.releaseLock()
    }
  } finally {
    dispose()
  }
}
