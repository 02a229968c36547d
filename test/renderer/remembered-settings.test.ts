/**
 * Remembered settings go through zustand `persist`; what older builds wrote under the same keys
 * (a bare "dark", a plain JSON object, one key per pane) is still read, so users keep them.
 */
import { describe, expect, it } from 'vitest'
import { createStore } from 'zustand/vanilla'
import { persist } from 'zustand/middleware'
import { legacyAwareStorage } from '../../src-renderer/src/state/persisted.js'
import { panesStorage, validSizes } from '../../src-renderer/src/state/panes.js'

/** localStorage does not exist in Node: the same Storage interface over a Map. */
function memoryStorage(entries: Record<string, string> = {}): Storage {
  const m = new Map(Object.entries(entries))
  return {
    get length() {
      return m.size
    },
    key: (i) => [...m.keys()][i] ?? null,
    getItem: (k) => m.get(k) ?? null,
    setItem: (k, v) => void m.set(k, String(v)),
    removeItem: (k) => void m.delete(k),
    clear: () => m.clear(),
  }
}

type Theme = { theme: 'system' | 'light' | 'dark'; other: number }

/** A store persisted like the theme (state/ui.ts), over `storage`. */
function themeStore(storage: Storage) {
  return createStore<Theme>()(
    persist((): Theme => ({ theme: 'system', other: 0 }), {
      name: 'dsi.theme',
      storage: legacyAwareStorage<Pick<Theme, 'theme'>>(
        (raw) => (raw === 'light' || raw === 'dark' ? { theme: raw } : null),
        () => storage,
      ),
      partialize: (s) => ({ theme: s.theme }),
    }),
  )
}

describe('legacy-aware persist storage', () => {
  it("reads an older build's bare value, then writes persist's format under the same key", () => {
    const storage = memoryStorage({ 'dsi.theme': 'dark' })
    const store = themeStore(storage)
    expect(store.getState().theme).toBe('dark')
    store.setState({ theme: 'light', other: 5 })
    expect(JSON.parse(storage.getItem('dsi.theme') ?? '')).toEqual({
      state: { theme: 'light' },
      version: 0,
    })
    // A new start reads it back (and only what is remembered).
    expect(themeStore(storage).getState()).toMatchObject({ theme: 'light', other: 0 })
  })

  it('ignores an older value it does not understand, and an empty store', () => {
    expect(themeStore(memoryStorage({ 'dsi.theme': 'purple' })).getState().theme).toBe('system')
    expect(themeStore(memoryStorage()).getState().theme).toBe('system')
  })

  it("hands a JSON value without persist's envelope to the legacy reader", () => {
    const s = legacyAwareStorage(
      (raw) => ({ legacy: JSON.parse(raw) as unknown }),
      () => memoryStorage({ 'dsi.tools': '{"open":true,"tab":"replay"}' }),
    )
    expect(s.getItem('dsi.tools')).toEqual({
      state: { legacy: { open: true, tab: 'replay' } },
      version: 0,
    })
  })
})

describe('pane sizes', () => {
  it('are read from the per-pane keys of older builds while dsi.panes does not exist', () => {
    const storage = memoryStorage({
      'dsi.sidebarWidth': '310',
      'dsi.toolsHeight': 'NaN',
      'dsi.detailWidth': '-4',
    })
    expect(panesStorage(() => storage).getItem('dsi.panes')).toEqual({
      state: { sizes: { 'dsi.sidebarWidth': 310 } },
      version: 0,
    })
    expect(panesStorage(() => memoryStorage()).getItem('dsi.panes')).toBeNull()
  })

  it('come from dsi.panes once it exists, the older keys no longer count', () => {
    const storage = memoryStorage({
      'dsi.sidebarWidth': '310',
      'dsi.panes': JSON.stringify({ state: { sizes: { 'dsi.toolsHeight': 200 } }, version: 0 }),
    })
    expect(panesStorage(() => storage).getItem('dsi.panes')?.state).toEqual({
      sizes: { 'dsi.toolsHeight': 200 },
    })
  })

  it('keep only positive finite numbers', () => {
    expect(validSizes({ a: 1, b: 0, c: -1, d: Infinity, e: '5', f: 2.5 })).toEqual({ a: 1, f: 2.5 })
    expect(validSizes(null)).toEqual({})
  })
})
