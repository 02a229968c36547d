/**
 * Catch-up and long-poll GETs of the read engine: one response as one batch, or — with
 * `progressive` on a JSON stream — one response as several pieces handed out while the body
 * downloads, so the first messages of a huge catch-up are usable long before its end.
 * @internal
 */
import type { EngineResponse } from './engine.js'
import { ConnectionError, DurableStreamsError, ParseError, TimeoutError } from './errors.js'
import type { RequestSpec, Transport } from './http.js'
import { backoffDelay, sleep } from './http-util.js'
import { JsonArraySplitter } from './json-split.js'
import { H, isJsonContentType, isOffsetBefore } from './protocol.js'
import type { EngineOptions, RawBatch, ReadPhase, ReadState } from './read-engine.js'
import { isTrue } from './response.js'

export const EMPTY = new Uint8Array(0)
/** What a live request may take beyond the request timeout (the server's own wait). */
const LIVE_GRACE_MS = 35_000

/** How long a long-poll request may take: the timeout plus the server's wait. */
export function longPollMs(t: Transport): number {
  return t.config.timeout + LIVE_GRACE_MS
}

/** How long an open SSE connection may stay silent while the reader waits on it. */
export function sseIdleMs(t: Transport): number {
  return t.config.sseIdleTimeout ?? longPollMs(t)
}
/** The first piece of a progressive response is handed out early, later ones in bulk. */
const FIRST_PIECE_CHARS = 16 * 1024
const PIECE_CHARS = 1024 * 1024

export function readMeta(
  res: EngineResponse,
  fallbackOffset: string,
): {
  nextOffset: string
  cursor: string | undefined
  upToDate: boolean
  closed: boolean
} {
  const h = res.headers
  const closed = isTrue(h.get(H.streamClosed))
  return {
    nextOffset: h.get(H.nextOffset) ?? fallbackOffset,
    cursor: h.get(H.cursor) ?? undefined,
    // A closed stream at its end is by definition up to date.
    upToDate: isTrue(h.get(H.upToDate)) || closed,
    closed,
  }
}

/**
 * The GET of one read step: `offset` (and `live` + `cursor` for live reads) with the read's
 * extra headers and params. Long-polls may wait past the normal timeout; SSE is timed until
 * its headers only (see `Transport.open`).
 */
export function readSpec(
  t: Transport,
  opts: EngineOptions,
  state: ReadState,
  phase: ReadPhase,
): RequestSpec {
  const query: Record<string, string> = { offset: state.offset }
  if (phase !== 'catch-up') {
    query.live = phase
    if (state.cursor !== undefined) query.cursor = state.cursor
  }
  return {
    method: 'GET',
    url: opts.url,
    query,
    extraHeaders: opts.headers,
    extraParams: opts.params,
    signal: opts.signal,
    timeoutMs: phase === 'long-poll' ? longPollMs(t) : undefined,
  }
}

/** One GET, its whole body as one batch. */
export async function httpRead(
  t: Transport,
  opts: EngineOptions,
  state: ReadState,
  phase: 'catch-up' | 'long-poll',
): Promise<RawBatch> {
  return t.request(readSpec(t, opts, state, phase), async (res, sent) => {
    state.lastSent = sent
    return wholeBatch(res, await readPayload(res), state, phase)
  })
}

async function readPayload(res: EngineResponse): Promise<Pick<RawBatch, 'bytes' | 'texts'>> {
  const contentType = res.headers.get(H.contentType) ?? undefined
  if (res.status === 204) return { bytes: EMPTY }
  // JSON bodies are read as text (one decode, no intermediate byte copy) for the parser.
  if (isJsonContentType(contentType)) {
    const text = await res.text()
    return { texts: text === '' ? [] : [text] }
  }
  return { bytes: await res.bytes() }
}

function wholeBatch(
  res: EngineResponse,
  payload: Pick<RawBatch, 'bytes' | 'texts'>,
  state: ReadState,
  phase: 'catch-up' | 'long-poll',
): RawBatch {
  const meta = readMeta(res, state.offset)
  return {
    ...payload,
    ...meta,
    // A long-poll timeout (204) means "nothing new": caught up.
    upToDate: meta.upToDate || res.status === 204,
    status: res.status,
    phase,
    contentType: res.headers.get(H.contentType) ?? undefined,
    receivedAt: Date.now(),
  }
}

/**
 * One GET whose JSON body is handed out in pieces as it arrives. Every piece but the last has
 * `part.last === false` and `nextOffset` equal to the offset the response started at (resuming
 * from it re-reads the response, never skips). A connection lost mid-body is retried within the
 * retry budget from the same offset, skipping the messages already handed out. Other content
 * types, and responses that fit one piece, come out as one ordinary batch.
 */
export async function* httpReadPieces(
  t: Transport,
  opts: EngineOptions,
  state: ReadState,
  phase: 'catch-up' | 'long-poll',
): AsyncGenerator<RawBatch, void, undefined> {
  const start = state.offset
  const spec = readSpec(t, opts, state, phase)
  const idleMs = t.config.timeout
  // Messages at this offset already handed out: by an earlier attempt of this response, or by
  // a longer earlier response at a previous offset (a retry can get a shorter chunk).
  let delivered = state.carrySkip ?? 0
  state.carrySkip = 0
  for (let attempt = 0; ; attempt++) {
    const opened = await t.open(spec)
    state.lastSent = opened.sent
    const { res } = opened
    let idle = false
    try {
      const contentType = res.headers.get(H.contentType) ?? undefined
      if (res.status === 204 || !isJsonContentType(contentType)) {
        const payload = await readPayload(res)
        if (res.status === 204) state.carrySkip = delivered // nothing new: still to skip
        yield wholeBatch(res, payload, state, phase)
        return
      }
      const meta = readMeta(res, state.offset)
      if (isOffsetBefore(meta.nextOffset, start)) {
        // Going backwards: nothing of it is handed out (the engine reads `start` again).
        state.carrySkip = delivered
        yield wholeBatch(res, { texts: [] }, state, phase)
        return
      }
      const splitter = new JsonArraySplitter(delivered, opts.url)
      const reader = res.reader()
      const decoder = new TextDecoder()
      let threshold = delivered === 0 ? FIRST_PIECE_CHARS : PIECE_CHARS
      try {
        for (;;) {
          const timer = setTimeout(() => {
            idle = true
            opened.dispose()
          }, idleMs)
          let chunk: ReadableStreamReadResult<Uint8Array>
          try {
            chunk = await reader.read()
          } finally {
            clearTimeout(timer)
          }
          if (chunk.done) break
          splitter.push(decoder.decode(chunk.value, { stream: true }))
          // Once the array has ended, the rest travels with the last batch.
          if (!splitter.done && splitter.readyChars >= threshold) {
            const piece = splitter.take()!
            yield {
              texts: [piece.text],
              nextOffset: start,
              cursor: meta.cursor,
              upToDate: false,
              closed: false,
              status: res.status,
              phase,
              contentType,
              receivedAt: Date.now(),
              part: { start, end: meta.nextOffset, skip: delivered, last: false },
            }
            delivered += piece.count
            threshold = PIECE_CHARS
          }
        }
      } finally {
        reader.releaseLock()
      }
      splitter.push(decoder.decode())
      splitter.finish()
      const rest = splitter.take()
      // A retry that got a shorter response than what was handed out: the rest of the skip
      // applies to the next response.
      state.carrySkip = splitter.pendingSkip
      const batch = wholeBatch(res, { texts: rest ? [rest.text] : [] }, state, phase)
      if (delivered > 0) batch.part = { start, end: meta.nextOffset, skip: delivered, last: true }
      yield batch
      return
    } catch (err) {
      if (err instanceof SyntaxError) {
        throw new ParseError(`Malformed JSON from ${opts.url}: ${err.message}`, {
          url: opts.url,
          cause: err,
        })
      }
      if (opts.signal.aborted) throw err
      // An idle body was aborted by our own timer: whatever the engine made of that abort
      // (fetch reports the abort reason), it is a timeout to retry.
      if (!idle && err instanceof DurableStreamsError) throw err
      const failure = idle
        ? new TimeoutError(`GET ${opts.url}: no data for ${idleMs} ms mid-body`, {
            url: opts.url,
            cause: err,
          })
        : new ConnectionError(`Connection lost while reading ${opts.url}`, {
            url: opts.url,
            cause: err,
          })
      if (attempt >= t.config.retry.maxRetries) throw failure
      t.config.logger.debug(
        `[durable-streams] ${failure.message}; resuming after ${delivered} messages (retry ${attempt + 1}/${t.config.retry.maxRetries})`,
      )
      await sleep(backoffDelay(t.config.retry, attempt), [opts.signal])
    } finally {
      opened.dispose()
    }
  }
}
