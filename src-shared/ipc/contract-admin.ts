/**
 * Contract additions for the write/admin side of the inspector: connection profiles, the
 * stream list extras (bookmarks, create dialog), raw appends, lifecycle (close, fork),
 * producer controls, replay, export and import. Merged into the main contract.
 */
import { z } from 'zod'
import { ConnectionIdSchema, ContentTypeSchema, OffsetSchema, StreamPathSchema } from './schemas.js'
import type { ErrorData } from './contract.js'

const StreamRef = z.object({ connectionId: ConnectionIdSchema, path: StreamPathSchema })

/** A body as typed by the user: raw JSON text (sent verbatim), text, or base64 bytes. */
export const BodySchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('jsonText'), text: z.string().min(1, 'JSON body is empty') }),
  z.object({ kind: z.literal('text'), text: z.string() }),
  z.object({
    kind: z.literal('base64'),
    base64: z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'base64 data is not valid base64'),
  }),
])
export type Body = z.infer<typeof BodySchema>

export const HeaderNameSchema = z
  .string()
  .trim()
  .min(1, 'header name is required')
  .regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'header name has characters HTTP does not allow')

/** Largest `import.file` content (characters). The web host's frame limit is sized from it. */
export const IMPORT_MAX_CHARS = 64 * 1024 * 1024

export const ConnectionDraftSchema = z
  .object({
    /** Absent: a new profile. */
    id: z.string().min(1).optional(),
    name: z.string().trim().min(1, 'name is required').max(100, 'name is too long'),
    baseUrl: z
      .string()
      .trim()
      .refine((u) => /^https?:\/\/[^/\s]+/i.test(u), 'base URL must start with http:// or https://')
      .refine((u) => URL.canParse(u), 'base URL is not a valid URL'),
    /** value undefined: keep the stored secret (editing without re-typing it). */
    headers: z
      .array(z.object({ name: HeaderNameSchema, value: z.string().optional() }).strict())
      .max(50)
      .default([]),
  })
  .strict()
export type ConnectionDraft = z.input<typeof ConnectionDraftSchema>

const PositiveInt = (what: string) =>
  z.number().int(`${what} must be a whole number`).positive(`${what} must be greater than 0`)

export const ProducerOptionsSchema = z
  .object({
    epoch: z.number().int().min(0, 'epoch must be ≥ 0').default(0),
    autoClaim: z.boolean().default(false),
    lingerMs: z.number().int().min(0, 'linger must be ≥ 0').max(60_000).default(5),
    maxBatchItems: PositiveInt('batch size').max(100_000).default(100),
  })
  .strict()
export type ProducerOptions = z.output<typeof ProducerOptionsSchema>

export const ExportFormatSchema = z.enum(['ndjson', 'raw'])

/**
 * A range picked in the message browser, by position: skip `skip` messages after `fromOffset`,
 * then take `count` (overrides `toOffset`, which cannot bound a read the server coalesced).
 */
const RangeCountShape = {
  skip: z.number().int().min(0).max(1_000_000).optional(),
  count: z.number().int().min(1).max(1_000_000).optional(),
}

export const adminParamsSchemas = {
  'connections.save': ConnectionDraftSchema,
  'connections.remove': z.object({ id: ConnectionIdSchema }).strict(),
  'connections.test': z
    .object({ id: ConnectionIdSchema.optional(), draft: ConnectionDraftSchema.optional() })
    .strict()
    .refine((v) => v.id !== undefined || v.draft !== undefined, 'give id or draft'),
  'streams.describe': z
    .object({ connectionId: ConnectionIdSchema, paths: z.array(StreamPathSchema).max(200) })
    .strict(),
  'bookmarks.list': z.object({ connectionId: ConnectionIdSchema }).strict(),
  'bookmarks.set': StreamRef.extend({ bookmarked: z.boolean() }).strict(),
  'admin.create': StreamRef.extend({
    contentType: ContentTypeSchema.optional(),
    ttlSeconds: z.number().int().min(0, 'TTL must be ≥ 0 seconds').optional(),
    expiresAt: z.iso
      .datetime({ offset: true, message: 'expires-at must be an RFC 3339 date-time' })
      .optional(),
    closed: z.boolean().default(false),
    body: BodySchema.optional(),
    forkedFrom: StreamPathSchema.optional(),
    forkOffset: OffsetSchema.optional(),
    /** Stream-Fork-Sub-Offset: messages (JSON) or bytes past forkOffset to keep. */
    forkSubOffset: z.number().int().min(0, 'sub-offset must be ≥ 0').optional(),
  })
    .strict()
    .refine((v) => !(v.ttlSeconds !== undefined && v.expiresAt !== undefined), {
      message: 'give a TTL or an expires-at, not both',
      path: ['ttlSeconds'],
    }),
  'admin.append': StreamRef.extend({
    body: BodySchema,
    seq: z.string().trim().min(1).max(200).optional(),
    close: z.boolean().default(false),
    /** Send this Content-Type instead of the stream's (checks a mismatch on purpose). */
    contentType: ContentTypeSchema.optional(),
  }).strict(),
  'admin.close': StreamRef.extend({ body: BodySchema.optional() }).strict(),
  'producers.create': StreamRef.extend({
    producerId: z.string().trim().min(1, 'producer id is required').max(200),
    options: ProducerOptionsSchema.default({
      epoch: 0,
      autoClaim: false,
      lingerMs: 5,
      maxBatchItems: 100,
    }),
  }).strict(),
  'producers.send': z
    .object({
      id: z.string().min(1),
      body: BodySchema,
      count: z.number().int().min(1).max(100_000).default(1),
    })
    .strict(),
  'producers.claim': z
    .object({ id: z.string().min(1), epoch: z.number().int().min(0).optional() })
    .strict(),
  'producers.remove': z.object({ id: z.string().min(1) }).strict(),
  'replay.start': z
    .object({
      source: StreamRef,
      target: StreamRef,
      fromOffset: OffsetSchema.default('-1'),
      /** Inclusive upper bound: messages of batches ending at or before this offset. */
      toOffset: OffsetSchema.optional(),
      ...RangeCountShape,
      ratePerSecond: z.number().positive('rate must be > 0').max(100_000).optional(),
      /** Same id → same producer → a retried replay is deduplicated by the server. */
      replayId: z.string().trim().min(1).max(200).optional(),
    })
    .strict(),
  'replay.cancel': z.object({ runId: z.string().min(1) }).strict(),
  'export.range': StreamRef.extend({
    format: ExportFormatSchema,
    fromOffset: OffsetSchema.default('-1'),
    toOffset: OffsetSchema.optional(),
    ...RangeCountShape,
  }).strict(),
  'import.file': StreamRef.extend({
    format: ExportFormatSchema,
    /** NDJSON text, or base64 of the raw bytes. */
    content: z.string().max(IMPORT_MAX_CHARS, 'file is too large (max 64 MiB)'),
  }).strict(),
} as const

export interface ConnectionTestResult {
  ok: boolean
  status: number | null
  latencyMs: number
  registry: boolean
  message: string
}

export interface StreamSummary {
  path: string
  contentType: string | null
  closed: boolean | null
  error: string | null
}

export interface ProducerStatsInfo {
  inFlight: number
  queued: number
  duplicates: number
  retries: number
}

export interface ReplayProgress {
  runId: string
  done: number
  total: number
  duplicates: number
  state: 'running' | 'done' | 'failed' | 'cancelled'
  error: ErrorData | null
  producerId: string
}

export interface ExportResult {
  format: 'ndjson' | 'raw'
  /** NDJSON text, or base64 for raw. */
  content: string
  messages: number
  nextOffset: string
}

export interface AdminResultMap {
  'connections.save': import('./contract.js').ConnectionInfo
  'connections.remove': null
  'connections.test': ConnectionTestResult
  'streams.describe': StreamSummary[]
  'bookmarks.list': string[]
  'bookmarks.set': string[]
  'admin.create': import('./contract.js').StreamInfo
  'admin.append': { nextOffset: string; closed: boolean }
  'admin.close': { finalOffset: string }
  'producers.create': import('./contract.js').ProducerInfo
  'producers.send': import('./contract.js').ProducerInfo
  'producers.claim': import('./contract.js').ProducerInfo
  'producers.remove': null
  'replay.start': ReplayProgress
  'replay.cancel': null
  'export.range': ExportResult
  /** `appended`: new messages; `duplicates`: already there (the same file imported before). */
  'import.file': { appended: number; duplicates: number; nextOffset: string }
}

export interface AdminEventMap {
  'replay.progress': ReplayProgress
}
