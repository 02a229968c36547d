import { InvalidArgumentError } from './errors.js'

/**
 * A header or query value: fixed, or computed before every request (e.g. a fresh token).
 * @example
 * ```ts
 * const auth: DynamicValue = async () => `Bearer ${await tokens.current()}`
 * ```
 */
export type DynamicValue = string | (() => string | Promise<string>)

/**
 * Logger interface; `console` fits.
 * @example
 * ```ts
 * new Client({ logger: console })
 * ```
 */
export interface Logger {
  debug(...args: unknown[]): void
  info(...args: unknown[]): void
  warn(...args: unknown[]): void
  error(...args: unknown[]): void
}

/**
 * The `fetch` signature the client needs; inject your own to add tracing, proxies or mocks.
 * @example
 * ```ts
 * const traced: FetchLike = (url, init) => { console.debug(init.method, url); return fetch(url, init) }
 * ```
 */
export type FetchLike = (input: string, init: RequestInit) => Promise<Response>

/**
 * Retry policy for transient failures (5xx, 429, dropped connections, timeouts).
 * 4xx responses are never retried.
 *
 * @example
 * ```ts
 * const retry: RetryOptions = { maxRetries: 5, initialDelayMs: 50, maxDelayMs: 2_000, multiplier: 2 }
 * ```
 */
export interface RetryOptions {
  /** Retries after the first attempt. Default 8. `0` disables retries. */
  maxRetries?: number | undefined
  /** First backoff delay in ms. Default 100. */
  initialDelayMs?: number | undefined
  /** Upper bound for one backoff delay in ms. Default 3000. */
  maxDelayMs?: number | undefined
  /** Growth factor between delays. Default 2. */
  multiplier?: number | undefined
}

/** {@link RetryOptions} with every field present. */
export type ResolvedRetryOptions = {
  [K in keyof RetryOptions]-?: Exclude<RetryOptions[K], undefined>
}

/**
 * Defaults of {@link RetryOptions}: about 12 s of backoff before giving up.
 * @example
 * ```ts
 * new Client({ retry: { ...DEFAULT_RETRY, maxRetries: 20 } })
 * ```
 */
export const DEFAULT_RETRY: ResolvedRetryOptions = Object.freeze({
  maxRetries: 8,
  initialDelayMs: 100,
  maxDelayMs: 3000,
  multiplier: 2,
})

function isFiniteNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v)
}

/**
 * Validates retry options and fills in defaults.
 *
 * @throws InvalidArgumentError naming the offending field.
 * @example
 * ```ts
 * const retry = validateRetryOptions({ maxRetries: 3 })
 * ```
 */
export function validateRetryOptions(opts: RetryOptions | undefined): ResolvedRetryOptions {
  // An explicit `undefined` means "use the default", like an absent field.
  const given = Object.fromEntries(
    Object.entries(opts ?? {}).filter(([, v]) => v !== undefined),
  ) as RetryOptions
  // Undefined fields were filtered out above, so every field here comes from `given` or the defaults.
  const r = { ...DEFAULT_RETRY, ...given } as ResolvedRetryOptions
  if (!isFiniteNumber(r.maxRetries) || !Number.isInteger(r.maxRetries) || r.maxRetries < 0) {
    throw new InvalidArgumentError(
      'maxRetries',
      `Invalid retry option maxRetries: ${String(r.maxRetries)} (must be an integer >= 0)`,
    )
  }
  if (!isFiniteNumber(r.initialDelayMs) || r.initialDelayMs <= 0) {
    throw new InvalidArgumentError(
      'initialDelayMs',
      `Invalid retry option initialDelayMs: ${String(r.initialDelayMs)} (must be > 0)`,
    )
  }
  if (!isFiniteNumber(r.maxDelayMs) || r.maxDelayMs < r.initialDelayMs) {
    throw new InvalidArgumentError(
      'maxDelayMs',
      `Invalid retry option maxDelayMs: ${String(r.maxDelayMs)} (must be >= initialDelayMs ${r.initialDelayMs})`,
    )
  }
  if (!isFiniteNumber(r.multiplier) || r.multiplier < 1) {
    throw new InvalidArgumentError(
      'multiplier',
      `Invalid retry option multiplier: ${String(r.multiplier)} (must be >= 1)`,
    )
  }
  return r
}

/**
 * Validates a timeout in milliseconds.
 * @internal
 */
export function validateTimeout(timeout: unknown, field = 'timeout'): number {
  if (!isFiniteNumber(timeout) || timeout <= 0) {
    throw new InvalidArgumentError(
      field,
      `Invalid ${field}: ${String(timeout)} (must be a positive number of milliseconds)`,
    )
  }
  return timeout
}

/**
 * Options that control stream creation (PUT).
 *
 * @example
 * ```ts
 * const opts: CreateOptions = { contentType: 'application/json', ttlSeconds: 3600 }
 * ```
 */
export interface CreateOptions {
  /** MIME type of the stream, e.g. `application/json`. Default `application/octet-stream`. */
  contentType?: string | undefined
  /** Sliding time-to-live in seconds (non-negative integer). Exclusive with `expiresAt`. */
  ttlSeconds?: number | undefined
  /** Absolute expiry (Date or RFC 3339 string). Exclusive with `ttlSeconds`. */
  expiresAt?: Date | string | undefined
  /** Create the stream already closed (its body, if any, is its whole content). */
  closed?: boolean | undefined
  /** Initial content, encoded like `append`: for JSON streams one value is one message, and a `Uint8Array` is sent verbatim (a top-level JSON array there becomes several messages). */
  body?: unknown
  /** Extra headers for this request. */
  headers?: Record<string, DynamicValue> | undefined
  /** Extra query parameters for this request. */
  params?: Record<string, DynamicValue> | undefined
  /** Cancels the request. */
  signal?: AbortSignal | undefined
}

/**
 * Converts TTL / expiry options to protocol headers, validating them.
 * @internal
 */
export function expiryHeaders(opts: {
  ttlSeconds?: number | undefined
  expiresAt?: Date | string | undefined
}): Record<string, string> {
  const h: Record<string, string> = {}
  if (opts.ttlSeconds !== undefined && opts.expiresAt !== undefined) {
    throw new InvalidArgumentError(
      'ttlSeconds',
      'ttlSeconds and expiresAt are mutually exclusive: set one of them',
    )
  }
  if (opts.ttlSeconds !== undefined) {
    const t = opts.ttlSeconds
    if (!Number.isSafeInteger(t) || t < 0) {
      throw new InvalidArgumentError(
        'ttlSeconds',
        `Invalid ttlSeconds: ${String(t)} (must be a non-negative integer)`,
      )
    }
    h['stream-ttl'] = String(t)
  }
  if (opts.expiresAt !== undefined) {
    const d = opts.expiresAt instanceof Date ? opts.expiresAt : new Date(opts.expiresAt)
    if (Number.isNaN(d.getTime())) {
      throw new InvalidArgumentError(
        'expiresAt',
        `Invalid expiresAt: ${String(opts.expiresAt)} (must be a Date or an RFC 3339 timestamp)`,
      )
    }
    h['stream-expires-at'] = typeof opts.expiresAt === 'string' ? opts.expiresAt : d.toISOString()
  }
  return h
}
