/**
 * The main-side dispatcher: validates every call against the contract, routes it to the
 * services, and turns failures into error data. Shared by Electron IPC and the web host.
 */
import {
  ContractError,
  isMethodName,
  parseParams,
  type AppInfo,
  type EventMap,
  type EventName,
  type MethodName,
  type ParsedParams,
  type Result,
} from '../../src-shared/contract/index.js'
import type { WireResult } from '../../src-shared/ipc/wire.js'
import type { ConnectionService } from './connections.js'
import { adminHandlers, type AdminServices } from './core-admin.js'
import type { BrowseService } from './browse.js'
import { browseHandlers } from './core-browse.js'
import type { CoreLike, EventSink } from './core-types.js'
import { toErrorData } from './errors.js'
import type { ProducerService } from './producers.js'
import type { StreamService } from './streams.js'

export interface CoreServices {
  info: AppInfo
  connections: ConnectionService
  streams: StreamService
  producers: ProducerService
  /** Services of the connections, streams, producers and transfer methods. */
  adminServices: AdminServices
  /** Reading sessions (and the deep-link inbox). */
  browse: BrowseService
}

type Handlers = {
  [M in MethodName]: (ownerId: string, p: ParsedParams<M>) => Promise<Result<M>> | Result<M>
}

export class AppCore implements CoreLike {
  private readonly sinks = new Map<string, EventSink>()
  private readonly handlers: Handlers
  private services: CoreServices | null = null

  constructor() {
    const s = (): CoreServices => {
      if (!this.services) throw new Error('App services are not ready')
      return this.services
    }
    this.handlers = {
      'app.info': () => s().info,
      'app.takeDeepLink': () => ({ url: s().browse.deepLinks.take() }),
      'connections.list': () => s().connections.list(),
      'streams.list': (_o, p) => s().streams.list(p.connectionId),
      'streams.open': (_o, p) => s().streams.open(p.connectionId, p.path),
      'streams.head': (_o, p) => s().browse.head(p.connectionId, p.path),
      'streams.delete': async (_o, p) => {
        await s().streams.delete(p.connectionId, p.path)
        return null
      },
      'producers.list': async () => {
        await s().producers.load()
        return s().producers.list()
      },
      ...adminHandlers(() => s().adminServices),
      ...browseHandlers(() => s().browse),
    }
  }

  /** Plugs in the services (they need `emit`, so they are built after the core). */
  setServices(services: CoreServices): void {
    this.services = services
  }

  async handle(ownerId: string, method: unknown, params: unknown): Promise<WireResult> {
    try {
      if (!isMethodName(method)) {
        throw new ContractError(
          String(method),
          'method',
          `unknown method ${JSON.stringify(method)}`,
        )
      }
      const parsed = parseParams(method, params)
      const handler = this.handlers[method] as (o: string, p: unknown) => unknown
      const value = await handler(ownerId, parsed)
      return { ok: true, value: value ?? null }
    } catch (err) {
      return { ok: false, error: toErrorData(err) }
    }
  }

  attach(ownerId: string, sink: EventSink): void {
    this.sinks.set(ownerId, sink)
  }

  detach(ownerId: string): void {
    this.sinks.delete(ownerId)
    this.services?.browse.disposeOwner(ownerId)
  }

  /** Sends an event to one owner. */
  emit<E extends EventName>(ownerId: string, event: E, payload: EventMap[E]): void {
    const sink = this.sinks.get(ownerId)
    if (!sink) return
    try {
      sink(event, payload)
    } catch (err) {
      console.error(`[core] delivering ${event} to ${ownerId} failed:`, err)
    }
  }

  /** Sends an event to every attached owner. */
  broadcast<E extends EventName>(event: E, payload: EventMap[E]): void {
    for (const ownerId of this.sinks.keys()) this.emit(ownerId, event, payload)
  }

  owners(): number {
    return this.sinks.size
  }
}
