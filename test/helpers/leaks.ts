/**
 * Leak probes: abort listeners on a signal, active timers, polling until a condition holds.
 */
import { getEventListeners } from 'node:events'

/** Number of `abort` listeners currently registered on a signal. */
export function abortListenerCount(signal: AbortSignal): number {
  return getEventListeners(signal, 'abort').length
}

/** Number of active (ref'ed) `setTimeout` timers in this process. */
export function activeTimeouts(): number {
  return process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length
}

/** Polls `cond` every 10 ms until it is true; throws with `what` after `timeoutMs`. */
export async function waitUntil(
  cond: () => boolean,
  what: string,
  timeoutMs = 2_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`)
    await new Promise((r) => setTimeout(r, 10))
  }
}

/** Resolves after `ms`. */
export const delay = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

export interface TimerTracker {
  /** Timers created since tracking started that have neither fired nor been cleared. */
  pending(): number
  /** Stops tracking (restores the global functions). */
  restore(): void
}

/**
 * Counts timers precisely: patches the global `setTimeout`/`clearTimeout` (which the client
 * looks up at call time) and tracks which of the timers created since then by code whose
 * stack matches `origin` (default: the client sources) are still pending. The filter keeps
 * out timers of `fetch` itself (undici's own housekeeping) and of the test.
 */
export function trackTimers(origin: RegExp = /[\\/]src-shared[\\/]client[\\/]/): TimerTracker {
  const g = globalThis as unknown as {
    setTimeout: (fn: (...a: unknown[]) => void, ms?: number, ...args: unknown[]) => unknown
    clearTimeout: (h: unknown) => void
  }
  const origSet = g.setTimeout
  const origClear = g.clearTimeout
  const live = new Set<unknown>()
  g.setTimeout = (fn, ms, ...args) => {
    const mine = origin.test(new Error().stack ?? '')
    if (!mine) return origSet(fn, ms, ...args)
    const h: unknown = origSet(
      (...a: unknown[]) => {
        live.delete(h)
        fn(...a)
      },
      ms,
      ...args,
    )
    live.add(h)
    return h
  }
  g.clearTimeout = (h) => {
    live.delete(h)
    origClear(h)
  }
  return {
    pending: () => live.size,
    restore: () => {
      g.setTimeout = origSet
      g.clearTimeout = origClear
    },
  }
}
