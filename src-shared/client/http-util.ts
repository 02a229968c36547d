/**
 * Small HTTP helpers with no state: URLs with sorted, encoded query parameters, signal
 * linking, abortable sleep, Retry-After parsing, backoff delays, runtime detection.
 * @internal
 */
import type { ResolvedRetryOptions } from './options.js'

/** Whether this runtime's built-in fetch is Node's (undici), which streams request bodies. */
export function isNodeRuntime(): boolean {
  const p = (globalThis as { process?: { versions?: { node?: unknown } } }).process
  return typeof p?.versions?.node === 'string'
}

/**
 * Builds `url?k=v&...` with keys in lexicographic order (PROTOCOL.md §10.1) and values
 * percent-encoded (offsets are opaque and must be encoded).
 */
export function buildUrl(base: string, params: Record<string, string>): string {
  const keys = Object.keys(params)
  if (keys.length === 0) return base
  keys.sort()
  let q = ''
  for (const k of keys) {
    q += (q ? '&' : '') + encodeURIComponent(k) + '=' + encodeURIComponent(params[k] as string)
  }
  return base + (base.includes('?') ? '&' : '?') + q
}

/** Links `target` to every given signal; returns a function that removes the listeners. */
export function linkSignals(
  target: AbortController,
  signals: ReadonlyArray<AbortSignal | undefined>,
): () => void {
  const cleanups: Array<() => void> = []
  for (const s of signals) {
    if (!s) continue
    if (s.aborted) {
      target.abort(s.reason)
      break
    }
    const onAbort = (): void => target.abort(s.reason)
    s.addEventListener('abort', onAbort, { once: true })
    cleanups.push(() => s.removeEventListener('abort', onAbort))
  }
  return () => {
    for (const c of cleanups) c()
  }
}

/** Sleeps `ms`, rejecting early (and clearing the timer) when a signal aborts. */
export function sleep(ms: number, signals: ReadonlyArray<AbortSignal | undefined>): Promise<void> {
  return new Promise((resolve, reject) => {
    const live = signals.filter((s): s is AbortSignal => s !== undefined)
    for (const s of live) {
      if (s.aborted) {
        reject(s.reason as unknown)
        return
      }
    }
    const onAbort = (ev: Event): void => {
      clearTimeout(timer)
      for (const s of live) s.removeEventListener('abort', onAbort)
      reject((ev.target as AbortSignal).reason as unknown)
    }
    const timer = setTimeout(() => {
      for (const s of live) s.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    for (const s of live) s.addEventListener('abort', onAbort, { once: true })
  })
}

/** Parses `Retry-After` (seconds or HTTP date) into milliseconds. */
export function parseRetryAfter(value: string | null): number | undefined {
  if (value === null || value.trim() === '') return undefined
  const secs = Number(value)
  if (Number.isFinite(secs)) return Math.max(0, secs * 1000)
  const date = Date.parse(value)
  if (Number.isNaN(date)) return undefined
  return Math.max(0, date - Date.now())
}

/** Exponential backoff with equal jitter: half fixed, half random. */
export function backoffDelay(retry: ResolvedRetryOptions, attempt: number): number {
  const base = Math.min(retry.maxDelayMs, retry.initialDelayMs * retry.multiplier ** attempt)
  return base / 2 + Math.random() * (base / 2)
}

/**
 * Cancels everything a client has in flight when it closes, without adding a listener per
 * request to one shared AbortSignal (which Node reports as a possible leak past 10).
 */
export class CloseHub {
  private readonly callbacks = new Set<(reason: unknown) => void>()
  private _closed = false
  private _reason: unknown = undefined

  /** Whether `close()` was called. */
  get closed(): boolean {
    return this._closed
  }
  /** Callbacks registered now (requests and backoffs in progress). */
  get size(): number {
    return this.callbacks.size
  }
  /** The reason given to `close()`. */
  get reason(): unknown {
    return this._reason
  }

  /** Runs `onClose` when the hub closes (at once if it already has); returns an unregister. */
  add(onClose: (reason: unknown) => void): () => void {
    if (this._closed) {
      onClose(this._reason)
      return () => {}
    }
    this.callbacks.add(onClose)
    return () => {
      this.callbacks.delete(onClose)
    }
  }

  close(reason: unknown): void {
    if (this._closed) return
    this._closed = true
    this._reason = reason
    const all = [...this.callbacks]
    this.callbacks.clear()
    for (const cb of all) cb(reason)
  }
}
