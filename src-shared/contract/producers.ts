/** Persistent idempotent producers: create, send, claim an epoch, remove; live counters. */
import { z } from 'zod'
import { BodySchema, StreamRef, Empty, type ErrorData } from './common.js'

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

export interface ProducerStatsInfo {
  inFlight: number
  queued: number
  duplicates: number
  retries: number
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
  /** Options it was created with (absent for producers saved without them). */
  options?: ProducerOptions | undefined
  /** Live counters of the running producer. */
  stats?: ProducerStatsInfo | undefined
  /** The server's epoch when the producer was fenced (403), else null. */
  fencedBy?: number | null | undefined
}

export const producersParams = {
  'producers.list': Empty,
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
}

export interface ProducersResults {
  'producers.list': ProducerInfo[]
  'producers.create': ProducerInfo
  'producers.send': ProducerInfo
  'producers.claim': ProducerInfo
  'producers.remove': null
}

export interface ProducersEvents {
  'producers.changed': ProducerInfo
}
