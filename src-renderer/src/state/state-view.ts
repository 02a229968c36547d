/**
 * Renderer state of the State view: which view the stream pane shows (messages or state), the
 * state session in main, the one page of one table shown, time travel, key history, warnings
 * and markers. Main holds the state and its index; this store holds at most one page.
 */
import { create } from 'zustand'
import type {
  MessagePayload,
  StateAsOf,
  StateMarkerData,
  StatePageData,
  StateResults,
  StateSummary,
  StateWarningData,
} from '../../../src-shared/contract'
import { errorMessage } from '../../../src-shared/error-message'
import { getBridge } from '../bridge'
import { useBrowse } from './browse'

export const PAGE_SIZE = 100
/** How long a changed row stays highlighted (ms); the CSS animation matches. */
export const FLASH_MS = 1_200

export type PaneView = 'messages' | 'state'
export type KeyHistory = StateResults['state.keyHistory']

export interface StateViewState {
  view: PaneView
  connectionId: string | null
  path: string | null
  sessionId: string | null
  opening: boolean
  openError: string | null
  summary: StateSummary | null
  type: string | null
  from: number
  page: StatePageData | null
  pageError: string | null
  filterText: string
  filterPath: string
  filterError: string | null
  /** Keys of the shown table changed by the last live update (rows flash). */
  flash: ReadonlySet<string>
  flashSeq: number
  asOfError: string | null
  history: KeyHistory | null
  historyError: string | null
  warnings: StateWarningData[]
  markers: StateMarkerData[]
  exportError: string | null
}

const initialSession = (): Omit<StateViewState, 'view'> => ({
  connectionId: null,
  path: null,
  sessionId: null,
  opening: false,
  openError: null,
  summary: null,
  type: null,
  from: 0,
  page: null,
  pageError: null,
  filterText: '',
  filterPath: '',
  filterError: null,
  flash: new Set(),
  flashSeq: 0,
  asOfError: null,
  history: null,
  historyError: null,
  warnings: [],
  markers: [],
  exportError: null,
})

export const useStateView = create<StateViewState>(() => ({
  view: 'messages',
  ...initialSession(),
}))

let subscribed = false

/** Whether the first messages look like State Protocol change or control messages. */
export function looksLikeState(payloads: readonly MessagePayload[]): boolean {
  const first = payloads.slice(0, 20)
  if (first.length === 0) return false
  let n = 0
  for (const p of first) {
    if (p.kind !== 'json' || p.value === null || typeof p.value !== 'object') continue
    const h = (p.value as { headers?: unknown }).headers
    if (h !== null && typeof h === 'object' && ('operation' in h || 'control' in h)) n++
  }
  return n * 2 > first.length
}

export function setPaneView(view: PaneView): void {
  useStateView.setState({ view })
}

function onProgress(p: StateSummary & { changed: { type: string; key: string }[] }): void {
  const s = useStateView.getState()
  if (p.sessionId !== s.sessionId) return
  const { changed, ...summary } = p
  const type = s.type ?? pickType(summary)
  // Rows flash for live changes, not for every row of the catch-up.
  const live = summary.upToDate && s.summary?.upToDate === true
  const flash = new Set(live ? changed.filter((c) => c.type === type).map((c) => c.key) : [])
  useStateView.setState({
    summary,
    type,
    ...(flash.size > 0 ? { flash, flashSeq: s.flashSeq + 1 } : {}),
  })
  // The table changed (or the first one appeared): fetch the shown page again.
  if (summary.position.live || s.page === null) void loadPage()
  if (summary.counters.warnings !== s.summary?.counters.warnings) void loadLog()
  else if (summary.markers !== s.summary?.markers) void loadLog()
}

function pickType(summary: StateSummary): string | null {
  if (summary.types.length === 0) return null
  return [...summary.types].sort((a, b) => b.rows - a.rows)[0]!.type
}

/** Opens the State view's session on a stream (closing the previous one). */
export async function openState(
  connectionId: string,
  path: string,
  asOf?: StateAsOf,
): Promise<void> {
  const b = getBridge()
  if (!subscribed) {
    subscribed = true
    b.on('state.progress', onProgress)
  }
  const old = useStateView.getState().sessionId
  useStateView.setState({ ...initialSession(), connectionId, path, opening: true })
  if (old) {
    await b.call('state.close', { sessionId: old }).catch((err: unknown) => {
      console.warn('closing the previous state session failed', err)
    })
  }
  try {
    const summary = await b.call('state.open', {
      connectionId,
      path,
      ...(asOf ? { asOf } : {}),
    })
    const now = useStateView.getState()
    if (now.path !== path || now.connectionId !== connectionId) {
      await b.call('state.close', { sessionId: summary.sessionId })
      return
    }
    useStateView.setState({
      sessionId: summary.sessionId,
      summary,
      opening: false,
      type: pickType(summary),
    })
    await Promise.all([loadPage(), loadLog()])
  } catch (err) {
    useStateView.setState({ opening: false, openError: errorMessage(err) })
  }
}

/** Opens the session for the stream the browser shows, unless it is already open. */
export async function ensureState(connectionId: string, path: string): Promise<void> {
  const s = useStateView.getState()
  if (s.connectionId === connectionId && s.path === path && (s.sessionId || s.opening)) return
  await openState(connectionId, path)
}

export async function closeState(): Promise<void> {
  const { sessionId } = useStateView.getState()
  useStateView.setState({ ...initialSession() })
  if (sessionId) await getBridge().call('state.close', { sessionId })
}

let pageSeq = 0

function currentFilter(s: StateViewState): { text: string; path: string } | null {
  return s.filterText.trim() || s.filterPath.trim()
    ? { text: s.filterText, path: s.filterPath }
    : null
}

/** Fetches the shown page of the shown table. */
export async function loadPage(): Promise<void> {
  const s = useStateView.getState()
  if (!s.sessionId || !s.type) {
    if (s.page) useStateView.setState({ page: null })
    return
  }
  const seq = ++pageSeq
  const filter = currentFilter(s)
  try {
    const page = await getBridge().call('state.page', {
      sessionId: s.sessionId,
      type: s.type,
      from: s.from,
      count: PAGE_SIZE,
      filter,
    })
    if (seq !== pageSeq) return
    useStateView.setState({ page, pageError: null, filterError: null })
  } catch (err) {
    if (seq !== pageSeq) return
    // A bad filter is the filter's problem: say so next to it.
    if (filter) useStateView.setState({ filterError: errorMessage(err) })
    else useStateView.setState({ pageError: errorMessage(err) })
  }
}

export function selectType(type: string): void {
  useStateView.setState({ type, from: 0, page: null, flash: new Set() })
  void loadPage()
}

export function setFrom(from: number): void {
  useStateView.setState({ from: Math.max(0, from) })
  void loadPage()
}

export function applyFilter(text: string, path: string): void {
  useStateView.setState({ filterText: text, filterPath: path, from: 0 })
  void loadPage()
}

/** Shows the state as of a position/offset/message, or live again. */
export async function goAsOf(asOf: StateAsOf): Promise<void> {
  const before = useStateView.getState()
  const { sessionId } = before
  if (!sessionId) return
  const seq = ++pageSeq
  try {
    // The shown page comes back with the move: one round trip per jump.
    const { page, ...summary } = await getBridge().call('state.asOf', {
      sessionId,
      asOf,
      ...(before.type
        ? {
            page: {
              type: before.type,
              from: before.from,
              count: PAGE_SIZE,
              filter: currentFilter(before),
            },
          }
        : {}),
    })
    const s = useStateView.getState()
    const type = s.type && summary.types.some((t) => t.type === s.type) ? s.type : pickType(summary)
    const fresh = page !== null && seq === pageSeq && type === before.type
    useStateView.setState({
      summary,
      type,
      asOfError: null,
      flash: new Set(),
      ...(fresh ? { page, pageError: null } : {}),
    })
    if (!fresh) await loadPage()
  } catch (err) {
    useStateView.setState({ asOfError: errorMessage(err) })
  }
}

/** Steps the shown state by `delta` changes (from live: back from the last one). */
export function step(delta: number): Promise<void> {
  const s = useStateView.getState()
  if (!s.summary) return Promise.resolve()
  const { position, total } = s.summary.position
  const next = Math.max(0, Math.min(total, position + delta))
  return goAsOf(next === total && delta > 0 ? { live: true } : { position: next })
}

/**
 * A typed target: `-1`, an offset, `offset@n` (message n of the response read at offset), or
 * `#n` (after change n).
 */
export function goToOffset(raw: string): Promise<void> {
  const t = raw.trim()
  if (!t) {
    useStateView.setState({ asOfError: 'Type an offset, e.g. one copied from a message row' })
    return Promise.resolve()
  }
  const change = /^#(\d+)$/.exec(t)
  if (change) return goAsOf({ position: Number(change[1]) })
  const m = /^(.*)@(\d+)$/.exec(t)
  if (m) return goAsOf({ offset: m[1]!, inBatch: Number(m[2]) })
  return goAsOf({ offset: t })
}

/**
 * "State as of here" (the message list's menu): switches to the State view of the stream the
 * browser shows, as of `offset`. With `inBatch`, `offset` is the start offset of the message's
 * read response and the state is right after that message; without, the state after every
 * message read before `offset` (e.g. a row's end offset).
 */
export async function openStateAsOf(offset: string, inBatch?: number): Promise<void> {
  const { connectionId, path } = useBrowse.getState()
  useStateView.setState({ view: 'state' })
  if (!connectionId || !path) return
  const asOf: StateAsOf = inBatch === undefined ? { offset } : { offset, inBatch }
  const s = useStateView.getState()
  if (s.sessionId && s.connectionId === connectionId && s.path === path) await goAsOf(asOf)
  else await openState(connectionId, path, asOf)
}

export async function showHistory(type: string, key: string): Promise<void> {
  const { sessionId } = useStateView.getState()
  if (!sessionId) return
  try {
    const history = await getBridge().call('state.keyHistory', { sessionId, type, key })
    useStateView.setState({ history, historyError: null })
  } catch (err) {
    useStateView.setState({ history: null, historyError: errorMessage(err) })
  }
}

export function closeHistory(): void {
  useStateView.setState({ history: null, historyError: null })
}

/** Reloads the first warnings and markers (main keeps at most 1,000 / 10,000). */
export async function loadLog(): Promise<void> {
  const { sessionId } = useStateView.getState()
  if (!sessionId) return
  try {
    const [w, m] = await Promise.all([
      getBridge().call('state.log', { sessionId, kind: 'warnings', from: 0, count: 1000 }),
      getBridge().call('state.log', { sessionId, kind: 'markers', from: 0, count: 1000 }),
    ])
    if (useStateView.getState().sessionId !== sessionId) return
    useStateView.setState({
      warnings: w.kind === 'warnings' ? w.items : [],
      markers: m.kind === 'markers' ? m.items : [],
    })
  } catch (err) {
    useStateView.setState({ pageError: errorMessage(err) })
  }
}

/** Downloads the shown state (live or as of) as a JSON file. */
export async function exportState(): Promise<void> {
  const { sessionId } = useStateView.getState()
  if (!sessionId) return
  try {
    const { json, fileName } = await getBridge().call('state.export', { sessionId })
    const a = document.createElement('a')
    a.href = URL.createObjectURL(new Blob([json], { type: 'application/json' }))
    a.download = fileName
    a.click()
    setTimeout(() => URL.revokeObjectURL(a.href), 10_000)
    useStateView.setState({ exportError: null })
  } catch (err) {
    useStateView.setState({ exportError: errorMessage(err) })
  }
}
