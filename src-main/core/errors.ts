/** Errors cross the boundary as data, using the client's serializer. */
import { serializeError } from '../../src-shared/client/node.js'
import type { ErrorData } from '../../src-shared/contract/index.js'

export function toErrorData(err: unknown): ErrorData {
  const data = serializeError(err)
  // Contract errors are not client errors but carry the same shape (code + field).
  if (data.code === 'UNKNOWN' && err instanceof Error) {
    const e = err as Error & { code?: unknown; field?: unknown }
    if (typeof e.code === 'string') {
      return {
        ...data,
        code: e.code,
        ...(typeof e.field === 'string' ? { details: { field: e.field } } : {}),
      }
    }
  }
  return data
}
