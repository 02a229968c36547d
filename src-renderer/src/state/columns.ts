/**
 * The message list's columns: which are shown and how wide they are, remembered across
 * launches (zustand `persist`, localStorage key `dsi.columns`). The message column is always
 * shown and takes the rest of the width.
 */
import { create } from 'zustand'
import { createJSONStorage, persist } from 'zustand/middleware'

export type ColumnId = 'n' | 'address' | 'time' | 'size' | 'value'

export interface ColumnDef {
  id: ColumnId
  label: string
  /** What the header's tooltip says. */
  title: string
  /** Default and minimum width (px); the message column has none (it takes the rest). */
  width: number | null
  min: number
  hideable: boolean
}

export const COLUMNS: readonly ColumnDef[] = [
  { id: 'n', label: '#', title: 'Position in this list', width: 48, min: 32, hideable: true },
  {
    id: 'address',
    label: 'Address',
    title:
      "The message's address: the offset its batch (read response) was read from + its index in that batch. Hover a cell for the full value.",
    width: 124,
    min: 64,
    hideable: true,
  },
  {
    id: 'time',
    label: 'Arrived',
    title: 'When the inspector received it',
    width: 92,
    min: 56,
    hideable: true,
  },
  {
    id: 'size',
    label: 'Size',
    title: 'Size of the message body',
    width: 56,
    min: 40,
    hideable: true,
  },
  {
    id: 'value',
    label: 'Message',
    title: 'The message (one line)',
    width: null,
    min: 120,
    hideable: false,
  },
]

export type ColumnWidths = Partial<Record<ColumnId, number>>

export interface ColumnsState {
  hidden: ColumnId[]
  widths: ColumnWidths
}

export const defaultColumns = (): ColumnsState => ({ hidden: [], widths: {} })

/** The columns shown, in order. */
export function shownColumns(s: ColumnsState): ColumnDef[] {
  return COLUMNS.filter((c) => !c.hideable || !s.hidden.includes(c.id))
}

export function columnWidth(s: ColumnsState, c: ColumnDef): number | null {
  if (c.width === null) return null
  return Math.max(c.min, s.widths[c.id] ?? c.width)
}

/** The CSS `grid-template-columns` of the header and every row. */
export function gridTemplate(s: ColumnsState): string {
  return shownColumns(s)
    .map((c) => {
      const w = columnWidth(s, c)
      return w === null ? `minmax(${c.min}px, 1fr)` : `${w}px`
    })
    .join(' ')
}

export const useColumns = create<ColumnsState>()(
  persist(defaultColumns, {
    name: 'dsi.columns',
    version: 1,
    storage: createJSONStorage(() => localStorage),
    // A stored state from elsewhere (hand-edited, older build) keeps only what is valid.
    merge: (stored, current) => {
      const s = (stored ?? {}) as Partial<ColumnsState>
      const ids = new Set(COLUMNS.filter((c) => c.hideable).map((c) => c.id))
      const hidden = Array.isArray(s.hidden) ? s.hidden.filter((id) => ids.has(id)) : []
      const widths: ColumnWidths = {}
      for (const c of COLUMNS) {
        const w = s.widths?.[c.id]
        if (c.width !== null && typeof w === 'number' && Number.isFinite(w)) widths[c.id] = w
      }
      return { ...current, hidden, widths }
    },
  }),
)

export function toggleColumn(id: ColumnId): void {
  const c = COLUMNS.find((x) => x.id === id)
  if (!c?.hideable) return
  useColumns.setState((s) => ({
    hidden: s.hidden.includes(id) ? s.hidden.filter((x) => x !== id) : [...s.hidden, id],
  }))
}

export function setColumnWidth(id: ColumnId, px: number): void {
  const c = COLUMNS.find((x) => x.id === id)
  if (!c || c.width === null) return
  const w = Math.round(Math.max(c.min, Math.min(800, px)))
  useColumns.setState((s) => ({ widths: { ...s.widths, [id]: w } }))
}

export function resetColumns(): void {
  useColumns.setState(defaultColumns())
}
