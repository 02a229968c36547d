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
  .refine(
    (p) => !p.split('/').some((seg) => seg === '' || seg === '.' || seg === '..'),
    'stream path must not contain empty, "." or ".." segments',
  )

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
