/**
 * Browse sessions keyed by their owner (window or socket): open/close, paging, search,
 * locate, live-mode switch and "copy as curl".
 * Progress reaches the renderer as `reading.progress`, at most every `progressMs` per session.
 */
import { randomUUID } from 'node:crypto'
import type { EventMap } from '../../../src-shared/contract/index.js'
import type {
  BrowseFilter,
  BrowsePage,
  LiveModeChoice,
  StreamHeaderInfo,
} from '../../../src-shared/contract/index.js'
import type { Stream } from '../../../src-shared/client/node.js'
import { BrowseSession } from './browse-session.js'
import type { ConnectionService } from '../connections/connections.js'

export interface BrowseServiceOptions {
  connections: ConnectionService
  /** The stream's HEAD (streams.head), for the session's header. */
  head: (connectionId: string, path: string) => Promise<StreamHeaderInfo>
  emit: (ownerId: string, event: 'reading.progress', payload: EventMap['reading.progress']) => void
  /** Minimum interval between progress events of one session (ms). Default 100. */
  progressMs?: number
  /** Decoded messages kept in main per session before batches are evicted. Default 1.2M. */
  maxCached?: number
}

interface Entry {
  session: BrowseSession
  connectionId: string
  path: string
  timer: ReturnType<typeof setTimeout> | null
  lastSent: number
}

export class BrowseService {
  private readonly sessions = new Map<string, Entry>()
  private readonly progressMs: number
  /** `open` calls still awaiting their HEAD, per owner; disposeOwner cancels them. */
  private readonly opening = new Map<string, Set<{ cancelled: boolean }>>()

  constructor(private readonly o: BrowseServiceOptions) {
    this.progressMs = o.progressMs ?? 100
  }

  count(ownerId?: string): number {
    let n = 0
    for (const e of this.sessions.values()) if (!ownerId || e.session.ownerId === ownerId) n++
    return n
  }

  async open(
    ownerId: string,
    req: { connectionId: string; path: string; start: string; live: LiveModeChoice },
  ): Promise<{ sessionId: string; header: StreamHeaderInfo; startOffset: string }> {
    const ticket = { cancelled: false }
    const tickets = this.opening.get(ownerId) ?? new Set()
    this.opening.set(ownerId, tickets.add(ticket))
    let header: StreamHeaderInfo
    let stream: Stream
    try {
      header = await this.o.head(req.connectionId, req.path)
      stream = (await this.o.connections.client(req.connectionId)).stream(req.path)
    } finally {
      tickets.delete(ticket)
      if (tickets.size === 0 && this.opening.get(ownerId) === tickets) this.opening.delete(ownerId)
    }
    // The window or socket went away during the awaits: no session may outlive it.
    if (ticket.cancelled) throw new OwnerGoneError(ownerId)
    // "now" starts at the tail as of this HEAD, so rows can show a concrete start offset.
    const startOffset = req.start === 'now' ? header.nextOffset || 'now' : req.start
    const id = randomUUID()
    const entry: Entry = {
      connectionId: req.connectionId,
      path: req.path,
      timer: null,
      lastSent: 0,
      session: new BrowseSession({
        id,
        ownerId,
        stream,
        contentType: header.contentType,
        startOffset,
        live: req.live,
        maxCached: this.o.maxCached ?? 1_200_000,
        onChange: (urgent) => this.notify(entry, urgent),
      }),
    }
    this.sessions.set(id, entry)
    entry.session.start()
    return { sessionId: id, header, startOffset }
  }

  async close(ownerId: string, sessionId: string): Promise<void> {
    const e = this.owned(ownerId, sessionId)
    await this.dispose(e)
  }

  async setLive(ownerId: string, sessionId: string, live: LiveModeChoice): Promise<void> {
    await this.owned(ownerId, sessionId).session.restart(live)
  }

  async reconnect(ownerId: string, sessionId: string): Promise<void> {
    await this.owned(ownerId, sessionId).session.restart()
  }

  /**
   * The server's registry says the stream was deleted (maybe by another client): its sessions
   * read again at once, so the 404 shows now. A live SSE read would otherwise learn it only
   * when its silent connection is given up (the reference server keeps it open).
   */
  streamDeleted(connectionId: string, path: string): void {
    for (const e of this.sessions.values()) {
      if (e.connectionId !== connectionId || e.path !== path) continue
      e.session.restart(undefined, 'stream deleted (registry)').catch((err: unknown) => {
        console.error(`[browse] restart after deletion of ${path} failed`, err)
      })
    }
  }

  page(
    ownerId: string,
    sessionId: string,
    from: number,
    count: number,
    view: 'all' | 'matches',
  ): Promise<BrowsePage> {
    return this.owned(ownerId, sessionId).session.page(from, count, view)
  }

  async search(
    ownerId: string,
    sessionId: string,
    filter: BrowseFilter | null,
  ): Promise<{ matchCount: number }> {
    return { matchCount: await this.owned(ownerId, sessionId).session.setFilter(filter) }
  }

  locate(ownerId: string, sessionId: string, offset: string): { index: number } {
    return { index: this.owned(ownerId, sessionId).session.locate(offset) }
  }

  /** A curl command reproducing the session's current read; header values stay placeholders. */
  async curl(ownerId: string, sessionId: string): Promise<{ command: string }> {
    const e = this.owned(ownerId, sessionId)
    const s = e.session
    const info = await this.o.connections.info(e.connectionId)
    const url = new URL(s.url)
    url.searchParams.set('offset', s.nextOffset)
    const live = s.state === 'live' ? (s.phase === 'catch-up' ? null : s.phase) : null
    if (live) url.searchParams.set('live', live)
    const quote = (v: string): string => `'${v.replace(/'/g, `'\\''`)}'`
    const parts = ['curl', '-sS', '-i']
    if (live === 'sse') parts.push('-N')
    for (const name of info.headerNames) {
      const env = `DSI_${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`
      // The name is single-quoted (HTTP tokens may hold `$` and backticks); only the value's
      // placeholder variable is expanded by the shell.
      parts.push('-H', `${quote(`${name}: `)}"\${${env}}"`)
    }
    parts.push(quote(url.toString()))
    return { command: parts.join(' ') }
  }

  /** Disposes every session of an owner (window closed, reloaded, socket gone). */
  disposeOwner(ownerId: string): number {
    for (const t of this.opening.get(ownerId) ?? []) t.cancelled = true
    this.opening.delete(ownerId)
    let n = 0
    for (const e of [...this.sessions.values()]) {
      if (e.session.ownerId === ownerId) {
        void this.dispose(e)
        n++
      }
    }
    return n
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.sessions.values()].map((e) => this.dispose(e)))
  }

  private owned(ownerId: string, sessionId: string): Entry {
    const e = this.sessions.get(sessionId)
    if (!e || e.session.ownerId !== ownerId) {
      throw new Error(`Unknown browse session ${sessionId} (closed or owned by another window)`)
    }
    return e
  }

  private async dispose(e: Entry): Promise<void> {
    if (!this.sessions.delete(e.session.id)) return
    if (e.timer) clearTimeout(e.timer)
    e.timer = null
    await e.session.dispose()
  }

  private notify(e: Entry, urgent: boolean): void {
    if (!this.sessions.has(e.session.id) || e.timer) return
    const wait = urgent ? 0 : Math.max(0, e.lastSent + this.progressMs - Date.now())
    e.timer = setTimeout(() => {
      e.timer = null
      if (!this.sessions.has(e.session.id)) return
      e.lastSent = Date.now()
      this.o.emit(e.session.ownerId, 'reading.progress', e.session.progress())
    }, wait)
  }
}

/** `browse.open` finished after its owner (window or socket) was disposed. */
export class OwnerGoneError extends Error {
  override readonly name = 'OwnerGoneError'
  constructor(ownerId: string) {
    super(`The page that opened this browse session (${ownerId}) went away`)
  }
}
