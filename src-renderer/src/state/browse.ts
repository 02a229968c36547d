/**
 * Renderer state of the message browser and live tail. Only the visible window of rows is
 * held here (at most MAX_ROWS); main keeps the index and serves pages by position.
 */
import { create } from 'zustand'
import type {
  BrowseProgress,
  BrowseRow,
  LiveModeChoice,
  StreamHeaderInfo,
} from '../../../src-shared/contract'
import { getBridge } from '../bridge'
import { curlAt, trimRows } from '../components/browser/list-model'
import { writeHashLink } from './deeplink'

const MAX_ROWS = 600
export type DetailFormat = 'collapsed' | 'pretty' | 'tree'
export type View = 'all' | 'matches'

export interface BrowseState {
  connectionId: string | null
  path: string | null
  sessionId: string | null
  header: StreamHeaderInfo | null
  headerError: string | null
  openError: string | null
  /** What the user asked to start from (`-1`, `now`, or an offset) and what it resolved to. */
  start: string
  startOffset: string | null
  live: LiveModeChoice
  progress: BrowseProgress | null
  /** When `progress` arrived (its rate and sparkline are aged from then: see rate.ts). */
  progressAt: number
  paused: boolean
  /** Rows shown while paused; the rest are buffered in main. */
  pausedTotal: number
  follow: boolean
  view: View
  searchText: string
  searchPath: string
  searchError: string | null
  /** Rows of the current view by position. */
  rows: Map<number, BrowseRow>
  rowsVersion: number
  selected: number | null
  detailOpen: boolean
  format: DetailFormat
  /** Scroll requests (jump to offset, timeline click, g/G); seq makes repeats distinct. */
  scrollTo: { index: number; seq: number } | null
  jumpError: string | null
  /**
   * A start offset typed by the user is on probation until the server accepts it: if the
   * first read is refused (400) the previous start is read again (`fallbackStart`) and
   * `startRejected` says why, next to the input.
   */
  fallbackStart: string | null
  startRejected: string | null
  /** The message the detail pane keeps showing after a search or view change reset the list. */
  held: BrowseRow | null
}

const initial = (): Omit<BrowseState, 'format' | 'live' | 'follow'> => ({
  connectionId: null,
  path: null,
  sessionId: null,
  header: null,
  headerError: null,
  openError: null,
  start: '-1',
  startOffset: null,
  progress: null,
  progressAt: 0,
  paused: false,
  pausedTotal: 0,
  view: 'all',
  searchText: '',
  searchPath: '',
  searchError: null,
  rows: new Map(),
  rowsVersion: 0,
  selected: null,
  detailOpen: false,
  scrollTo: null,
  jumpError: null,
  fallbackStart: null,
  startRejected: null,
  held: null,
})

export { offsetProblem } from './offset.js'

export const useBrowse = create<BrowseState>(() => ({
  ...initial(),
  format: 'pretty',
  live: 'auto',
  follow: true,
}))

const message = (err: unknown): string => (err instanceof Error ? err.message : String(err))
let subscribed = false
let seq = 0

/** Rows in the current view as the list should show them (frozen while paused). */
export function visibleTotal(s: BrowseState): number {
  if (s.view === 'matches') return s.progress?.matchCount ?? 0
  if (s.paused) return s.pausedTotal
  return s.progress?.total ?? 0
}

function onProgress(p: BrowseProgress): void {
  const s = useBrowse.getState()
  if (p.sessionId !== s.sessionId) return
  if (s.fallbackStart !== null) {
    if (p.error?.status === 400 && p.total === 0 && s.connectionId && s.path) {
      // The server refused the typed offset: read from the previous start again, and say so.
      const rejected = s.start
      const fallback = s.fallbackStart
      const why = `The server refused offset "${rejected}" (400: ${p.error.message}). Offsets are tokens the server issued: copy one from a row. Reading from ${fallback === '-1' ? 'the beginning' : fallback} again.`
      void openSession(s.connectionId, s.path, fallback, s.live).then(() =>
        useBrowse.setState({ startRejected: why }),
      )
      return
    }
    if (!p.error && (p.total > 0 || p.upToDate)) useBrowse.setState({ fallbackStart: null })
  }
  if (s.view === 'matches' && p.matchCount === null) {
    // Main has no search any more (a regex stopped for backtracking too long): list everything
    // rather than an empty 'no message matches'.
    useBrowse.setState({
      view: 'all',
      progress: p,
      progressAt: Date.now(),
      rows: new Map(),
      rowsVersion: s.rowsVersion + 1,
    })
    return
  }
  const searchDone = s.progress?.searching === true && !p.searching
  if (searchDone) {
    useBrowse.setState({
      progress: p,
      progressAt: Date.now(),
      rows: new Map(),
      rowsVersion: s.rowsVersion + 1,
    })
    return
  }
  // The newest rows come with the progress: a list following the tail shows them at once.
  let rows = s.rows
  if (s.view === 'all' && !s.paused && (p.tail.length > 0 || p.head.length > 0)) {
    rows = new Map(s.rows)
    for (const r of p.head) rows.set(r.index, r)
    for (const r of p.tail) rows.set(r.index, r)
    trimRows(rows, MAX_ROWS, Infinity)
  }
  useBrowse.setState({ progress: p, progressAt: Date.now(), rows })
}

/** Opens (or re-opens) the browser on a stream from `start`. */
export async function openSession(
  connectionId: string,
  path: string,
  start = '-1',
  live: LiveModeChoice = useBrowse.getState().live,
  /** For a start the user typed: where to read from again if the server refuses it. */
  fallbackStart: string | null = null,
): Promise<void> {
  const b = getBridge()
  if (!subscribed) {
    subscribed = true
    b.on('reading.progress', onProgress)
  }
  const old = useBrowse.getState().sessionId
  useBrowse.setState({ ...initial(), connectionId, path, start, live, fallbackStart })
  if (old) {
    await b.call('reading.close', { sessionId: old }).catch((err: unknown) => {
      console.warn('closing the previous browse session failed', err)
    })
  }
  try {
    const r = await b.call('reading.open', { connectionId, path, start, live })
    if (useBrowse.getState().path !== path) {
      await b.call('reading.close', { sessionId: r.sessionId })
      return
    }
    useBrowse.setState({ sessionId: r.sessionId, header: r.header, startOffset: r.startOffset })
    if (start !== '-1') writeHashLink({ connectionId, path, offset: start })
  } catch (err) {
    useBrowse.setState({ openError: message(err) })
  }
}

export async function closeSession(): Promise<void> {
  const { sessionId } = useBrowse.getState()
  useBrowse.setState({ ...initial() })
  if (sessionId) await getBridge().call('reading.close', { sessionId })
}

export async function refreshHeader(): Promise<void> {
  const { connectionId, path } = useBrowse.getState()
  if (!connectionId || !path) return
  try {
    const header = await getBridge().call('streams.head', { connectionId, path })
    useBrowse.setState({ header, headerError: null })
  } catch (err) {
    useBrowse.setState({ headerError: message(err) })
  }
}

let inFlight = false
let wanted: { from: number; to: number } | null = null

/** Makes sure rows [from, to] of the current view are loaded (fetching what is missing). */
export function ensureRows(from: number, to: number): void {
  wanted = { from, to }
  if (!inFlight) void pump()
}

async function pump(): Promise<void> {
  inFlight = true
  try {
    while (wanted) {
      const { from, to } = wanted
      wanted = null
      const s = useBrowse.getState()
      if (!s.sessionId) return
      const last = Math.min(to, visibleTotal(s) - 1)
      let first = from
      while (first <= last && s.rows.has(first)) first++
      let end = last
      while (end >= first && s.rows.has(end)) end--
      if (first > end) continue
      const view = s.view
      const page = await getBridge().call('reading.page', {
        sessionId: s.sessionId,
        from: first,
        count: Math.min(1000, end - first + 1),
        view,
      })
      const now = useBrowse.getState()
      if (now.sessionId !== s.sessionId || now.view !== view) continue
      const rows = new Map(now.rows)
      page.rows.forEach((r, k) => rows.set(page.from + k, r))
      // Keep only the rows nearest to the requested window.
      trimRows(rows, MAX_ROWS, (from + to) / 2)
      useBrowse.setState({ rows, rowsVersion: now.rowsVersion + 1 })
    }
  } catch (err) {
    useBrowse.setState({ openError: message(err) })
  } finally {
    inFlight = false
  }
}

export function setPaused(paused: boolean): void {
  const s = useBrowse.getState()
  useBrowse.setState({ paused, pausedTotal: s.progress?.total ?? 0 })
}

export function setFollow(follow: boolean): void {
  useBrowse.setState({ follow })
  if (follow) scrollToIndex(Number.MAX_SAFE_INTEGER)
}

export async function setLive(live: LiveModeChoice): Promise<void> {
  const { sessionId } = useBrowse.getState()
  useBrowse.setState({ live })
  if (sessionId) await getBridge().call('reading.setLive', { sessionId, live })
}

export async function reconnect(): Promise<void> {
  const { sessionId } = useBrowse.getState()
  if (sessionId) await getBridge().call('reading.reconnect', { sessionId })
}

export function scrollToIndex(index: number): void {
  useBrowse.setState({ scrollTo: { index, seq: ++seq } })
}

export function select(index: number | null, open = false): void {
  const s = useBrowse.getState()
  const total = visibleTotal(s)
  const i = index === null ? null : Math.max(0, Math.min(total - 1, index))
  useBrowse.setState({ selected: i, held: null, detailOpen: open ? true : s.detailOpen })
  if (i !== null) scrollToIndex(i)
}

/** Scrolls to the batch holding `offset` (in the all-messages view). */
export async function jumpToOffset(offset: string): Promise<void> {
  const { sessionId } = useBrowse.getState()
  if (!sessionId) return
  try {
    const { index } = await getBridge().call('reading.locate', { sessionId, offset: offset.trim() })
    if (useBrowse.getState().view !== 'all') setView('all')
    useBrowse.setState({ jumpError: null, follow: false })
    select(index)
  } catch (err) {
    useBrowse.setState({ jumpError: message(err) })
  }
}

export async function runSearch(text: string, path: string): Promise<void> {
  const { sessionId, rowsVersion } = useBrowse.getState()
  useBrowse.setState({ searchText: text, searchPath: path })
  if (!sessionId) return
  const empty = !text.trim() && !path.trim()
  try {
    await getBridge().call('reading.search', {
      sessionId,
      filter: empty ? null : { text, path },
    })
    const s = useBrowse.getState()
    useBrowse.setState({
      searchError: null,
      view: empty ? 'all' : 'matches',
      rows: new Map(),
      rowsVersion: rowsVersion + 1,
      selected: null,
      // The list's positions change; the open message stays in the detail pane.
      held: heldRow(s),
    })
  } catch (err) {
    useBrowse.setState({ searchError: message(err) })
  }
}

export function setView(view: View): void {
  const s = useBrowse.getState()
  useBrowse.setState({
    view,
    rows: new Map(),
    rowsVersion: s.rowsVersion + 1,
    selected: null,
    held: heldRow(s),
  })
}

function heldRow(s: BrowseState): BrowseRow | null {
  return (s.selected === null ? null : s.rows.get(s.selected)) ?? s.held
}

export async function copyCurl(): Promise<string> {
  const { sessionId } = useBrowse.getState()
  if (!sessionId) throw new Error('No stream open')
  const { command } = await getBridge().call('reading.curl', { sessionId })
  await navigator.clipboard.writeText(command)
  return command
}

/** A curl command reading the open stream from `offset` (the session's headers as placeholders). */
export async function curlForOffset(offset: string): Promise<string> {
  const { sessionId, header } = useBrowse.getState()
  if (!sessionId || !header) throw new Error('No stream open')
  const { command } = await getBridge().call('reading.curl', { sessionId })
  return curlAt(command, header.url, offset)
}
