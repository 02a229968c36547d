/**
 * The transport: one place that builds requests, evaluates dynamic headers and params,
 * applies timeouts and abort signals, retries transient failures with backoff, and maps
 * responses to typed errors.
 * @internal
 */
import {
  AbortError,
  AppendOutcomeUnknownError,
  ClosedError,
  ConnectionError,
  DurableStreamsError,
  InvalidArgumentError,
  TimeoutError,
} from './errors.js'
import {
  backoffDelay,
  buildUrl,
  linkSignals,
  parseRetryAfter,
  sleep,
  type CloseHub,
} from './http-util.js'
import type { EngineResponse, HttpEngine } from './engine.js'
import { checkHeaderValue, checkParamValue } from './validate.js'
import type { DynamicValue, Logger, ResolvedRetryOptions } from './options.js'
import { isRetryableStatus, errorFromResponse } from './response.js'

export {
  buildUrl,
  linkSignals,
  sleep,
  parseRetryAfter,
  backoffDelay,
  isNodeRuntime,
} from './http-util.js'

/** Shared request settings of a client or a stream handle. */
export interface TransportConfig {
  /** Sends the requests: `fetch`, or the `node:http` engine on Node. */
  engine: HttpEngine
  headers: Record<string, DynamicValue>
  params: Record<string, DynamicValue>
  timeout: number
  /**
   * How long an open SSE connection may stay silent (not a byte) while the reader waits on it
   * before it is treated as lost and reopened. Default: `timeout` + 35 000.
   */
  sseIdleTimeout?: number | undefined
  retry: ResolvedRetryOptions
  logger: Logger
  /** Closed when the owning client closes: cancels its requests and backoffs. */
  closeHub?: CloseHub | undefined
  /**
   * Send large byte bodies as a stream (`duplex: 'half'`) through the fetch engine. Node's
   * fetch then writes the bytes without copying them first; browsers refuse streamed uploads
   * over HTTP/1.1, so this is only on for the built-in fetch on Node.
   */
  streamLargeBodies?: boolean | undefined
  /**
   * Plain appends (no `Stream-Seq`, no producer headers): `'safe'` (default) retries them only
   * when they provably did not reach the server; `'at-least-once'` retries every transient
   * failure, accepting that a retried append may be stored twice.
   */
  appendRetry?: AppendRetry | undefined
}

/**
 * How plain appends (no `Stream-Seq`, no producer headers) are retried. Such an append is not
 * idempotent in the protocol: a retry after the server stored it stores it twice.
 * - `'safe'` (default): retried only when it provably did not reach the server (connection
 *   refused or unreachable, DNS failure, `429` or `503` answers);
 *   any other failure (timeout, connection lost after sending, other 5xx) raises
 *   `AppendOutcomeUnknownError`. At most once.
 * - `'at-least-once'`: retried like every other request; a retry may store it twice.
 * @example
 * ```ts
 * new Client({ baseUrl, appendRetry: 'at-least-once' })
 * ```
 */
export type AppendRetry = 'safe' | 'at-least-once'

/**
 * Validates an {@link AppendRetry} value (undefined: the default, `'safe'`).
 * @internal
 */
export function validateAppendRetry(v: unknown, field = 'appendRetry'): AppendRetry | undefined {
  if (v === undefined || v === 'safe' || v === 'at-least-once') return v
  throw new InvalidArgumentError(
    field,
    `Invalid ${field}: ${JSON.stringify(v) ?? typeof v} (must be 'safe' or 'at-least-once')`,
  )
}

/** System error codes of failures before any byte of the request reached the server. */
const NEVER_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EAI_FAIL',
  'EAI_NONAME',
  'EHOSTUNREACH',
  'ENETUNREACH',
])

/**
 * Whether a failed request provably never reached the server (so retrying cannot apply it
 * twice): a connection that was never made (refused, unreachable, DNS). A reset of a reused
 * kept-alive connection does not qualify: a server that crashed mid-request resets it too.
 * Looks through `cause` and `errors` (an engine may wrap the system error). Custom engines
 * may set `requestNotSent: true` on an error they know was raised before sending.
 */
export function neverReachedServer(err: unknown, depth = 0): boolean {
  if (typeof err !== 'object' || err === null || depth > 5) return false
  const e = err as { code?: unknown; requestNotSent?: unknown; cause?: unknown; errors?: unknown }
  if (e.requestNotSent === true) return true
  if (typeof e.code === 'string' && NEVER_SENT_CODES.has(e.code)) return true
  if (Array.isArray(e.errors) && e.errors.length > 0) {
    if (e.errors.every((x) => neverReachedServer(x, depth + 1))) return true
  }
  return neverReachedServer(e.cause, depth + 1)
}

/** Byte bodies from this size up are streamed when `streamLargeBodies` is on. */
export const STREAM_BODY_THRESHOLD = 64 * 1024

export type Method = 'GET' | 'HEAD' | 'PUT' | 'POST' | 'DELETE'

export interface RequestSpec {
  method: Method
  /** Stream URL without protocol query parameters. */
  url: string
  /** Protocol query parameters (offset, live, cursor). Merged with configured params and sorted. */
  query?: Record<string, string> | undefined
  /** Protocol headers (lower-case names). */
  headers?: Record<string, string> | undefined
  /** Per-call extra headers (may be dynamic). */
  extraHeaders?: Record<string, DynamicValue> | undefined
  /** Per-call extra query parameters (may be dynamic). */
  extraParams?: Record<string, DynamicValue> | undefined
  body?: Uint8Array | string | undefined
  signal?: AbortSignal | undefined
  /** Override of the configured timeout for this request. */
  timeoutMs?: number | undefined
  /** Whether transient failures are retried. Default true. */
  retry?: boolean | undefined
  /**
   * The request is not idempotent (a plain append): a retry is only made when the failure
   * proves it never reached the server (or on 429/503); otherwise the failure becomes an
   * `AppendOutcomeUnknownError`. See {@link AppendRetry}.
   */
  unsafe?: boolean | undefined
  /**
   * Called once the request body has been handed to the network layer (for streamed bodies:
   * when it has been read; otherwise when the request was issued). Pipelining writers use it
   * to keep requests in order on the wire.
   */
  onBodySent?: (() => void) | undefined
  /**
   * Whether a large byte body may be streamed (see `streamLargeBodies`). Default true. Measured
   * on Node: streaming wins for one large user buffer, but loses for pipelined producer batches.
   */
  streamable?: boolean | undefined
}

/**
 * What a request actually sent (dynamic values as evaluated), for diagnostics.
 * @example
 * ```ts
 * await stream.append('x')
 * console.log(stream.lastRequest?.headers, stream.lastRequest?.params)
 * ```
 */
export interface SentInfo {
  headers: Record<string, string>
  params: Record<string, string>
}

const TIMEOUT = Symbol('timeout')

/**
 * Evaluates a record of dynamic values. Values that are plain strings cost nothing (they were
 * checked where they entered the API); what a function returns is checked here, before the
 * request is sent: a header value must be a string without CR/LF, a parameter a string.
 */
async function resolveValues(
  rec: Record<string, DynamicValue>,
  into: Record<string, string>,
  lower: boolean,
): Promise<void> {
  for (const key in rec) {
    const v = rec[key]
    if (typeof v !== 'function') {
      if (v !== undefined) into[lower ? key.toLowerCase() : key] = v
      continue
    }
    const value: unknown = await v()
    if (value === undefined) continue
    if (lower) checkHeaderValue(value, `headers.${key}`)
    else checkParamValue(value, `params.${key}`)
    into[lower ? key.toLowerCase() : key] = value as string
  }
}

interface Prepared {
  url: string
  sent: SentInfo
  headers: Record<string, string>
}

function hasFunction(rec: Record<string, DynamicValue> | undefined): boolean {
  if (!rec) return false
  for (const k in rec) if (typeof rec[k] === 'function') return true
  return false
}

function copyLower(from: Record<string, string>, into: Record<string, string>): void {
  for (const k in from) {
    const v = from[k]
    if (v !== undefined) into[k.toLowerCase()] = v
  }
}

interface Attempt {
  res: EngineResponse
  sent: SentInfo
  controller: AbortController
  dispose: () => void
}

/**
 * Executes requests for one configuration. Cheap to create; holds no sockets of its own
 * (connections are pooled by the `fetch` implementation).
 */
export class Transport {
  private readonly dynamicDefaults: boolean

  constructor(readonly config: TransportConfig) {
    this.dynamicDefaults = hasFunction(config.headers) || hasFunction(config.params)
  }

  /** A transport with extra default headers layered on top of this one. */
  withHeaders(headers: Record<string, DynamicValue> | undefined): Transport {
    return this.with({ headers })
  }

  /** A transport with extra default headers and query parameters layered on top of this one. */
  with(extra: {
    headers?: Record<string, DynamicValue> | undefined
    params?: Record<string, DynamicValue> | undefined
  }): Transport {
    const h = extra.headers && Object.keys(extra.headers).length > 0 ? extra.headers : undefined
    const p = extra.params && Object.keys(extra.params).length > 0 ? extra.params : undefined
    if (!h && !p) return this
    return new Transport({
      ...this.config,
      headers: h ? { ...this.config.headers, ...h } : this.config.headers,
      params: p ? { ...this.config.params, ...p } : this.config.params,
    })
  }

  /** Builds URL and headers; synchronous unless some value is a function (hot path). */
  private prepare(spec: RequestSpec): Prepared | Promise<Prepared> {
    if (this.dynamicDefaults || hasFunction(spec.extraHeaders) || hasFunction(spec.extraParams)) {
      return this.prepareAsync(spec)
    }
    const headers: Record<string, string> = {}
    copyLower(this.config.headers as Record<string, string>, headers)
    if (spec.extraHeaders) copyLower(spec.extraHeaders as Record<string, string>, headers)
    if (spec.headers) Object.assign(headers, spec.headers)
    const params: Record<string, string> = { ...(this.config.params as Record<string, string>) }
    if (spec.extraParams) Object.assign(params, spec.extraParams)
    if (spec.query) Object.assign(params, spec.query)
    return { url: buildUrl(spec.url, params), sent: { headers, params }, headers }
  }

  private async prepareAsync(spec: RequestSpec): Promise<Prepared> {
    const headers: Record<string, string> = {}
    await resolveValues(this.config.headers, headers, true)
    if (spec.extraHeaders) await resolveValues(spec.extraHeaders, headers, true)
    if (spec.headers) Object.assign(headers, spec.headers)
    const params: Record<string, string> = {}
    await resolveValues(this.config.params, params, false)
    if (spec.extraParams) await resolveValues(spec.extraParams, params, false)
    if (spec.query) Object.assign(params, spec.query)
    return { url: buildUrl(spec.url, params), sent: { headers, params }, headers }
  }

  /** One attempt: resolves with a response of any status, or throws a classified error. */
  private async attempt(spec: RequestSpec, stream: boolean): Promise<Attempt> {
    const prepared = this.prepare(spec)
    const { url, sent, headers } = prepared instanceof Promise ? await prepared : prepared
    const controller = new AbortController()
    const unlinkSignal = linkSignals(controller, [spec.signal])
    const unhub = this.config.closeHub?.add((reason) => controller.abort(reason))
    const unlink = (): void => {
      unlinkSignal()
      unhub?.()
    }
    const timeoutMs = spec.timeoutMs ?? this.config.timeout
    let timer: ReturnType<typeof setTimeout> | undefined = setTimeout(
      () => controller.abort(TIMEOUT),
      timeoutMs,
    )
    const clearTimer = (): void => {
      if (timer !== undefined) clearTimeout(timer)
      timer = undefined
    }
    const dispose = (): void => {
      clearTimer()
      unlink()
    }
    try {
      const body = spec.body
      const res = await this.config.engine({
        method: spec.method,
        url,
        headers,
        body,
        signal: controller.signal,
        onBodySent: spec.onBodySent,
        streamBody:
          this.config.streamLargeBodies === true &&
          spec.streamable !== false &&
          body instanceof Uint8Array &&
          body.length >= STREAM_BODY_THRESHOLD,
      })
      // A streaming response is timed until its headers; an error response stays timed while
      // its body (the error text) is read.
      if (stream && res.ok) clearTimer()
      return { res, sent, controller, dispose }
    } catch (err) {
      dispose()
      throw this.classify(err, controller, spec, timeoutMs)
    }
  }

  /** Turns a thrown fetch/body error into a typed error; network errors become retryable ones. */
  classify(
    err: unknown,
    controller: AbortController,
    spec: RequestSpec,
    timeoutMs: number,
  ): DurableStreamsError {
    if (err instanceof DurableStreamsError) return err
    if (controller.signal.aborted) {
      const reason: unknown = controller.signal.reason
      if (reason === TIMEOUT) {
        return new TimeoutError(`${spec.method} ${spec.url} timed out after ${timeoutMs} ms`, {
          url: spec.url,
          cause: err,
        })
      }
      if (this.isClientClose(reason)) {
        return new ClosedError(`Client closed during ${spec.method} ${spec.url}`, {
          url: spec.url,
          cause: reason,
        })
      }
      return new AbortError(`${spec.method} ${spec.url} was aborted`, {
        url: spec.url,
        cause: reason,
      })
    }
    // fetch wraps the system error in `cause`; node:http throws it directly.
    const e = err as {
      code?: unknown
      message?: string
      cause?: { code?: string; message?: string }
    }
    const cause = e?.cause
    const detail =
      cause?.code ??
      cause?.message ??
      (typeof e?.code === 'string' ? e.code : undefined) ??
      e?.message ??
      String(err)
    return new ConnectionError(`Connection failed: ${spec.method} ${spec.url} (${detail})`, {
      url: spec.url,
      cause: err,
    })
  }

  private outcomeUnknown(
    spec: RequestSpec,
    error: DurableStreamsError,
    why: string,
  ): AppendOutcomeUnknownError {
    return new AppendOutcomeUnknownError(
      `${spec.method} ${spec.url}: the append may or may not have been stored (${why}). ` +
        'It was not retried: a plain append is not idempotent, so a retry could store it twice. ' +
        'For retries without duplicates use an IdempotentProducer (or pass seq); ' +
        "appendRetry: 'at-least-once' retries anyway.",
      { url: spec.url, status: error.status, headers: error.headers, cause: error },
    )
  }

  private isRetryableError(e: DurableStreamsError): boolean {
    return e instanceof ConnectionError || e instanceof TimeoutError
  }

  private async backoff(
    spec: RequestSpec,
    attempt: number,
    waitMs: number | undefined,
    why: string,
  ): Promise<void> {
    // Retry-After is honoured, within reason: at most a minute (or maxDelayMs if larger).
    const cap = Math.max(this.config.retry.maxDelayMs, 60_000)
    const delay =
      waitMs !== undefined ? Math.min(waitMs, cap) : backoffDelay(this.config.retry, attempt)
    this.config.logger.debug(
      `[durable-streams] ${spec.method} ${spec.url}: ${why}; retry ${attempt + 1}/${this.config.retry.maxRetries} in ${Math.round(delay)} ms`,
    )
    const wake = new AbortController()
    const unlink = linkSignals(wake, [spec.signal])
    const unhub = this.config.closeHub?.add((reason) => wake.abort(reason))
    try {
      await sleep(delay, [wake.signal])
    } catch (reason) {
      if (this.isClientClose(reason)) {
        throw new ClosedError(`Client closed during ${spec.method} ${spec.url}`, { url: spec.url })
      }
      throw new AbortError(`${spec.method} ${spec.url} was aborted`, {
        url: spec.url,
        cause: reason,
      })
    } finally {
      unlink()
      unhub?.()
    }
  }

  private isClientClose(reason: unknown): boolean {
    const hub = this.config.closeHub
    return hub !== undefined && hub.closed && reason === hub.reason
  }

  /**
   * Sends a request and consumes its successful response with `consume`, retrying transient
   * failures — including failures while reading the body — within the retry budget.
   * Errors thrown by `consume` that are client errors (e.g. ParseError) are not retried.
   */
  request<T>(
    spec: RequestSpec,
    consume: (res: EngineResponse, sent: SentInfo) => Promise<T>,
    onRetry?: (info: { attempt: number; reason: string }) => void,
  ): Promise<T> {
    const timeoutMs = spec.timeoutMs ?? this.config.timeout
    return this.run(
      spec,
      false,
      async (a) => {
        try {
          return await consume(a.res, a.sent)
        } catch (err) {
          const error = this.classify(err, a.controller, spec, timeoutMs)
          // The body may be half-read: cancel the request so its connection is not left busy.
          if (!a.controller.signal.aborted) a.controller.abort(error)
          throw error
        } finally {
          a.res.discard()
          a.dispose()
        }
      },
      onRetry,
    )
  }

  /**
   * Opens a streaming response (SSE): retries until a successful response arrives, then hands
   * it over. The timeout covers only the wait for headers. Call `dispose()` when done; it
   * aborts the underlying request and removes all listeners.
   */
  open(
    spec: RequestSpec,
  ): Promise<{ res: EngineResponse; sent: SentInfo; dispose: () => void; signal: AbortSignal }> {
    return this.run(spec, true, async (a) => ({
      res: a.res,
      sent: a.sent,
      signal: a.controller.signal,
      dispose: () => {
        a.dispose()
        if (!a.controller.signal.aborted) a.controller.abort(new AbortError('disposed'))
      },
    }))
  }

  /**
   * The retry loop shared by `request` and `open`: one attempt at a time; a successful
   * response is handed to `onOk`, which owns (and disposes) the attempt from then on.
   */
  private async run<T>(
    spec: RequestSpec,
    stream: boolean,
    onOk: (a: Attempt) => Promise<T>,
    onRetry?: (info: { attempt: number; reason: string }) => void,
  ): Promise<T> {
    const max = spec.retry === false ? 0 : this.config.retry.maxRetries
    for (let attempt = 0; ; attempt++) {
      let a: Attempt | undefined
      let waitMs: number | undefined
      let reason: string
      let why: string
      try {
        a = await this.attempt(spec, stream)
        const { res } = a
        if (res.ok || (!stream && res.status === 304)) {
          const owned = a
          a = undefined
          return await onOk(owned)
        }
        // The error body only adds detail to the message; failing to read it must not hide
        // the status, which is what the error reports.
        const text = await res.text().catch(() => '')
        const error = errorFromResponse(res, text, spec.method, spec.url, a.sent.headers)
        if (!isRetryableStatus(res.status)) throw error
        // 429 and 503 say "not now": the server did not take the append. Other 5xx (and a
        // gateway's 502/504) leave open whether it was stored.
        if (spec.unsafe && res.status !== 429 && res.status !== 503) {
          throw this.outcomeUnknown(spec, error, `the server answered ${res.status}`)
        }
        if (attempt >= max) throw error
        waitMs = parseRetryAfter(res.headers.get('retry-after'))
        reason = why = `status ${res.status}`
      } catch (err) {
        if (!(err instanceof DurableStreamsError)) throw err
        if (err instanceof AppendOutcomeUnknownError) throw err
        if (spec.unsafe && this.isRetryableError(err) && !neverReachedServer(err)) {
          throw this.outcomeUnknown(spec, err, err.message)
        }
        if (!this.isRetryableError(err) || attempt >= max) throw err
        reason = err.code
        why = err.message
      } finally {
        a?.dispose()
      }
      onRetry?.({ attempt, reason })
      await this.backoff(spec, attempt, waitMs, why)
    }
  }
}
