/**
 * A `node:http` response as an engine response: headers, body as text/bytes/chunks with
 * content-encoding decoded, and the bookkeeping that keeps sockets reusable (unread bodies are
 * drained, a failed decode destroys the response, late reads fail instead of hanging).
 * @internal
 */
import type http from 'node:http'
import type { Readable } from 'node:stream'
import zlib from 'node:zlib'
import type { ChunkReader, EngineHeaders, EngineResponse } from './engine.js'
import { emptyReader } from './engine.js'

/** An error the way fetch reports an aborted request, with the signal's reason as cause. */
export function abortError(signal: AbortSignal): Error {
  const err = new Error('This operation was aborted')
  err.name = 'AbortError'
  ;(err as Error & { cause?: unknown }).cause = signal.reason
  return err
}

class NodeHeaders implements EngineHeaders {
  constructor(private readonly raw: http.IncomingHttpHeaders) {}

  // Node keeps the first of a repeated single-value header (content-type, location, …) where
  // fetch would join them; a server that repeats those is broken either way, and reading
  // `headersDistinct` instead costs ~3 µs per response.
  get(name: string): string | null {
    const v = this.raw[name.toLowerCase()]
    if (v === undefined) return null
    return Array.isArray(v) ? v.join(', ') : v
  }

  forEach(fn: (value: string, name: string) => void): void {
    for (const name in this.raw) {
      const v = this.raw[name]
      if (v === undefined) continue
      if (Array.isArray(v)) {
        if (name === 'set-cookie') for (const c of v) fn(c, name)
        else fn(v.join(', '), name)
      } else fn(v, name)
    }
  }
}

/** A copy that owns its memory (Node's small chunks are views into a shared pool). */
function owned(b: Buffer): Uint8Array {
  if (b.byteOffset === 0 && b.buffer.byteLength === b.length) {
    return new Uint8Array(b.buffer, 0, b.length)
  }
  return new Uint8Array(b)
}

/** The content codings of a response, in the order they were applied. */
function codings(res: http.IncomingMessage): string[] {
  const header = res.headers['content-encoding']
  if (!header) return []
  return header
    .toLowerCase()
    .split(',')
    .map((c) => c.trim())
    .filter((c) => c !== '' && c !== 'identity')
}

function decoder(coding: string): zlib.Gunzip | zlib.Inflate | zlib.BrotliDecompress | undefined {
  // Like fetch: a body cut short or empty decodes to what arrived instead of failing.
  const flush = { flush: zlib.constants.Z_SYNC_FLUSH, finishFlush: zlib.constants.Z_SYNC_FLUSH }
  if (coding === 'gzip' || coding === 'x-gzip') return zlib.createGunzip(flush)
  if (coding === 'deflate') return zlib.createInflate(flush)
  if (coding === 'br') {
    return zlib.createBrotliDecompress({
      flush: zlib.constants.BROTLI_OPERATION_FLUSH,
      finishFlush: zlib.constants.BROTLI_OPERATION_FLUSH,
    })
  }
  return undefined
}

/** At most this many codings are undone (as fetch does); more is refused. */
const MAX_CODINGS = 5

/** The body with its content codings undone (last applied, first undone). */
function decoded(res: http.IncomingMessage): Readable {
  const list = codings(res)
  if (list.length > MAX_CODINGS) {
    res.destroy(new Error(`Too many content codings (${list.length}) in the response`))
    return res
  }
  // Like fetch: if any coding is unknown, the body is handed on exactly as it arrived.
  const steps = list.map(decoder)
  if (steps.some((d) => d === undefined)) return res
  let out: Readable = res
  for (const step of (steps as NonNullable<(typeof steps)[number]>[]).reverse()) {
    const from = out
    // A failed decode must also end the response, or its socket stays busy for good; the
    // listener also keeps an error before the first read from being an uncaught exception.
    step.on('error', (err) => res.destroy(err))
    from.on('error', (err) => step.destroy(err))
    res.once('aborted', () => step.destroy(new Error('aborted')))
    out = from.pipe(step)
  }
  return out
}

export class NodeResponse implements EngineResponse {
  readonly status: number
  readonly statusText: string
  readonly ok: boolean
  readonly headers: NodeHeaders
  readonly hasBody: boolean
  private used = false
  /** Aborted after the body arrived and before anyone read it. */
  private aborted = false

  constructor(
    private readonly res: http.IncomingMessage,
    method: string,
    private readonly signal: AbortSignal,
  ) {
    this.status = res.statusCode ?? 0
    this.statusText = res.statusMessage ?? ''
    this.ok = this.status >= 200 && this.status < 300
    this.headers = new NodeHeaders(res.headers)
    this.hasBody =
      method !== 'HEAD' &&
      this.status !== 204 &&
      this.status !== 304 &&
      this.status >= 200 &&
      res.headers['content-length'] !== '0'
    // Errors surface through whoever reads the body; this listener only keeps an unread
    // response's late socket error from becoming an uncaught exception.
    res.on('error', () => undefined)
    // An empty body must still be read to the end for the socket to return to the pool.
    if (!this.hasBody) res.resume()
  }

  private body(): Readable {
    if (this.aborted) throw abortError(this.signal)
    if (this.used) throw new TypeError('Response body already used')
    this.used = true
    return decoded(this.res)
  }

  /** Collects the body; rejects at once if the response already died. */
  private collect(): Promise<Buffer> {
    const res = this.res
    if (this.aborted) return Promise.reject(abortError(this.signal))
    if (res.destroyed && !res.readableEnded) {
      this.used = true
      return Promise.reject(this.failure(res.errored ?? new Error('response body lost')))
    }
    const body = this.body()
    return new Promise<Buffer>((resolve, reject) => {
      const chunks: Buffer[] = []
      let size = 0
      body.on('data', (c: Buffer) => {
        chunks.push(c)
        size += c.length
      })
      body.once('end', () =>
        resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size)),
      )
      body.once('error', (err) => reject(this.failure(err)))
      // A response destroyed without an error (e.g. the socket closed early) never ends.
      body.once('close', () => {
        if (!body.readableEnded)
          reject(this.failure(new Error('response body closed before its end')))
      })
    })
  }

  /** An aborted request reports an AbortError (as fetch does), not the socket's error. */
  private failure(err: unknown): unknown {
    return this.signal.aborted ? abortError(this.signal) : err
  }

  async bytes(): Promise<Uint8Array> {
    if (!this.hasBody) return new Uint8Array(0)
    return owned(await this.collect())
  }

  async text(): Promise<string> {
    if (!this.hasBody) return ''
    return (await this.collect()).toString('utf8')
  }

  reader(): ChunkReader {
    if (!this.hasBody) return emptyReader()
    if (this.aborted) {
      const err = abortError(this.signal)
      return { read: () => Promise.reject(err), releaseLock: () => undefined }
    }
    const it = this.body()[Symbol.asyncIterator]() as AsyncIterator<Buffer>
    return {
      read: async () => {
        let r: IteratorResult<Buffer>
        try {
          r = await it.next()
        } catch (err) {
          throw this.failure(err)
        }
        if (r.done) return { done: true, value: undefined }
        const b = r.value
        // Chunks are handed on as views: the reader consumes them before the next read.
        return { done: false, value: new Uint8Array(b.buffer, b.byteOffset, b.length) }
      },
      releaseLock: () => {
        // Iteration stops with the response; the request's signal destroys it on dispose.
      },
    }
  }

  discard(): void {
    if (this.used) return
    this.used = true
    this.res.resume()
  }

  /**
   * The request was aborted after its whole body arrived: drops the rest (freeing the socket),
   * and later reads fail with AbortError as they would with fetch.
   */
  drainComplete(): void {
    if (this.used) {
      // A read in progress gets the whole body (it has all arrived); nothing to do.
      return
    }
    this.aborted = true
    this.used = true
    this.res.resume()
  }
}
