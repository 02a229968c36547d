/** The surface every transport (Electron IPC, WebSocket) drives. */
import type {
  EventName,
  MethodName,
  ParsedParams,
  Result,
} from '../../src-shared/contract/index.js'
import type { WireResult } from '../../src-shared/ipc/wire.js'

export type EventSink = (event: EventName, payload: unknown) => void

export interface CoreLike {
  /** Validates and runs one call for the given owner (window or socket); never throws. */
  handle(ownerId: string, method: unknown, params: unknown): Promise<WireResult>
  /** Registers where events for an owner go. */
  attach(ownerId: string, sink: EventSink): void
  /** Forgets an owner and disposes everything it subscribed to. */
  detach(ownerId: string): void
}

/** One method's handler: runs a validated call for `ownerId` (the window or socket). */
export type Handler<M extends MethodName> = (
  ownerId: string,
  p: ParsedParams<M>,
) => Promise<Result<M>> | Result<M>

/** The handlers of one domain's slice of the method table (`typeof xxxParams`). */
export type HandlersOf<P> = { [M in keyof P & MethodName]: Handler<M> }
