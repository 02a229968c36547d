/** The stream list (registry + opened streams), HEAD, open (remember) and delete. */
import type { Client, HeadResult, Stream } from '../../../src-shared/client/node.js'
import { isStreamNotFoundError } from '../../../src-shared/client/node.js'
import type {
  StreamEntry,
  StreamHeaderInfo,
  StreamInfo,
} from '../../../src-shared/contract/index.js'
import { withAnswerTimeout, type ConnectionService } from '../connections/connections.js'
import { deletedInRegistry, reduceRegistry } from './registry.js'
import type { SettingsStore } from '../app/settings.js'

export const REGISTRY_PATH = '__registry__'
/** Per-client cap on cached stream handles. */
const MAX_CACHED_HANDLES = 1000

export class StreamService {
  constructor(
    private readonly connections: ConnectionService,
    private readonly settings: SettingsStore,
    private readonly onChanged: (connectionId: string) => void = () => undefined,
    /** Called when a connection's streams are listed (to follow its registry live). */
    private readonly onListed: (connectionId: string) => void = () => undefined,
  ) {}

  /**
   * Handles are cached so the content type learnt by one call serves the next. The cache is keyed
   * by client instance: when a connection's client is replaced (profile edited, so the old one is
   * closed) its handles are never served again and go away with it.
   */
  private readonly handles = new WeakMap<Client, Map<string, Stream>>()

  private handlesOf(client: Client): Map<string, Stream> {
    let byPath = this.handles.get(client)
    if (!byPath) {
      byPath = new Map()
      this.handles.set(client, byPath)
    }
    return byPath
  }

  private async stream(connectionId: string, path: string): Promise<Stream> {
    return this.streamOn(await this.connections.client(connectionId), path)
  }

  private streamOn(client: Client, path: string): Stream {
    const byPath = this.handlesOf(client)
    let handle = byPath.get(path)
    if (handle) {
      // Most recently used last, so the oldest is evicted first.
      byPath.delete(path)
    } else {
      handle = client.stream(path)
      if (byPath.size >= MAX_CACHED_HANDLES) {
        const oldest = byPath.keys().next()
        if (!oldest.done) byPath.delete(oldest.value)
      }
    }
    byPath.set(path, handle)
    return handle
  }

  private drop(client: Client, path: string): void {
    this.handles.get(client)?.delete(path)
  }

  /** Streams from the registry (when the server keeps one) plus the ones the user opened. */
  async list(connectionId: string): Promise<StreamEntry[]> {
    const entries = new Map<string, StreamEntry>()
    // Resolving the client first throws for an unknown connection before any watcher starts.
    const registry = await this.stream(connectionId, REGISTRY_PATH)
    this.onListed(connectionId)
    let deleted = new Set<string>()
    try {
      const events = await withAnswerTimeout(registry.url, async (signal, answered) => {
        // Read in pieces: the first one means the server answers; a big registry on a slow
        // link may then take longer than the bound to arrive in full.
        const all: unknown[] = []
        const reader = registry.readJson({ offset: '-1', live: false, signal, progressive: true })
        for await (const b of reader.batches()) {
          answered()
          for (const e of b.items) all.push(e)
        }
        return all
      })
      deleted = deletedInRegistry(events)
      for (const e of reduceRegistry(events).values()) {
        entries.set(e.path, { path: e.path, contentType: e.contentType, source: 'registry' })
      }
    } catch (err) {
      if (!isStreamNotFoundError(err)) throw err
    }
    const opened = (await this.settings.load()).openedStreams[connectionId] ?? []
    for (const path of opened) {
      // Deleted (here or by another client): the registry says so, so it leaves the list.
      if (deleted.has(path)) continue
      const known = entries.get(path)
      entries.set(
        path,
        known ? { ...known, source: 'both' } : { path, contentType: null, source: 'opened' },
      )
    }
    return [...entries.values()].sort((a, b) => a.path.localeCompare(b.path))
  }

  /** The stream's metadata with its caching headers (the stream header shows them). */
  async head(connectionId: string, path: string): Promise<StreamHeaderInfo> {
    const stream = await this.stream(connectionId, path)
    const h = await withAnswerTimeout(stream.url, (signal) => stream.head({ signal }))
    return {
      ...streamInfo(path, stream.url, h),
      cacheControl: h.cacheControl ?? null,
      fetchedAt: Date.now(),
    }
  }

  /** HEADs the stream and remembers it in the connection's opened list. */
  async open(connectionId: string, path: string): Promise<StreamInfo> {
    const info = await this.head(connectionId, path)
    await this.settings.update((s) => {
      const list = s.openedStreams[connectionId] ?? []
      if (!list.includes(path)) s.openedStreams[connectionId] = [...list, path]
      return s
    })
    return info
  }

  async forget(connectionId: string, path: string): Promise<void> {
    await this.settings.update((s) => {
      s.openedStreams[connectionId] = (s.openedStreams[connectionId] ?? []).filter(
        (p) => p !== path,
      )
      return s
    })
  }

  async delete(connectionId: string, path: string): Promise<void> {
    const client = await this.connections.client(connectionId)
    await this.streamOn(client, path).delete()
    this.drop(client, path)
    await this.forget(connectionId, path)
    this.onChanged(connectionId)
  }
}

/** The renderer's view of a stream's metadata (HEAD), with absent fields as null. */
export function streamInfo(path: string, url: string, h: HeadResult): StreamInfo {
  return {
    path,
    url,
    contentType: h.contentType ?? 'application/octet-stream',
    nextOffset: h.nextOffset ?? '',
    closed: h.closed,
    etag: h.etag ?? null,
    ttlSeconds: h.ttlSeconds ?? null,
    expiresAt: h.expiresAt ?? null,
  }
}
