/**
 * Sizes of the resizable panes (sidebar width, tools height, detail width), by the splitter's
 * key, remembered across launches under `dsi.panes`. Older builds kept each size under its own
 * key (`dsi.sidebarWidth` = "270"): those are read once when `dsi.panes` does not exist yet.
 */
import { create } from 'zustand'
import { persist, type StorageValue } from 'zustand/middleware'
import { legacyAwareStorage, type SyncStorage } from './persisted.js'

interface PanesState {
  sizes: Record<string, number>
}

/** The keys older builds stored a pane's size under (the splitters' keys). */
export const LEGACY_PANE_KEYS = ['dsi.sidebarWidth', 'dsi.toolsHeight', 'dsi.detailWidth']

/** Only positive, finite sizes are kept (anything else: the pane's default). */
export function validSizes(v: unknown): Record<string, number> {
  const sizes: Record<string, number> = {}
  if (typeof v !== 'object' || v === null) return sizes
  for (const [k, n] of Object.entries(v)) {
    if (typeof n === 'number' && Number.isFinite(n) && n > 0) sizes[k] = n
  }
  return sizes
}

export function panesStorage(storage: () => Storage = () => localStorage): SyncStorage<PanesState> {
  const base = legacyAwareStorage<PanesState>(() => null, storage)
  return {
    ...base,
    getItem(name): StorageValue<PanesState> | null {
      const stored = base.getItem(name)
      if (stored) return stored
      const sizes = validSizes(
        Object.fromEntries(LEGACY_PANE_KEYS.map((k) => [k, Number(storage().getItem(k))])),
      )
      return Object.keys(sizes).length > 0 ? { state: { sizes }, version: 0 } : null
    },
  }
}

export const usePanes = create<PanesState>()(
  persist(() => ({ sizes: {} }), {
    name: 'dsi.panes',
    storage: panesStorage(),
    merge: (stored, current) => ({
      ...current,
      sizes: validSizes((stored as { sizes?: unknown } | undefined)?.sizes),
    }),
  }),
)

export function setPaneSize(key: string, size: number): void {
  usePanes.setState((s) => ({ sizes: { ...s.sizes, [key]: size } }))
}
