/**
 * The HTTP engine seam: what the transport needs from one HTTP exchange, whatever sends it.
 * The portable engine wraps `fetch`; on Node the client's `node` entry registers a faster
 * engine over `node:http` as the default (see `setDefaultEngine`).
 * @internal
 */
import type { FetchLike } from './options.js'

/**
 * One request as the engine sends it: URL with query, lower-case headers, optional body.
 * @example
 * ```ts
 * const logged: HttpEngine = (req: EngineRequest) => { console.debug(req.method, req.url); return engine(req) }
 * ```
 */
export interface EngineRequest {
  method: string
  url: string
  headers: Record<string, string>
  body?: Uint8Array | string | undefined
  signal: AbortSignal
  /** Called once the body has been handed to the network layer. */
  onBodySent?: (() => void) | undefined
  /** Whether a large byte body may be streamed rather than buffered (fetch engine only). */
  streamBody?: boolean | undefined
}

/**
 * Read access to response headers (names are case-insensitive).
 * @example
 * ```ts
 * const next = (res.headers as EngineHeaders).get('stream-next-offset')
 * ```
 */
export interface EngineHeaders {
  get(name: string): string | null
  forEach(fn: (value: string, name: string) => void): void
}

/**
 * A pull reader over the body's chunks (the shape of a web stream reader).
 * @example
 * ```ts
 * const r: ChunkReader = res.reader()
 * for (let c = await r.read(); !c.done; c = await r.read()) console.log(c.value.length)
 * ```
 */
export interface ChunkReader {
  read(): Promise<ReadableStreamReadResult<Uint8Array>>
  releaseLock(): void
}

/**
 * One response. Its body can be consumed once, by exactly one of the methods.
 * @example
 * ```ts
 * const res: EngineResponse = await engine({ method: 'GET', url, headers: {}, signal })
 * if (res.ok) console.log(await res.text())
 * ```
 */
export interface EngineResponse {
  readonly status: number
  readonly statusText: string
  readonly ok: boolean
  readonly headers: EngineHeaders
  /** False when the response has no body at all (HEAD, 204, 304, `Content-Length: 0`). */
  readonly hasBody: boolean
  text(): Promise<string>
  bytes(): Promise<Uint8Array>
  /** The body as chunks, for streaming responses (SSE). */
  reader(): ChunkReader
  /** Drops a body nobody read, so its connection can be reused. No-op once consumed. */
  discard(): void
}

/**
 * Sends one request; rejects on network failure or abort, resolves on any status.
 * Plug your own with {@link setDefaultEngine}.
 * @example
 * ```ts
 * const counting: HttpEngine = (req) => { requests++; return fetchEngine(fetch)(req) }
 * ```
 */
export type HttpEngine = (req: EngineRequest) => Promise<EngineResponse>

const EMPTY = new Uint8Array(0)

/** An empty reader, for responses without a body. */
export function emptyReader(): ChunkReader {
  return {
    read: () => Promise.resolve({ done: true, value: undefined }),
    releaseLock: () => undefined,
  }
}

/**
 * A fresh one-chunk stream over `bytes` (not a byte stream: the buffer is not transferred).
 * `onRead` fires when the reader asks for more after taking the chunk: the bytes were handed on.
 */
function bodyStream(
  bytes: Uint8Array,
  onRead: (() => void) | undefined,
): ReadableStream<Uint8Array> {
  let given = false
  return new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (!given) {
          given = true
          controller.enqueue(bytes)
          return
        }
        controller.close()
        onRead?.()
      },
    },
    { highWaterMark: 0 },
  )
}

/** A fetch `Response` as an engine response. */
export function wrapFetchResponse(res: Response): EngineResponse {
  return {
    status: res.status,
    statusText: res.statusText,
    ok: res.ok,
    headers: res.headers,
    hasBody: res.body !== null && res.headers.get('content-length') !== '0',
    text: () => res.text(),
    bytes: async () => (res.body === null ? EMPTY : new Uint8Array(await res.arrayBuffer())),
    reader: () => (res.body === null ? emptyReader() : res.body.getReader()),
    // An unread fetch body is released with the response object.
    discard: () => undefined,
  }
}

/**
 * The portable engine: any `fetch`.
 * @example
 * ```ts
 * setDefaultEngine(fetchEngine(globalThis.fetch)) // force fetch, also on Node
 * ```
 * With `streamBody`, a large byte body is sent as a stream
 * (`duplex: 'half'`), which Node's fetch writes without copying first (browsers refuse
 * streamed uploads over HTTP/1.1, so callers only ask for it on Node's built-in fetch).
 */
export function fetchEngine(fetchImpl: FetchLike): HttpEngine {
  return async (req) => {
    const init: RequestInit & { duplex?: 'half' } = {
      method: req.method,
      headers: req.headers,
      body: (req.body ?? null) as BodyInit | null,
      signal: req.signal,
    }
    if (req.streamBody && req.body instanceof Uint8Array) {
      // A new stream per attempt, so retries resend the same bytes.
      init.body = bodyStream(req.body, req.onBodySent)
      init.duplex = 'half'
    }
    const pending = fetchImpl(req.url, init)
    if (init.duplex === undefined) req.onBodySent?.()
    return wrapFetchResponse(await pending)
  }
}

let defaultEngine: HttpEngine | undefined

/**
 * Sets the engine used by clients and handles that were given no `fetch`. The client's Node
 * entry registers its `node:http` engine here; `undefined` goes back to the global `fetch`.
 * It applies to everything created afterwards: clients, and handles, producers and readers
 * made without a client. Each picks its engine when it is created and keeps it.
 * @example
 * ```ts
 * setDefaultEngine(fetchEngine(globalThis.fetch))
 * ```
 */
export function setDefaultEngine(engine: HttpEngine | undefined): void {
  defaultEngine = engine
}

/** The registered default engine, if any (else callers use `fetch`). */
export function getDefaultEngine(): HttpEngine | undefined {
  return defaultEngine
}

/**
 * The engine for a client given `fetchImpl` (or none): an injected fetch always wins; else the
 * registered default engine; else the global fetch (streaming large bodies where it is Node's).
 */
export function resolveEngine(
  fetchImpl: FetchLike | undefined,
  isNode: boolean,
): { engine: HttpEngine; streamLargeBodies: boolean } {
  if (fetchImpl) return { engine: fetchEngine(fetchImpl), streamLargeBodies: false }
  if (defaultEngine) return { engine: defaultEngine, streamLargeBodies: false }
  return {
    engine: fetchEngine((input, init) => globalThis.fetch(input, init)),
    streamLargeBodies: isNode,
  }
}
