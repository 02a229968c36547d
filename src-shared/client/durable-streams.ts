/**
 * `DurableStreams`: one-shot helpers for scripts and the process-wide logger.
 */
import type { AppendData } from './body.js'
import { getDefaultLogger, setDefaultLogger } from './logger.js'
import type { DynamicValue, Logger } from './options.js'
import { Stream, type AppendResult, type StreamCreateOptions } from './stream.js'

/**
 * One-shot helpers: each call builds a handle with default settings and does one thing.
 *
 * @example
 * ```ts
 * DurableStreams.logger = console
 * const s = await DurableStreams.create({ url, contentType: 'application/json' })
 * await DurableStreams.append({ url, data: { hello: 'world' } })
 * console.log(await DurableStreams.read({ url }))
 * ```
 */
export class DurableStreams {
  private constructor() {}

  /** The default logger of every client and handle that was not given one. Silent by default. */
  static get logger(): Logger {
    return getDefaultLogger()
  }
  static set logger(logger: Logger) {
    setDefaultLogger(logger)
  }

  /**
   * Creates a stream and returns its handle.
   *
   * @example
   * ```ts
   * const s = await DurableStreams.create({ url, contentType: 'text/plain', ttlSeconds: 60 })
   * ```
   */
  static async create(opts: StreamCreateOptions & { url: string }): Promise<Stream> {
    const { url, headers, ...rest } = opts
    const s = new Stream({ url, ...(headers ? { headers } : {}) })
    await s.createStream(rest)
    return s
  }

  /**
   * Connects to an existing stream (HEAD); throws `StreamNotFoundError` if absent.
   *
   * @example
   * ```ts
   * const s = await DurableStreams.connect({ url })
   * ```
   */
  static connect(opts: {
    url: string
    headers?: Record<string, DynamicValue> | undefined
  }): Promise<Stream> {
    return Stream.connect(opts)
  }

  /**
   * Appends one message.
   *
   * @example
   * ```ts
   * const { nextOffset } = await DurableStreams.append({ url, data: 'line\n' })
   * ```
   */
  static append(opts: {
    url: string
    data: AppendData
    headers?: Record<string, DynamicValue> | undefined
    seq?: string | number | undefined
    contentType?: string | undefined
  }): Promise<AppendResult> {
    const s = new Stream({
      url: opts.url,
      ...(opts.headers ? { headers: opts.headers } : {}),
      ...(opts.contentType ? { contentType: opts.contentType } : {}),
    })
    return s.append(opts.data, opts.seq !== undefined ? { seq: opts.seq } : {})
  }

  /**
   * Reads everything from `offset` (default: the beginning) up to the tail.
   *
   * @example
   * ```ts
   * const messages = await DurableStreams.read({ url })
   * ```
   */
  static read(opts: {
    url: string
    offset?: string | undefined
    headers?: Record<string, DynamicValue> | undefined
  }): Promise<unknown[] | Uint8Array> {
    const s = new Stream({ url: opts.url, ...(opts.headers ? { headers: opts.headers } : {}) })
    return s.readAll(opts.offset !== undefined ? { offset: opts.offset } : {})
  }
}
