/**
 * The one typed IPC contract between the renderer and the main side (Electron main process or
 * the web host). Request parameters are zod schemas and are validated at the main boundary;
 * results and events are typed here and produced only by trusted main-side code.
 */
import { z } from 'zod'
import type { EventName, MethodName } from './channels.js'
import {
  browseParamsSchemas,
  type BrowseEventMap,
  type BrowseResultMap,
} from './contract-browse.js'
import {
  adminParamsSchemas,
  type AdminEventMap,
  type AdminResultMap,
  type ProducerOptions,
  type ProducerStatsInfo,
} from './contract-admin.js'
import { ConnectionIdSchema, ContentTypeSchema, OffsetSchema, StreamPathSchema } from './schemas.js'

// ---------------------------------------------------------------------------------------------
// Building blocks
// ---------------------------------------------------------------------------------------------

export { ConnectionIdSchema, ContentTypeSchema, OffsetSchema, StreamPathSchema }

/** Data to append, tagged by how it is encoded for transport. */
export const AppendDataSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('json'), value: z.unknown() }),
  z.object({ kind: z.literal('text'), text: z.string() }),
  z.object({
    kind: z.literal('base64'),
    base64: z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'base64 data is not valid base64'),
  }),
])
export type AppendData = z.infer<typeof AppendDataSchema>

/** An error crossing the boundary as data; rebuilt with the client's deserializeError. */
export interface ErrorData {
  name: string
  code: string
  message: string
  status?: number | undefined
  url?: string | undefined
  details?: Record<string, string | number | undefined> | undefined
}

/** One message as shown by the renderer. */
export type MessagePayload =
  | { kind: 'json'; value: unknown }
  | { kind: 'text'; text: string }
  | { kind: 'bytes'; base64: string; size: number }

export interface TailMessage {
  /** The offset after the batch that carried this message (resume point). */
  offset: string
  /** Position of the message inside that batch. */
  index: number
  payload: MessagePayload
}

export interface AppInfo {
  version: string
  host: 'electron' | 'web'
  platform: string
  /** URL of the embedded server when it runs, else null. */
  embeddedServerUrl: string | null
}

export interface ConnectionInfo {
  id: string
  name: string
  baseUrl: string
  kind: 'embedded' | 'remote'
  /** Names of default headers (values, which may be secrets, never reach the renderer). */
  headerNames: string[]
}

export interface StreamEntry {
  path: string
  contentType: string | null
  source: 'registry' | 'opened' | 'both'
}

export interface StreamInfo {
  path: string
  url: string
  contentType: string
  nextOffset: string
  closed: boolean
  etag: string | null
  ttlSeconds: number | null
  expiresAt: string | null
}

export interface AppendOutcome {
  nextOffset: string
  duplicate: boolean
}

export interface PageResult {
  messages: TailMessage[]
  nextOffset: string
  upToDate: boolean
  closed: boolean
}

export interface ProducerInfo {
  id: string
  connectionId: string
  path: string
  producerId: string
  epoch: number
  seq: number
  acked: number
  lastOffset: string | null
  lastError: ErrorData | null
  state: 'open' | 'closed' | 'failed'
  /** Options it was created with (absent for producers made by `producers.open`). */
  options?: ProducerOptions | undefined
  /** Live counters of the running producer. */
  stats?: ProducerStatsInfo | undefined
  /** The server's epoch when the producer was fenced (403), else null. */
  fencedBy?: number | null | undefined
}

// ---------------------------------------------------------------------------------------------
// Calls
// ---------------------------------------------------------------------------------------------

const Empty = z.object({}).strict()
const StreamRef = z.object({ connectionId: ConnectionIdSchema, path: StreamPathSchema }).strict()

export const paramsSchemas = {
  'app.info': Empty,
  'connections.list': Empty,
  'streams.list': z.object({ connectionId: ConnectionIdSchema }).strict(),
  'streams.open': StreamRef,
  'streams.forget': StreamRef,
  'streams.head': StreamRef,
  'streams.create': StreamRef.extend({
    contentType: ContentTypeSchema,
    ttlSeconds: z.number().int().positive().optional(),
  }).strict(),
  'streams.append': StreamRef.extend({ data: AppendDataSchema }).strict(),
  'streams.close': StreamRef,
  'streams.delete': StreamRef,
  'streams.readPage': StreamRef.extend({ offset: OffsetSchema.default('-1') }).strict(),
  'tails.subscribe': StreamRef.extend({ offset: OffsetSchema.default('-1') }).strict(),
  'tails.unsubscribe': z.object({ subscriptionId: z.string().min(1) }).strict(),
  'tails.ack': z.object({ subscriptionId: z.string().min(1) }).strict(),
  'producers.list': Empty,
  'producers.open': StreamRef.extend({
    producerId: z.string().trim().min(1, 'producerId is required').max(200),
  }).strict(),
  'producers.append': z.object({ id: z.string().min(1), data: AppendDataSchema }).strict(),
  'producers.close': z.object({ id: z.string().min(1) }).strict(),
  ...adminParamsSchemas,
  ...browseParamsSchemas,
} satisfies Record<MethodName, z.ZodType>

export interface ResultMap extends AdminResultMap, BrowseResultMap {
  'app.info': AppInfo
  'connections.list': ConnectionInfo[]
  'streams.list': StreamEntry[]
  'streams.open': StreamInfo
  'streams.forget': null
  'streams.head': StreamInfo
  'streams.create': StreamInfo
  'streams.append': AppendOutcome
  'streams.close': { finalOffset: string }
  'streams.delete': null
  'streams.readPage': PageResult
  'tails.subscribe': { subscriptionId: string }
  'tails.unsubscribe': null
  'tails.ack': null
  'producers.list': ProducerInfo[]
  'producers.open': ProducerInfo
  'producers.append': ProducerInfo
  'producers.close': ProducerInfo
}

/** What the renderer passes (defaults may be omitted). */
export type Params<M extends MethodName> = z.input<(typeof paramsSchemas)[M]>
/** What main-side handlers receive after validation. */
export type ParsedParams<M extends MethodName> = z.output<(typeof paramsSchemas)[M]>
export type Result<M extends MethodName> = ResultMap[M]

// ---------------------------------------------------------------------------------------------
// Events (main → renderer)
// ---------------------------------------------------------------------------------------------

export interface EventMap extends AdminEventMap, BrowseEventMap {
  'tail.batch': {
    subscriptionId: string
    messages: TailMessage[]
    nextOffset: string
    upToDate: boolean
    closed: boolean
    /** Messages dropped since the previous batch because the renderer fell behind. */
    dropped: number
  }
  'tail.status': {
    subscriptionId: string
    state: 'live' | 'closed' | 'error' | 'stopped'
    error: ErrorData | null
  }
  'streams.changed': { connectionId: string }
  'producers.changed': ProducerInfo
}

export type EventPayload<E extends EventName> = EventMap[E]

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
  const schema = paramsSchemas[method]
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

/** What the Electron preload exposes on `window.dsi` (raw, untyped transport). */
export interface PreloadApi {
  invoke(method: MethodName, params: unknown): Promise<WireResult>
  subscribe(listener: (event: EventName, payload: unknown) => void): () => void
}

/** A call's outcome on the wire: errors travel as data, never as thrown IPC errors. */
export type WireResult = { ok: true; value: unknown } | { ok: false; error: ErrorData }
