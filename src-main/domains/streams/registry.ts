/**
 * Reads the server's `__registry__` stream (state-protocol change events written by the
 * server's registry hooks) into the current set of streams.
 */
export interface RegistryEntry {
  path: string
  contentType: string | null
}

interface ChangeEvent {
  type?: unknown
  key?: unknown
  value?: unknown
  headers?: { operation?: unknown }
}

/** Applies change events in order; unknown shapes are ignored (the registry is advisory). */
export function reduceRegistry(events: readonly unknown[]): Map<string, RegistryEntry> {
  const streams = new Map<string, RegistryEntry>()
  for (const raw of events) {
    if (typeof raw !== 'object' || raw === null) continue
    const e = raw as ChangeEvent
    if (typeof e.key !== 'string') continue
    const op = e.headers?.operation
    if (op === 'delete') {
      streams.delete(e.key)
    } else if (op === 'insert' || op === 'update' || op === 'upsert') {
      const value = (typeof e.value === 'object' && e.value !== null ? e.value : {}) as {
        path?: unknown
        contentType?: unknown
      }
      streams.set(e.key, {
        path: typeof value.path === 'string' ? value.path : e.key,
        contentType: typeof value.contentType === 'string' ? value.contentType : null,
      })
    }
  }
  return streams
}

/** Paths whose latest registry event is a delete (streams removed, maybe by another client). */
export function deletedInRegistry(events: readonly unknown[]): Set<string> {
  const deleted = new Set<string>()
  for (const raw of events) {
    if (typeof raw !== 'object' || raw === null) continue
    const e = raw as ChangeEvent
    if (typeof e.key !== 'string') continue
    const op = e.headers?.operation
    if (op === 'delete') deleted.add(e.key)
    else if (op === 'insert' || op === 'update' || op === 'upsert') deleted.delete(e.key)
  }
  return deleted
}
