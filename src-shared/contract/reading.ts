/**
 * Reading a stream: the message browser's sessions (catch-up then live), their pages, search,
 * locate, live mode, progress and timeline.
 */
import { z } from 'zod'
import type { ErrorData, MessagePayload } from './common.js'
import { ConnectionIdSchema, StreamPathSchema } from './common.js'
import type { StreamHeaderInfo } from './streams.js'

const ConnectionId = ConnectionIdSchema
const StreamPath = StreamPathSchema
/** An offset typed or pasted by the user: `-1`, `now`, or an opaque server offset. */
export const BrowseOffsetSchema = z
  .string()
  .trim()
  .min(1, 'offset must not be empty')
  .max(256, 'offset is too long (max 256 characters)')
  .refine((o) => !/[\s&?#]/.test(o), 'offset must not contain spaces, "&", "?" or "#"')
const SessionId = z.string().min(1, 'sessionId is required').max(100)

export const LiveModeSchema = z.enum(['auto', 'long-poll', 'sse'])
export type LiveModeChoice = z.infer<typeof LiveModeSchema>

/** Client-side search: a text substring and/or a JSON path filter (see browse-filter.ts). */
export const BrowseFilterSchema = z
  .object({
    text: z.string().max(1000, 'search text is too long').optional(),
    path: z.string().max(1000, 'filter is too long').optional(),
  })
  .strict()
export type BrowseFilter = z.infer<typeof BrowseFilterSchema>

export const readingParams = {
  'reading.open': z
    .object({
      connectionId: ConnectionId,
      path: StreamPath,
      start: BrowseOffsetSchema.default('-1'),
      live: LiveModeSchema.default('auto'),
    })
    .strict(),
  'reading.close': z.object({ sessionId: SessionId }).strict(),
  'reading.setLive': z.object({ sessionId: SessionId, live: LiveModeSchema }).strict(),
  'reading.reconnect': z.object({ sessionId: SessionId }).strict(),
  'reading.page': z
    .object({
      sessionId: SessionId,
      from: z.number().int().min(0, 'from must be >= 0'),
      count: z.number().int().min(1).max(1000, 'count must be at most 1000'),
      view: z.enum(['all', 'matches']).default('all'),
    })
    .strict(),
  'reading.search': z
    .object({ sessionId: SessionId, filter: BrowseFilterSchema.nullable() })
    .strict(),
  'reading.locate': z.object({ sessionId: SessionId, offset: BrowseOffsetSchema }).strict(),
  'reading.curl': z.object({ sessionId: SessionId }).strict(),
}

export type ReadPhase = 'catch-up' | 'long-poll' | 'sse'

/** One message row: the message and the offset range of the batch (read response) it came in. */
export interface BrowseRow {
  index: number
  /** Offset the batch was read from (= the previous batch's next offset). */
  startOffset: string
  /** The batch's next offset. */
  endOffset: string
  /** Position inside the batch. */
  inBatch: number
  /** Messages in the response (batch) this one came in: its address is (startOffset, inBatch). */
  batchSize: number
  receivedAt: number
  phase: ReadPhase
  payload: MessagePayload
}

export interface BrowsePage {
  from: number
  rows: BrowseRow[]
  /** Rows in the requested view (all messages, or matches). */
  total: number
}

export interface TimelineSegment {
  id: number
  kind: 'catch-up' | 'live'
  phase: ReadPhase
  startOffset: string
  endOffset: string
  firstIndex: number
  count: number
  responses: number
  startedAt: number
  endedAt: number
}

export interface TimelineMarker {
  kind: 'up-to-date' | 'reconnect' | 'closed' | 'error'
  at: number
  offset: string
  index: number
  detail: string | null
}

export interface TimelineSnapshot {
  segments: TimelineSegment[]
  markers: TimelineMarker[]
  /** Older segments dropped to keep the timeline bounded. */
  droppedSegments: number
  /** Messages per second over the last 60 s (oldest first). */
  sparkline: number[]
  /**
   * Body bytes received so far, or null where the reader does not know them (JSON streams:
   * the client hands out parsed messages, and measuring them again would cost every read).
   */
  bytes: number | null
  /** Bytes per second over the last 60 s (oldest first); null like `bytes`. */
  bytesPerSecond: number[] | null
}

export type SessionState = 'catching-up' | 'live' | 'closed' | 'error' | 'stopped'

export interface BrowseProgress {
  sessionId: string
  total: number
  startOffset: string
  nextOffset: string
  upToDate: boolean
  closed: boolean
  state: SessionState
  live: LiveModeChoice
  phase: ReadPhase | null
  /** Messages per second (last 2 s). */
  rate: number
  reconnects: number
  responses: number
  error: ErrorData | null
  /** Matches of the active search (null without one); `searching` while it scans. */
  matchCount: number | null
  searching: boolean
  timeline: TimelineSnapshot
  /** The newest rows (up to 64, when cached), so a list following the tail needs no round trip. */
  tail: BrowseRow[]
  /**
   * The session's first rows (up to 64), sent once with the first progress that has any, so
   * the first screen of a list opened at its start needs no round trip either.
   */
  head: BrowseRow[]
}

export interface ReadingResults {
  'reading.open': { sessionId: string; header: StreamHeaderInfo; startOffset: string }
  'reading.close': null
  'reading.setLive': null
  'reading.reconnect': null
  'reading.page': BrowsePage
  'reading.search': { matchCount: number }
  'reading.locate': { index: number }
  'reading.curl': { command: string }
}

export interface ReadingEvents {
  'reading.progress': BrowseProgress
}
