/** Server connections: the embedded Local server and saved profiles with default headers. */
import { z } from 'zod'
import { ConnectionIdSchema, Empty } from './common.js'

export interface ConnectionInfo {
  id: string
  name: string
  baseUrl: string
  kind: 'embedded' | 'remote'
  /** Names of default headers (values, which may be secrets, never reach the renderer). */
  headerNames: string[]
}

export const HeaderNameSchema = z
  .string()
  .trim()
  .min(1, 'header name is required')
  .regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'header name has characters HTTP does not allow')

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

export interface ConnectionTestResult {
  ok: boolean
  status: number | null
  latencyMs: number
  registry: boolean
  message: string
}

export const connectionsParams = {
  'connections.list': Empty,
  'connections.save': ConnectionDraftSchema,
  'connections.remove': z.object({ id: ConnectionIdSchema }).strict(),
  'connections.test': z
    .object({ id: ConnectionIdSchema.optional(), draft: ConnectionDraftSchema.optional() })
    .strict()
    .refine((v) => v.id !== undefined || v.draft !== undefined, 'give id or draft'),
}

export interface ConnectionsResults {
  'connections.list': ConnectionInfo[]
  'connections.save': ConnectionInfo
  'connections.remove': null
  'connections.test': ConnectionTestResult
}
