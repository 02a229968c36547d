/**
 * The main-side dispatcher: validates every call against the contract (src-shared/contract),
 * routes it to its domain's handler (src-main/domains/<domain>/handlers.ts), and turns failures
 * into error data. Shared by Electron IPC and the web host.
 */
import {
  ContractError,
  isMethodName,
  parseParams,
  type EventMap,
  type EventName,
  type MethodName,
} from '../../src-shared/contract/index.js'
import type { WireResult } from '../../src-shared/ipc/wire.js'
import { appHandlers, type AppDeps } from '../domains/app/handlers.js'
import { connectionsHandlers, type ConnectionsDeps } from '../domains/connections/handlers.js'
import { producersHandlers, type ProducersDeps } from '../domains/producers/handlers.js'
import type { BrowseService } from '../domains/reading/browse.js'
import { readingHandlers } from '../domains/reading/handlers.js'
import type { StateService } from '../domains/state/service.js'
import { stateHandlers } from '../domains/state/handlers.js'
import { streamsHandlers, type StreamsDeps } from '../domains/streams/handlers.js'
import { transferHandlers, type TransferDeps } from '../domains/transfer/handlers.js'
import type { CoreLike, EventSink, Handler } from './core-types.js'
import { toErrorData } from './errors.js'

/** Everything the domains' handlers use, built by startApp (app.ts). */
export interface CoreServices
  extends AppDeps, ConnectionsDeps, StreamsDeps, ProducersDeps, TransferDeps {
  /** Reading sessions (disposed with their owner). */
  browse: BrowseService
  /** State view sessions (disposed with their owner). */
  state: StateService
}

/** The method table: one handler per contract method, assembled from the domains. */
type Handlers = { [M in MethodName]: Handler<M> }

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
      ...appHandlers(s),
      ...connectionsHandlers(s),
      ...streamsHandlers(s),
      ...readingHandlers(() => s().browse),
      ...producersHandlers(s),
      ...transferHandlers(s),
      ...stateHandlers(() => s().state),
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
    this.services?.state.disposeOwner(ownerId)
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
