/**
 * Subject "raw": hand-written protocol requests on `node:http` keep-alive connections — the
 * limit a client could reach. No retries, no abstractions, no compression, SSE straight
 * from the start offset (no catch-up request first), producer batches as large as allowed
 * and pipelined.
 */
import { header, RawHttp, type RawResponse } from '../lib/http.js'
import { rawProduce } from '../lib/raw-producer.js'
import { SseSplitter, type SseEvent } from '../lib/sse.js'
import type { LiveMode, Subject, Tail, TailSpec } from './types.js'

const JSON_CT = 'application/json'
/** Producer batch size and pipelining depth (override with BENCH_RAW_BATCH / BENCH_RAW_INFLIGHT). */
const BATCH_BYTES = Number(process.env.BENCH_RAW_BATCH ?? 1_048_576)
const IN_FLIGHT = Number(process.env.BENCH_RAW_INFLIGHT ?? 4)

const pools = new Map<string, RawHttp>()
function pool(url: string): RawHttp {
  const origin = new URL(url).origin
  let h = pools.get(origin)
  if (!h) pools.set(origin, (h = new RawHttp(origin)))
  return h
}

const enc = encodeURIComponent

/** Query string in lexicographic key order: cursor, live, offset. */
function query(offset: string, live: LiveMode | undefined, cursor: string | undefined): string {
  let q = '?'
  if (cursor) q += `cursor=${enc(cursor)}&`
  if (live) q += `live=${live}&`
  return q + `offset=${enc(offset)}`
}

function ok(res: RawResponse, what: string): RawResponse {
  return RawHttp.expect(res, [200, 204], what)
}

function parseJsonArray(body: Buffer | string): unknown[] {
  const text = typeof body === 'string' ? body : body.toString('utf8')
  if (text.length === 0) return []
  const v: unknown = JSON.parse(text)
  return Array.isArray(v) ? v : [v]
}

interface HttpPage {
  res: RawResponse
  offset: string
  cursor: string | undefined
  upToDate: boolean
  closed: boolean
}

/** One catch-up or long-poll GET. */
async function page(
  h: RawHttp,
  path: string,
  offset: string,
  live: boolean,
  cursor: string | undefined,
  signal?: AbortSignal,
): Promise<HttpPage> {
  const res = ok(
    await h.request(
      'GET',
      path + query(offset, live ? 'long-poll' : undefined, cursor),
      {},
      undefined,
      signal,
    ),
    `GET ${path}`,
  )
  return {
    res,
    offset: header(res, 'stream-next-offset') || offset,
    cursor: header(res, 'stream-cursor') || cursor,
    upToDate: res.status === 204 || header(res, 'stream-up-to-date') === 'true',
    closed: header(res, 'stream-closed') === 'true',
  }
}

/** Long-poll reading loop: catch up, then `live=long-poll` with cursor echo. */
async function* longPoll(url: string, offset: string, signal: AbortSignal): AsyncGenerator<Buffer> {
  const h = pool(url)
  const path = RawHttp.pathOf(url)
  let cursor: string | undefined
  let live = false
  while (!signal.aborted) {
    const p = await page(h, path, offset, live, cursor, signal)
    offset = p.offset
    cursor = p.cursor
    if (p.res.status === 200 && p.res.body.length > 0) yield p.res.body
    if (p.closed) return
    live = live || p.upToDate
  }
}

/** SSE reading loop (JSON streams): data events as text, reconnecting from the last offset. */
async function* sse(url: string, offset: string, signal: AbortSignal): AsyncGenerator<string> {
  const h = pool(url)
  const path = RawHttp.pathOf(url)
  let cursor: string | undefined
  while (!signal.aborted) {
    const res = await h.open(path + query(offset, 'sse', cursor), {}, signal)
    if (res.statusCode !== 200) throw new Error(`SSE ${url}: HTTP ${res.statusCode}`)
    res.setEncoding('utf8')
    const splitter = new SseSplitter()
    const events: SseEvent[] = []
    for await (const chunk of res as AsyncIterable<string>) {
      splitter.push(chunk, events)
      for (const ev of events) {
        if (ev.event === 'data') yield ev.data
        else if (ev.event === 'control') {
          const c = JSON.parse(ev.data) as {
            streamNextOffset: string
            streamCursor?: string
            streamClosed?: boolean
          }
          offset = c.streamNextOffset
          cursor = c.streamCursor ?? cursor
          if (c.streamClosed) return
        }
      }
      events.length = 0
    }
  }
}

function* batchesOf(messages: readonly Uint8Array[], maxBytes: number): Generator<Buffer> {
  let start = 0
  while (start < messages.length) {
    let bytes = messages[start]!.length
    let end = start + 1
    while (end < messages.length && bytes + messages[end]!.length <= maxBytes) {
      bytes += messages[end]!.length
      end++
    }
    const only = messages[start]!
    yield end === start + 1
      ? Buffer.from(only.buffer, only.byteOffset, only.byteLength) // one message: no copy
      : Buffer.concat(messages.slice(start, end), bytes)
    start = end
  }
}

async function runTail(spec: TailSpec, signal: AbortSignal): Promise<void> {
  if (spec.mode === 'sse') {
    if (!spec.json) throw new Error('raw SSE reader handles JSON streams only')
    for await (const data of sse(spec.url, spec.offset, signal)) {
      spec.onBatch(parseJsonArray(data), undefined)
    }
  } else {
    for await (const body of longPoll(spec.url, spec.offset, signal)) {
      if (spec.json) spec.onBatch(parseJsonArray(body), undefined)
      else spec.onBatch(undefined, body)
    }
  }
}

async function* jsonMessages(url: string, mode: LiveMode, offset: string): AsyncGenerator<unknown> {
  const ac = new AbortController()
  try {
    if (mode === 'sse') {
      for await (const data of sse(url, offset, ac.signal)) yield* parseJsonArray(data)
    } else {
      for await (const body of longPoll(url, offset, ac.signal)) yield* parseJsonArray(body)
    }
  } finally {
    ac.abort()
  }
}

export const subject: Subject = {
  name: 'raw',

  byteAppender(url, contentType) {
    const h = pool(url)
    const path = RawHttp.pathOf(url)
    const headers = { 'content-type': contentType }
    return async (data) => {
      ok(await h.request('POST', path, headers, data), `POST ${url}`)
    }
  },

  jsonAppender(url) {
    const h = pool(url)
    const path = RawHttp.pathOf(url)
    const headers = { 'content-type': JSON_CT }
    return async (value) => {
      ok(await h.request('POST', path, headers, '[' + JSON.stringify(value) + ']'), `POST ${url}`)
    }
  },

  async create(url, contentType) {
    const res = await pool(url).request('PUT', RawHttp.pathOf(url), { 'content-type': contentType })
    RawHttp.expect(res, [200, 201], `PUT ${url}`)
  },

  async readBytes(url) {
    let n = 0
    for await (const body of longPollCatchUp(url)) n += body.length
    return n
  },

  async readJsonCount(url) {
    let n = 0
    for await (const body of longPollCatchUp(url)) n += parseJsonArray(body).length
    return n
  },

  async tail(spec): Promise<Tail> {
    const ac = new AbortController()
    runTail(spec, ac.signal).catch((err: unknown) => {
      if (!ac.signal.aborted) spec.onError(err)
    })
    return { close: () => ac.abort() }
  },

  async iterateJson(url, mode, offset) {
    return jsonMessages(url, mode, offset)
  },

  async produce(spec) {
    await rawProduce(pool(spec.url), {
      url: spec.url,
      producerId: spec.producerId,
      contentType: spec.contentType,
      maxInFlight: IN_FLIGHT,
      bodies: batchesOf(spec.messages, BATCH_BYTES),
    })
  },

  async dispose() {
    for (const h of pools.values()) h.close()
    pools.clear()
  },
}

/** Catch-up GETs until up to date. */
async function* longPollCatchUp(url: string): AsyncGenerator<Buffer> {
  const h = pool(url)
  const path = RawHttp.pathOf(url)
  let offset = '-1'
  for (;;) {
    const p = await page(h, path, offset, false, undefined)
    if (p.res.body.length > 0) yield p.res.body
    if (p.upToDate || p.closed || p.offset === offset) return
    offset = p.offset
  }
}
