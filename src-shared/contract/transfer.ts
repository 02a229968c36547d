/** Moving messages: replay a range into a stream, export a range, import a file. */
import { z } from 'zod'
import { OffsetSchema, StreamRef, type ErrorData } from './common.js'

/** Largest `transfer.import` content (characters). The web host's frame limit is sized from it. */
export const IMPORT_MAX_CHARS = 64 * 1024 * 1024

export const ExportFormatSchema = z.enum(['ndjson', 'raw'])

/**
 * A range picked in the message browser, by position: skip `skip` messages after `fromOffset`,
 * then take `count` (overrides `toOffset`, which cannot bound a read the server coalesced).
 */
const RangeCountShape = {
  skip: z.number().int().min(0).max(1_000_000).optional(),
  count: z.number().int().min(1).max(1_000_000).optional(),
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

export const transferParams = {
  'transfer.replay': z
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
  'transfer.cancelReplay': z.object({ runId: z.string().min(1) }).strict(),
  'transfer.export': StreamRef.extend({
    format: ExportFormatSchema,
    fromOffset: OffsetSchema.default('-1'),
    toOffset: OffsetSchema.optional(),
    ...RangeCountShape,
  }).strict(),
  'transfer.import': StreamRef.extend({
    format: ExportFormatSchema,
    /** NDJSON text, or base64 of the raw bytes. */
    content: z.string().max(IMPORT_MAX_CHARS, 'file is too large (max 64 MiB)'),
  }).strict(),
}

export interface TransferResults {
  'transfer.replay': ReplayProgress
  'transfer.cancelReplay': null
  'transfer.export': ExportResult
  /** `appended`: new messages; `duplicates`: already there (the same file imported before). */
  'transfer.import': { appended: number; duplicates: number; nextOffset: string }
}

export interface TransferEvents {
  'transfer.replayProgress': ReplayProgress
}
