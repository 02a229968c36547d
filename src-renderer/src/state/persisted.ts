/**
 * Storage for zustand `persist` that keeps what users set before it was used: under the same
 * localStorage key, a value in an older format (a bare "dark", a plain JSON object) is read
 * through `fromLegacy` and written back in persist's format on the next change.
 */
import type { PersistStorage, StorageValue } from 'zustand/middleware'

/** What persist writes: `{ state, version }`. */
function isStorageValue(v: unknown): v is StorageValue<unknown> {
  return typeof v === 'object' && v !== null && 'state' in v && typeof v.state === 'object'
}

/** A PersistStorage whose reads are synchronous (localStorage), so stores hydrate at creation. */
export interface SyncStorage<S> extends PersistStorage<S> {
  getItem(name: string): StorageValue<S> | null
}

export function legacyAwareStorage<S>(
  /** The state an older build's value stands for, or null to ignore it. */
  fromLegacy: (raw: string, key: string) => S | null,
  storage: () => Storage = () => localStorage,
): SyncStorage<S> {
  return {
    getItem(name) {
      const raw = storage().getItem(name)
      if (raw === null) return null
      try {
        const v: unknown = JSON.parse(raw)
        if (isStorageValue(v)) return v as StorageValue<S>
      } catch {
        // Not JSON: an older build's bare value (handled below).
      }
      const state = fromLegacy(raw, name)
      return state === null ? null : { state, version: 0 }
    },
    setItem(name, value) {
      storage().setItem(name, JSON.stringify(value))
    },
    removeItem(name) {
      storage().removeItem(name)
    },
  }
}
