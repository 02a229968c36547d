/**
 * The State view (`state.*`): a State Protocol stream materialized in main (per entity type a
 * table of key → value), read as of any change, one key's history, warnings and markers.
 * The renderer holds only the page it shows, like the message browser.
 */
import { z } from 'zod'
import type { ErrorData } from './common.js'
import { ConnectionIdSchema, StreamPathSchema } from './common.js'
import { BrowseOffsetSchema } from './reading.js'

const SessionId = z.string().min(1, 'sessionId is required').max(100)
const EntityType = z.string().min(1, 'type is required').max(10_000)

/** Row filter: a substring of the key or value, and/or a value path (browser filter syntax). */
export const StateFilterSchema = z
  .object({
    text: z.string().max(1000, 'search text is too long').optional(),
    path: z.string().max(1000, 'filter is too long').optional(),
  })
  .strict()
export type StateFilter = z.infer<typeof StateFilterSchema>

/**
 * Which state to show: `live`; after change `position` (0 = before the first); after every
 * message read before `offset`; or right after the message at `(offset, inBatch)` (its read
 * response's start offset and its place in that response, as the message list shows it).
 */
export const StateAsOfSchema = z.union([
  z.object({ live: z.literal(true) }).strict(),
  z.object({ position: z.number().int().min(0, 'position must be >= 0') }).strict(),
  z
    .object({
      offset: BrowseOffsetSchema,
      inBatch: z.number().int().min(0, 'inBatch must be >= 0').optional(),
    })
    .strict(),
])
export type StateAsOf = z.infer<typeof StateAsOfSchema>

export const stateParams = {
  'state.open': z
    .object({
      connectionId: ConnectionIdSchema,
      path: StreamPathSchema,
      asOf: StateAsOfSchema.optional(),
    })
    .strict(),
  'state.close': z.object({ sessionId: SessionId }).strict(),
  'state.page': z
    .object({
      sessionId: SessionId,
      type: EntityType,
      from: z.number().int().min(0, 'from must be >= 0'),
      count: z.number().int().min(1).max(1000, 'count must be at most 1000'),
      filter: StateFilterSchema.nullable().optional(),
    })
    .strict(),
  'state.asOf': z
    .object({
      sessionId: SessionId,
      asOf: StateAsOfSchema,
      /** The page to show there, answered with the move (one round trip per jump). */
      page: z
        .object({
          type: EntityType,
          from: z.number().int().min(0, 'from must be >= 0'),
          count: z.number().int().min(1).max(1000, 'count must be at most 1000'),
          filter: StateFilterSchema.nullable().optional(),
        })
        .strict()
        .optional(),
    })
    .strict(),
  'state.keyHistory': z
    .object({ sessionId: SessionId, type: EntityType, key: z.string().max(10_000) })
    .strict(),
  'state.export': z.object({ sessionId: SessionId }).strict(),
  'state.log': z
    .object({
      sessionId: SessionId,
      kind: z.enum(['warnings', 'markers']),
      from: z.number().int().min(0),
      count: z.number().int().min(1).max(1000),
    })
    .strict(),
}

export interface StateAddress {
  startOffset: string
  endOffset: string
  inBatch: number
}

export interface StateCountersData {
  messages: number
  insert: number
  update: number
  delete: number
  upsert: number
  reset: number
  snapshots: number
  warnings: number
}

export interface StateTypeSummary {
  type: string
  rows: number
}

/** Where the shown state is: live, or as of a position in the change log. */
export interface StatePosition {
  live: boolean
  /** Changes (and resets) applied, 0..total. */
  position: number
  /** Changes in the log so far. */
  total: number
  /** Address of the last applied message, or null at position 0. */
  address: StateAddress | null
  messageIndex: number
}

export interface StateSummary {
  sessionId: string
  path: string
  /** The first messages look like State Protocol messages (else: any JSON shown as state). */
  looksLikeState: boolean
  state: 'catching-up' | 'live' | 'closed' | 'error' | 'stopped'
  upToDate: boolean
  counters: StateCountersData
  /** Tables in the shown state. */
  types: StateTypeSummary[]
  position: StatePosition
  markers: number
  error: ErrorData | null
}

export interface StateRowData {
  key: string
  value: unknown
}

export interface StatePageData {
  type: string
  from: number
  rows: StateRowData[]
  total: number
  unfiltered: number
  columns: string[]
  scalars: boolean
}

export interface StateWarningData {
  messageIndex: number
  address: StateAddress
  code: string
  message: string
}

export interface StateMarkerData {
  kind: 'snapshot-start' | 'snapshot-end' | 'reset'
  messageIndex: number
  position: number
  address: StateAddress
  offset: string | null
}

export interface StateDiffEntry {
  kind: 'added' | 'removed' | 'changed'
  path: string
  before?: unknown
  after?: unknown
}

export interface StateHistoryEntry {
  position: number
  messageIndex: number
  address: StateAddress
  op: 'insert' | 'update' | 'delete' | 'upsert' | 'reset'
  txid: string | null
  timestamp: string | null
  value: unknown
  diff: StateDiffEntry[]
  diffTruncated: boolean
}

export interface StateResults {
  'state.open': StateSummary
  'state.close': null
  'state.page': StatePageData
  /** `page`: the asked page, or null when its type has no table there. */
  'state.asOf': StateSummary & { page: StatePageData | null }
  'state.keyHistory': { type: string; key: string; entries: StateHistoryEntry[]; total: number }
  'state.export': { json: string; fileName: string }
  'state.log':
    | { kind: 'warnings'; total: number; from: number; items: StateWarningData[] }
    | { kind: 'markers'; total: number; from: number; items: StateMarkerData[] }
}

export interface StateEvents {
  /** Live updates of one session: its summary and the keys changed since the last event. */
  'state.progress': StateSummary & { changed: { type: string; key: string }[] }
}
