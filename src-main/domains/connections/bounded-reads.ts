/**
 * Bounded catch-up responses for the embedded server.
 *
 * The reference server answers a read with every message from the offset to the tail in one
 * body, and builds all of it before sending the first byte: for 1,000,000 JSON messages that is
 * 44 MB and about a second of JSON re-serialising on this machine, during which a viewer shows
 * nothing. The protocol lets a server end a catch-up response early (no `Stream-Up-To-Date`; the
 * client continues from `Stream-Next-Offset`), as production servers do with a maximum chunk
 * size. This bounds what one read of the store returns:
 *
 * - a read from a new offset gets at least one stored record and then stops once it has
 *   `firstBytes` of data;
 * - a read that continues exactly where a bounded read ended gets `growth` times the previous
 *   bound (up to `maxBytes`), so a long catch-up takes a handful of requests (each of which makes
 *   the store scan its segment file again) while the first one still comes back quickly.
 *
 * The server sets `Stream-Up-To-Date` (and `Stream-Closed`) only from the value returned here, so
 * a bounded response never claims the tail. The SSE handler's catch-up is left unbounded (see
 * `unbounded`), and the embedded server ignores `If-None-Match` (the reference server's ETag
 * names only the offset range, which a full and a later bounded response can share).
 */

export interface StoredMessage {
  data: Uint8Array
  offset: string
}

export interface ReadableStore {
  read(path: string, offset?: string): { messages: StoredMessage[]; upToDate: boolean }
}

export interface BoundedReadOptions {
  /** Data bytes after which the first read from an offset stops. Default 1 MiB. */
  firstBytes?: number
  /** Factor by which each continuing read's bound grows. Default 4. */
  growth?: number
  /** Largest bound. Default 64 MiB. */
  maxBytes?: number
}

/** Continuations remembered at once; the least recently used are forgotten first. */
const MAX_CONTINUATIONS = 256

export interface BoundedReads {
  /**
   * Runs `fn` with every read it makes synchronously unbounded. For the server's SSE handler:
   * its catch-up loop reads again at once, without yielding, while a read is not up to date,
   * so bounding it only costs extra reads and sends nothing sooner.
   */
  unbounded<T>(fn: () => T): T
}

/** Replaces `store.read` with a bounded one (see the file comment). */
export function boundReads(store: ReadableStore, options: BoundedReadOptions = {}): BoundedReads {
  const firstBytes = options.firstBytes ?? 1 << 20
  const growth = options.growth ?? 4
  const maxBytes = options.maxBytes ?? 64 << 20
  if (!(firstBytes > 0 && growth >= 1 && maxBytes >= firstBytes)) {
    throw new RangeError(
      `bounded reads need firstBytes > 0, growth >= 1 and maxBytes >= firstBytes (got ${firstBytes}, ${growth}, ${maxBytes})`,
    )
  }
  // The store's own method: `read` is an ordinary method on its prototype, and the store calls
  // `this.read` internally too (long-poll waits), which then also gets the bounded one.
  const inner = store.read.bind(store)
  // `${path}\n${offset}` where a bounded read ended → the bound for a read continuing there.
  // Entries stay after use, so readers that catch up side by side all grow their bounds.
  const next = new Map<string, number>()
  let unboundedDepth = 0

  const bounded: ReadableStore['read'] = (path, offset) => {
    const result = inner(path, offset)
    if (unboundedDepth > 0) return result
    const key = `${path}\n${offset ?? ''}`
    const known = next.get(key)
    if (known !== undefined) {
      next.delete(key) // most recently used last
      next.set(key, known)
    }
    const bound = known ?? firstBytes
    const { messages } = result
    let bytes = 0
    let count = 0
    while (count < messages.length && bytes < bound) bytes += messages[count++]!.data.byteLength
    if (count === messages.length) return result
    const end = `${path}\n${messages[count - 1]!.offset}`
    next.delete(end)
    next.set(end, Math.min(maxBytes, bound * growth))
    while (next.size > MAX_CONTINUATIONS) next.delete(next.keys().next().value as string)
    return { messages: messages.slice(0, count), upToDate: false }
  }
  store.read = bounded
  return {
    unbounded<T>(fn: () => T): T {
      unboundedDepth++
      try {
        return fn()
      } finally {
        unboundedDepth--
      }
    },
  }
}
