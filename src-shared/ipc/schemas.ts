/** Building-block schemas shared by the contract modules (no imports of the contract). */
import { z } from 'zod'

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
