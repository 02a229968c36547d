/**
 * The one typed contract between the renderer and the main side (Electron main process or the
 * web host), assembled from the domain files next to this one. Request parameters are zod
 * schemas, validated at the main boundary; results and events are typed here and produced only
 * by trusted main-side code.
 *
 * Adding a method: its name in names.ts, its params schema and result type in its domain's file
 * (e.g. streams.ts), its handler in src-main/domains/<domain>/handlers.ts.
 */
import type { z } from 'zod'
import { appParams, type AppEvents, type AppResults } from './app.js'
import { connectionsParams, type ConnectionsResults } from './connections.js'
import type { EventName, MethodName } from './names.js'
import { producersParams, type ProducersEvents, type ProducersResults } from './producers.js'
import { readingParams, type ReadingEvents, type ReadingResults } from './reading.js'
import { stateParams, type StateEvents, type StateResults } from './state.js'
import { streamsParams, type StreamsEvents, type StreamsResults } from './streams.js'
import { transferParams, type TransferEvents, type TransferResults } from './transfer.js'

export * from './app.js'
export * from './common.js'
export * from './connections.js'
export * from './names.js'
export * from './producers.js'
export * from './reading.js'
export * from './state.js'
export * from './streams.js'
export * from './transfer.js'

// ---------------------------------------------------------------------------------------------
// The method table
// ---------------------------------------------------------------------------------------------

export const paramsSchemas = {
  ...appParams,
  ...connectionsParams,
  ...streamsParams,
  ...readingParams,
  ...producersParams,
  ...transferParams,
  ...stateParams,
} satisfies Record<MethodName, z.ZodType>

/** Fails to compile when the table has a method names.ts does not list. */
type Unlisted = Exclude<keyof typeof paramsSchemas, MethodName>
const everyMethodListed: [Unlisted] extends [never] ? true : Unlisted = true
void everyMethodListed

export interface ResultMap
  extends
    AppResults,
    ConnectionsResults,
    StreamsResults,
    ReadingResults,
    ProducersResults,
    TransferResults,
    StateResults {}

/** What the renderer passes (defaults may be omitted). */
export type Params<M extends MethodName> = z.input<(typeof paramsSchemas)[M]>
/** What main-side handlers receive after validation. */
export type ParsedParams<M extends MethodName> = z.output<(typeof paramsSchemas)[M]>
export type Result<M extends MethodName> = ResultMap[M]

// ---------------------------------------------------------------------------------------------
// Events (main → renderer)
// ---------------------------------------------------------------------------------------------

export interface EventMap
  extends AppEvents, StreamsEvents, ReadingEvents, ProducersEvents, TransferEvents, StateEvents {}

export type EventPayload<E extends EventName> = EventMap[E]

/** `true` when A and B have the same members, else the members only one of them has. */
type SameMembers<A, B> = [Exclude<A, B> | Exclude<B, A>] extends [never]
  ? true
  : Exclude<A, B> | Exclude<B, A>
/** Fail to compile when names.ts and the result/event maps disagree (naming the culprits). */
const resultsAgree: SameMembers<MethodName, keyof ResultMap> = true
const eventsAgree: SameMembers<EventName, keyof EventMap> = true
void resultsAgree
void eventsAgree

// ---------------------------------------------------------------------------------------------
// Validation
// ---------------------------------------------------------------------------------------------

/** Raised (and serialized as INVALID_ARGUMENT) when a payload does not match the contract. */
export class ContractError extends Error {
  readonly code = 'INVALID_ARGUMENT'
  readonly field: string
  constructor(method: string, field: string, message: string) {
    super(`Invalid ${method} request: ${field ? `${field}: ` : ''}${message}`)
    this.name = 'InvalidArgumentError'
    this.field = field
  }
}

/** Validates raw parameters for a method; throws ContractError naming the first bad field. */
export function parseParams<M extends MethodName>(method: M, raw: unknown): ParsedParams<M> {
  const schema: z.ZodType = paramsSchemas[method]
  const result = schema.safeParse(raw ?? {})
  if (!result.success) {
    const issue = result.error.issues[0]
    const field = issue ? issue.path.map(String).join('.') : ''
    throw new ContractError(method, field, issue?.message ?? 'invalid payload')
  }
  return result.data as ParsedParams<M>
}

// ---------------------------------------------------------------------------------------------
// Bridge: what the renderer talks to, whichever transport carries it
// ---------------------------------------------------------------------------------------------

export interface Bridge {
  call<M extends MethodName>(method: M, params: Params<M>): Promise<Result<M>>
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void
}
