/**
 * `Client`: shared settings (base URL, headers, params, timeout, retry, fetch, logger) for
 * many stream handles, and one switch to cancel everything they do.
 */
import { DEFAULT_TIMEOUT_MS } from './defaults.js'
import { InvalidArgumentError } from './errors.js'
import { checkHeaders, checkOptions, checkParams, checkPath, checkUrl } from './validate.js'
import { Transport, validateAppendRetry, type AppendRetry } from './http.js'
import { resolveEngine } from './engine.js'
import { CloseHub, isNodeRuntime } from './http-util.js'
import { defaultLoggerProxy } from './logger.js'
import {
  validateRetryOptions,
  validateTimeout,
  type DynamicValue,
  type FetchLike,
  type Logger,
  type RetryOptions,
} from './options.js'
import { Stream, type StreamCreateOptions } from './stream.js'

/**
 * Options of a {@link Client}.
 *
 * @example
 * ```ts
 * const opts: ClientOptions = { baseUrl: 'http://127.0.0.1:4437', timeout: 10_000 }
 * ```
 */
export interface ClientOptions {
  /** Base URL that stream paths are resolved against, e.g. `http://localhost:4437/v1/stream`. */
  baseUrl?: string | undefined
  /** Headers on every request; a function value is called before each request (fresh tokens). */
  headers?: Record<string, DynamicValue> | undefined
  /** Query parameters on every request; function values are evaluated per request. */
  params?: Record<string, DynamicValue> | undefined
  /** Per-request timeout in ms (long-poll requests get extra time). Default 30 000. */
  timeout?: number | undefined
  /**
   * How long an open SSE connection may stay silent (not a single byte while the reader
   * waits on it) before it is treated as lost and reopened from the last offset. Servers send
   * a control event at least when their own ~30 s wait ends; keep this above that.
   * Default: `timeout` + 35 000 ms (what a long-poll request may take).
   */
  sseIdleTimeout?: number | undefined
  /** Retry policy for transient failures. */
  retry?: RetryOptions | undefined
  /** `fetch` implementation. Default: the global one. */
  fetch?: FetchLike | undefined
  /** Logger. Default: `DurableStreams.logger` (silent unless set). */
  logger?: Logger | undefined
  /**
   * Retries of plain appends (no `seq`, no producer headers), which are not idempotent:
   * `'safe'` (default) retries only failures that prove the append never reached the server
   * and raises `AppendOutcomeUnknownError` otherwise; `'at-least-once'` retries every
   * transient failure, so an append may be stored twice. For exactly once, use an
   * `IdempotentProducer`.
   */
  appendRetry?: AppendRetry | undefined
}

/**
 * Shared configuration and connection reuse for many streams.
 *
 * @example
 * ```ts
 * await using client = new Client({
 *   baseUrl: 'http://127.0.0.1:4437',
 *   headers: { authorization: async () => `Bearer ${await getToken()}` },
 * })
 * const orders = await client.create('/orders', { contentType: 'application/json' })
 * await orders.append({ id: 1 })
 * ```
 */
export class Client {
  /** @internal */
  readonly transport: Transport
  /** Base URL, if any. */
  readonly baseUrl: string | undefined
  private readonly hub = new CloseHub()

  constructor(opts: ClientOptions = {}) {
    checkOptions(opts)
    checkHeaders(opts.headers)
    checkParams(opts.params)
    if (opts.fetch !== undefined && typeof opts.fetch !== 'function') {
      throw new InvalidArgumentError('fetch', 'Invalid fetch: must be a function like fetch')
    }
    if (opts.baseUrl !== undefined) {
      checkUrl(opts.baseUrl, 'baseUrl')
    }
    this.baseUrl = opts.baseUrl
    const { engine, streamLargeBodies } = resolveEngine(opts.fetch, isNodeRuntime())
    this.transport = new Transport({
      engine,
      headers: { ...(opts.headers ?? {}) },
      params: { ...(opts.params ?? {}) },
      timeout: validateTimeout(opts.timeout ?? DEFAULT_TIMEOUT_MS),
      sseIdleTimeout:
        opts.sseIdleTimeout === undefined
          ? undefined
          : validateTimeout(opts.sseIdleTimeout, 'sseIdleTimeout'),
      retry: validateRetryOptions(opts.retry),
      logger: opts.logger ?? defaultLoggerProxy,
      closeHub: this.hub,
      streamLargeBodies,
      appendRetry: validateAppendRetry(opts.appendRetry),
    })
  }

  /**
   * Runs `fn` with a new client and closes the client when `fn` settles.
   *
   * @example
   * ```ts
   * const tail = await Client.open({ baseUrl }, async (c) => (await c.connect('/logs')).nextOffset)
   * ```
   */
  static async open<T>(opts: ClientOptions, fn: (client: Client) => T | Promise<T>): Promise<T> {
    const client = new Client(opts)
    try {
      return await fn(client)
    } finally {
      await client.close()
    }
  }

  /** Whether `close()` was called. */
  get closed(): boolean {
    return this.hub.closed
  }

  /**
   * Resolves a stream path (or absolute URL) against `baseUrl`.
   *
   * @example
   * ```ts
   * new Client({ baseUrl: 'http://h/v1/stream' }).resolve('a/b') // 'http://h/v1/stream/a/b'
   * ```
   */
  resolve(path: string): string {
    checkPath(path)
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(path)) return checkUrl(path, 'path')
    if (this.baseUrl === undefined) {
      throw new InvalidArgumentError(
        'path',
        `Cannot resolve stream path ${JSON.stringify(path)}: the client has no baseUrl`,
      )
    }
    return this.baseUrl.replace(/\/+$/, '') + '/' + path.replace(/^\/+/, '')
  }

  /**
   * A handle on a stream; no I/O.
   *
   * @example
   * ```ts
   * const s = client.stream('/events', { contentType: 'application/json' })
   * ```
   */
  stream(
    path: string,
    opts: {
      contentType?: string | undefined
      headers?: Record<string, DynamicValue> | undefined
      params?: Record<string, DynamicValue> | undefined
    } = {},
  ): Stream {
    return new Stream({ url: this.resolve(path), client: this, ...opts })
  }

  /**
   * Connects to an existing stream (HEAD); throws `StreamNotFoundError` if absent.
   *
   * @example
   * ```ts
   * const s = await client.connect('/events')
   * ```
   */
  async connect(
    path: string,
    opts: {
      headers?: Record<string, DynamicValue> | undefined
      signal?: AbortSignal | undefined
    } = {},
  ): Promise<Stream> {
    const s = this.stream(path, opts.headers ? { headers: opts.headers } : {})
    await s.head(opts.signal ? { signal: opts.signal } : {})
    return s
  }

  /**
   * Creates a stream (idempotent for an identical configuration) and returns its handle.
   *
   * @example
   * ```ts
   * const s = await client.create('/events', { contentType: 'application/json', ttlSeconds: 86_400 })
   * ```
   */
  async create(path: string, opts: StreamCreateOptions = {}): Promise<Stream> {
    const s = this.stream(path)
    await s.createStream(opts)
    return s
  }

  /**
   * Closes the client: aborts its in-flight requests (they reject with `ClosedError`) and
   * refuses new ones. Idempotent.
   *
   * @example
   * ```ts
   * await client.close()
   * ```
   */
  async close(): Promise<void> {
    // A plain reason: each request turns it into a ClosedError naming its own URL.
    this.hub.close(new Error('client closed'))
  }

  /** `await using client = new Client(...)` closes it at the end of the scope. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close()
  }
}
