/**
 * Pure logic of the message list (no React, no DOM): virtual-list geometry, which rows to keep
 * in the renderer, message addresses, the keyboard moves of the grid and the texts the row
 * context menu copies. Unit-tested in test/renderer/.
 */
import type { MessagePayload } from '../../../../src-shared/contract/index.js'

/** Past this many pixels of content the scrollbar is compressed (browsers cap element height). */
export const MAX_PX = 8_000_000

export interface Geometry {
  /** Height of the scrollable content (px). */
  virt: number
  /** Whole rows that fit the viewport. */
  perView: number
  /** First (fractional) row index shown at a scroll position. */
  firstAt: (top: number) => number
  /** Scroll position that shows `index` as the first row. */
  topOf: (index: number) => number
}

/**
 * Where rows are for `total` rows of `rowHeight` px in a viewport of `height` px. Up to MAX_PX
 * rows sit at index × rowHeight; beyond it the scroll position maps proportionally to rows,
 * so 1,000,000+ rows stay reachable with a native scrollbar.
 */
export function geometry(total: number, height: number, rowHeight: number): Geometry {
  const full = total * rowHeight
  const virt = Math.max(Math.min(full, MAX_PX), height)
  const perView = Math.max(1, Math.floor(height / rowHeight))
  const maxFirst = Math.max(0, total - perView)
  const compressed = full > MAX_PX
  const span = Math.max(1, virt - height)
  return {
    virt,
    perView,
    firstAt: (top) => (compressed ? (top / span) * maxFirst : top / rowHeight),
    topOf: (index) =>
      compressed
        ? (Math.min(index, maxFirst) / Math.max(1, maxFirst)) * (virt - height)
        : index * rowHeight,
  }
}

/**
 * The positions to drop so that at most `max` rows stay: the ones farthest from `center`
 * (the window the list shows). With `center` = Infinity the newest (highest) rows are kept.
 */
export function rowsToDrop(keys: Iterable<number>, max: number, center: number): number[] {
  const all = [...keys]
  if (all.length <= max) return []
  const dist = (k: number): number => (center === Infinity ? -k : Math.abs(k - center))
  return all.sort((a, b) => dist(a) - dist(b) || a - b).slice(max)
}

/** Removes from `rows` (in place) what `rowsToDrop` names; returns the same map. */
export function trimRows<T>(rows: Map<number, T>, max: number, center: number): Map<number, T> {
  for (const k of rowsToDrop(rows.keys(), max, center)) rows.delete(k)
  return rows
}

/** A message's address: its batch's start offset and its 0-based index in that batch. */
export function messageAddress(row: { startOffset: string; inBatch: number }): string {
  return `${row.startOffset}+${row.inBatch}`
}

/**
 * An offset shown compactly: the reference servers' `<digits>_<digits>` offsets lose their
 * leading zeros (`0000000000000000_0000000000000123` → `0_123`); other (opaque) offsets keep
 * their last `keep` characters. Only for display: copies use the full value.
 */
export function compactOffset(o: string, keep = 12): string {
  if (/^\d+(_\d+)*$/.test(o)) return o.replace(/(^|_)0+(?=\d)/g, '$1')
  return o.length > keep + 1 ? `…${o.slice(-keep)}` : o
}

/** The address as a row shows it, e.g. `0_123+4`; `-1+0` for the first batch read from -1. */
export function compactAddress(row: { startOffset: string; inBatch: number }): string {
  return `${compactOffset(row.startOffset)}+${row.inBatch}`
}

/** Bytes as a short size: `512 B`, `1.5 KB`, `2.0 MB`. */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`
}

/**
 * A message as one NDJSON line in the export format (`offset` = its batch's next offset,
 * `index` = its index in the batch, then `value`, `text` or `base64`): re-importable.
 */
export function ndjsonLine(row: {
  endOffset: string
  inBatch: number
  payload: MessagePayload
}): string {
  const p = row.payload
  const body =
    p.kind === 'json'
      ? { value: p.value }
      : p.kind === 'text'
        ? { text: p.text }
        : { base64: p.base64 }
  return JSON.stringify({ offset: row.endOffset, index: row.inBatch, ...body })
}

/**
 * A curl command reading from `offset`, made from the session's own command (same headers as
 * placeholders): its last argument is the quoted URL (URLs hold no spaces), replaced here by
 * the stream URL at `offset`, as a catch-up read (no live mode, so no `-N`).
 */
export function curlAt(sessionCommand: string, streamUrl: string, offset: string): string {
  const url = new URL(streamUrl)
  url.searchParams.set('offset', offset)
  const quote = (v: string): string => `'${v.replace(/'/g, `'\\''`)}'`
  const head = sessionCommand.slice(0, sessionCommand.lastIndexOf(' ')).replace(/ -N(?= |$)/, '')
  return `${head} ${quote(url.toString())}`
}

/**
 * Where a key moves the grid's active row (`null`: the key is not a move). j/↓ and k/↑ step
 * (k/↑ from nothing goes to the last row), PageDown/PageUp by a screen, g/Home and G/End to the
 * ends.
 */
export function gridMove(
  key: string,
  current: number | null,
  total: number,
  perView: number,
): number | null {
  if (total <= 0) return null
  const last = total - 1
  const clamp = (i: number): number => Math.max(0, Math.min(last, i))
  switch (key) {
    case 'j':
    case 'ArrowDown':
      return current === null ? 0 : clamp(current + 1)
    case 'k':
    case 'ArrowUp':
      return current === null ? last : clamp(current - 1)
    case 'PageDown':
      return clamp((current ?? -1) + Math.max(1, perView - 1))
    case 'PageUp':
      return clamp((current ?? total) - Math.max(1, perView - 1))
    case 'g':
    case 'Home':
      return 0
    case 'G':
    case 'End':
      return last
    default:
      return null
  }
}
