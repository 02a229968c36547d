/**
 * Building blocks shared by the domain contracts (connections, streams, reading, producers,
 * transfer, app): identifiers, paths, offsets, content types, message bodies and error data.
 * Imports no other contract module, so the domain files never import each other in a circle.
 */
import { z } from 'zod'
import type { SerializedError } from '../client/error-data.js'

export const ConnectionIdSchema = z.string().min(1, 'connectionId is required').max(200)

/** A stream path relative to a connection's base URL, e.g. `orders` or `tenants/a/events`. */
export const StreamPathSchema = z
  .string()
  .trim()
  .min(1, 'stream path is required')
  .max(1024, 'stream path is too long (max 1024 characters)')
  .transform((p) => p.replace(/^\/+/, ''))
  .refine((p) => p.length > 0, 'stream path is required')
  .refine((p) => !/[\s?#]/.test(p), 'stream path must not contain spaces, "?" or "#"')
  .superRefine((p, ctx) => {
    const problem = streamPathProblem(p)
    if (problem) ctx.addIssue({ code: 'custom', message: problem })
  })

/**
 * Why `path` (already trimmed, no leading `/`) could leave the connection's base path once put in
 * a URL, or null. URLs resolve `.`/`..` segments also when written `%2e`, and treat `\` as `/`,
 * so each segment is checked as the URL will read it: decoded.
 */
export function streamPathProblem(path: string): string | null {
  if (path.includes('\\')) return 'stream path must not contain "\\"'
  for (const seg of path.split('/')) {
    let decoded: string
    try {
      decoded = decodeURIComponent(seg)
    } catch (_err) {
      return `stream path has a malformed %-escape in "${seg}"`
    }
    if (decoded === '' || decoded === '.' || decoded === '..') {
      return 'stream path must not contain empty, "." or ".." segments (also not %-encoded)'
    }
    if (/[/\\]/.test(decoded)) return `stream path segment "${seg}" encodes "/" or "\\"`
  }
  return null
}

export const OffsetSchema = z
  .string()
  .min(1, 'offset must not be empty')
  .max(256, 'offset is too long')

export const ContentTypeSchema = z
  .string()
  .trim()
  .regex(
    /^[A-Za-z0-9!#$&^_.+-]+\/[A-Za-z0-9!#$&^_.+-]+(\s*;.*)?$/,
    'content type must look like "type/subtype", e.g. application/json',
  )

/** A stream on a connection: what most calls are about. */
export const StreamRef = z.object({ connectionId: ConnectionIdSchema, path: StreamPathSchema })

/** Parameters of a call that takes none. */
export const Empty = z.object({}).strict()

/**
 * A message body as typed by the user: raw JSON text (sent verbatim, so numbers and key order
 * survive), text, or base64 bytes. The one body schema of the contract (append, create, close,
 * producer sends).
 */
export const BodySchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('jsonText'), text: z.string().min(1, 'JSON body is empty') }),
  z.object({ kind: z.literal('text'), text: z.string() }),
  z.object({
    kind: z.literal('base64'),
    base64: z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'base64 data is not valid base64'),
  }),
])
export type Body = z.infer<typeof BodySchema>

/** An error crossing the boundary as data: the client's own serialized form. */
export type ErrorData = SerializedError

/** One message as shown by the renderer. */
export type MessagePayload =
  | { kind: 'json'; value: unknown }
  | { kind: 'text'; text: string }
  | { kind: 'bytes'; base64: string; size: number }
