/**
 * State view sessions keyed by their owner (window or socket), like browse sessions: open
 * (HEAD first: only JSON streams), pages, as-of, key history, export, close; every session of
 * an owner is disposed when it goes away. Live updates reach the renderer as `state.progress`,
 * at most every `progressMs` per session.
 */
import { randomUUID } from 'node:crypto'
import {
  InvalidArgumentError,
  isJsonContentType,
  type Stream,
} from '../../../src-shared/client/node.js'
import type {
  StateEvents,
  StateAsOf,
  StateFilter,
  StatePageData,
  StateResults,
  StateSummary,
} from '../../../src-shared/contract/index.js'
import { StateSession } from './session.js'

export interface StateServiceOptions {
  /** The client's handle for a stream of a connection. */
  stream: (connectionId: string, path: string) => Promise<Stream>
  emit: (ownerId: string, event: 'state.progress', payload: StateEvents['state.progress']) => void
  /** Minimum interval between progress events of one session (ms). Default 100. */
  progressMs?: number
}

interface Entry {
  session: StateSession
  timer: ReturnType<typeof setTimeout> | null
  lastSent: number
}

/** A state session id that is not (or no longer) open for this owner. */
export class UnknownStateSessionError extends InvalidArgumentError {
  constructor(sessionId: string) {
    super('sessionId', `Unknown state session ${sessionId} (closed or owned by another window)`)
    this.name = 'UnknownStateSessionError'
  }
}

export class StateService {
  private readonly sessions = new Map<string, Entry>()
  private readonly progressMs: number
  private readonly gone = new Set<string>()

  constructor(private readonly o: StateServiceOptions) {
    this.progressMs = o.progressMs ?? 100
  }

  count(ownerId?: string): number {
    let n = 0
    for (const e of this.sessions.values()) if (!ownerId || e.session.ownerId === ownerId) n++
    return n
  }

  async open(
    ownerId: string,
    req: { connectionId: string; path: string; asOf?: StateAsOf | undefined },
  ): Promise<StateSummary> {
    this.gone.delete(ownerId)
    const stream = await this.o.stream(req.connectionId, req.path)
    const head = await stream.head()
    if (!isJsonContentType(head.contentType)) {
      throw new InvalidArgumentError(
        'path',
        `The State view reads JSON streams; ${req.path} is ${head.contentType || 'of no content type'}`,
      )
    }
    if (this.gone.has(ownerId)) {
      throw new Error(`The page that opened this state session (${ownerId}) went away`)
    }
    const id = randomUUID()
    const entry: Entry = {
      timer: null,
      lastSent: 0,
      session: new StateSession({
        id,
        ownerId,
        path: req.path,
        stream,
        onChange: (urgent) => this.notify(entry, urgent),
      }),
    }
    this.sessions.set(id, entry)
    entry.session.start()
    return req.asOf ? entry.session.asOf(req.asOf) : entry.session.summary()
  }

  async close(ownerId: string, sessionId: string): Promise<void> {
    await this.dispose(this.owned(ownerId, sessionId))
  }

  page(
    ownerId: string,
    sessionId: string,
    req: { type: string; from: number; count: number; filter?: StateFilter | null | undefined },
  ): StatePageData {
    return this.owned(ownerId, sessionId).session.page(
      req.type,
      req.from,
      req.count,
      req.filter ?? null,
    )
  }

  asOf(ownerId: string, sessionId: string, asOf: StateAsOf): StateSummary {
    return this.owned(ownerId, sessionId).session.asOf(asOf)
  }

  keyHistory(
    ownerId: string,
    sessionId: string,
    type: string,
    key: string,
  ): StateResults['state.keyHistory'] {
    return this.owned(ownerId, sessionId).session.keyHistory(type, key)
  }

  exportJson(ownerId: string, sessionId: string): StateResults['state.export'] {
    return this.owned(ownerId, sessionId).session.exportJson()
  }

  logItems(
    ownerId: string,
    sessionId: string,
    kind: 'warnings' | 'markers',
    from: number,
    count: number,
  ): StateResults['state.log'] {
    return this.owned(ownerId, sessionId).session.logItems(kind, from, count)
  }

  /** Disposes every session of an owner (window closed, reloaded, socket gone). */
  disposeOwner(ownerId: string): number {
    this.gone.add(ownerId)
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
    if (!e || e.session.ownerId !== ownerId) throw new UnknownStateSessionError(sessionId)
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
      this.o.emit(e.session.ownerId, 'state.progress', {
        ...e.session.summary(),
        changed: e.session.takeChanged(),
      })
    }, wait)
  }
}
