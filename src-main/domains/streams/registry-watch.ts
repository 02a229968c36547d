/**
 * Follows each listed connection's `__registry__` stream live, so streams created or deleted by
 * other clients show up without a manual refresh. Any new registry event calls `onChange`
 * (coalesced); the renderer then lists the streams again.
 */
import type { Stream } from '../../../src-shared/client/node.js'
import { isStreamNotFoundError } from '../../../src-shared/client/node.js'
import { UnknownConnectionError } from '../connections/connections.js'
import { deletedInRegistry } from './registry.js'

export interface RegistryWatchOptions {
  /** The connection's registry stream handle. */
  open: (connectionId: string) => Promise<Stream>
  onChange: (connectionId: string) => void
  /** Paths the registry just reported deleted (the latest event for each is a delete). */
  onDeleted?: (connectionId: string, paths: string[]) => void
  /** Wait before retrying after an error or a missing registry (default 2 s). */
  retryMs?: number
  /** Coalesces bursts of registry events into one change (default 100 ms). */
  coalesceMs?: number
}

export class RegistryWatcher {
  private readonly watches = new Map<string, AbortController>()
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>()
  private readonly retryMs: number
  private readonly coalesceMs: number

  constructor(private readonly opts: RegistryWatchOptions) {
    this.retryMs = opts.retryMs ?? 2000
    this.coalesceMs = opts.coalesceMs ?? 100
  }

  /** Starts following the connection's registry (idempotent). */
  watch(connectionId: string): void {
    if (this.watches.has(connectionId)) return
    const controller = new AbortController()
    this.watches.set(connectionId, controller)
    void this.loop(connectionId, controller.signal).catch((err: unknown) => {
      console.error(`[registry] watch of ${connectionId} stopped`, err)
      this.watches.delete(connectionId)
    })
  }

  unwatch(connectionId: string): void {
    this.watches.get(connectionId)?.abort()
    this.watches.delete(connectionId)
    const t = this.timers.get(connectionId)
    if (t) clearTimeout(t)
    this.timers.delete(connectionId)
  }

  /** How many connections are followed (for tests). */
  get size(): number {
    return this.watches.size
  }

  close(): void {
    for (const id of [...this.watches.keys()]) this.unwatch(id)
  }

  private async loop(connectionId: string, signal: AbortSignal): Promise<void> {
    // The list the renderer just read covers everything before now; follow what comes next.
    let offset = 'now'
    while (!signal.aborted) {
      try {
        const stream = await this.opts.open(connectionId)
        for await (const b of stream.readJson({ offset, live: 'long-poll', signal }).batches()) {
          offset = b.nextOffset
          if (b.items.length === 0) continue
          this.changed(connectionId)
          const gone = deletedInRegistry(b.items)
          if (gone.size > 0) this.opts.onDeleted?.(connectionId, [...gone])
        }
        if (signal.aborted) return
      } catch (err) {
        if (signal.aborted) return
        if (err instanceof UnknownConnectionError) {
          // The connection is gone (removed, or never existed): nothing to follow any more.
          this.unwatch(connectionId)
          return
        }
        if (isStreamNotFoundError(err)) {
          // No registry yet (or this server keeps none): when it appears, read it whole.
          offset = '-1'
        } else {
          console.warn(`[registry] live read of ${connectionId} failed; retrying`, err)
        }
      }
      await sleep(this.retryMs, signal)
    }
  }

  private changed(connectionId: string): void {
    if (this.timers.has(connectionId)) return
    this.timers.set(
      connectionId,
      setTimeout(() => {
        this.timers.delete(connectionId)
        if (this.watches.has(connectionId)) this.opts.onChange(connectionId)
      }, this.coalesceMs),
    )
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(done, ms)
    function done(): void {
      clearTimeout(t)
      signal.removeEventListener('abort', done)
      resolve()
    }
    signal.addEventListener('abort', done, { once: true })
  })
}
