/** Shell state: error banners (dismissible, with details) and the colour theme. */
import { create } from 'zustand'
import { persist } from 'zustand/middleware'
import { errorMessage } from '../../../src-shared/error-message'
import { legacyAwareStorage } from './persisted'

export interface Banner {
  id: number
  title: string
  message: string
  /** Technical details (error name, code, status, URL), shown on demand. */
  details: string | null
  /** An error (red), or information the user should know (neutral). */
  tone: 'error' | 'info'
}

export type ThemeChoice = 'system' | 'light' | 'dark'

interface UiState {
  banners: Banner[]
  theme: ThemeChoice
}

/** A remembered theme: anything but light or dark means following the OS. */
export function themeChoice(v: unknown): ThemeChoice {
  return v === 'light' || v === 'dark' ? v : 'system'
}

export const useUi = create<UiState>()(
  persist((): UiState => ({ banners: [], theme: 'system' }), {
    // The key older builds kept the bare choice under ("dark"); read by legacyAwareStorage.
    name: 'dsi.theme',
    storage: legacyAwareStorage<Pick<UiState, 'theme'>>((raw) =>
      raw === 'light' || raw === 'dark' ? { theme: raw } : null,
    ),
    partialize: (s) => ({ theme: s.theme }),
    merge: (stored, current) => ({
      ...current,
      theme: themeChoice((stored as { theme?: unknown } | undefined)?.theme),
    }),
  }),
)

let nextId = 1

/** Shows an error as a banner; returns its id. */
export function reportError(title: string, err: unknown): number {
  const id = nextId++
  const banner: Banner = {
    id,
    title,
    message: errorMessage(err),
    details: errorDetails(err),
    tone: 'error',
  }
  // Shown to the user (the banner) and kept in the log, as a warning: console.error is kept for
  // what nobody handled (the e2e fixture fails a test on any).
  console.warn(title, err)
  useUi.setState((s) => ({ banners: [...s.banners.slice(-4), banner] }))
  return id
}

/** Shows a neutral banner, not an error (a link that names nothing, a fork done as a copy). */
export function reportNotice(title: string, message: string): number {
  const id = nextId++
  useUi.setState((s) => ({
    banners: [...s.banners.slice(-4), { id, title, message, details: null, tone: 'info' }],
  }))
  return id
}

export function dismissBanner(id: number): void {
  useUi.setState((s) => ({ banners: s.banners.filter((b) => b.id !== id) }))
}

export function errorDetails(err: unknown): string | null {
  if (!(err instanceof Error)) return null
  const e = err as Error & { code?: unknown; status?: unknown; url?: unknown }
  const parts = [`name: ${e.name}`]
  if (typeof e.code === 'string') parts.push(`code: ${e.code}`)
  if (typeof e.status === 'number') parts.push(`status: ${e.status}`)
  if (typeof e.url === 'string') parts.push(`url: ${e.url}`)
  return parts.join('\n')
}

/** Applies a theme choice to <html data-theme> and remembers it. */
export function setTheme(theme: ThemeChoice): void {
  applyTheme(theme)
  useUi.setState({ theme })
}

export function applyTheme(theme: ThemeChoice = useUi.getState().theme): void {
  if (theme === 'system') delete document.documentElement.dataset.theme
  else document.documentElement.dataset.theme = theme
}

/** Whether the effective theme is dark (for Monaco). */
export function isDark(theme: ThemeChoice): boolean {
  if (theme === 'system') return window.matchMedia('(prefers-color-scheme: dark)').matches
  return theme === 'dark'
}
