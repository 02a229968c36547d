/**
 * The timeline chart's data and actions. Every `browse.progress` of the open stream adds a
 * sample (time, messages so far, offset, bytes) to its read session's series; segments and
 * markers come from main's timeline snapshot; throughput comes from its per-second buckets
 * and falls to 0 on the renderer's clock when traffic stops (see rate.ts). Series are bounded
 * rings kept outside React state: the store only holds a version the chart redraws on (once
 * per animation frame at most), the zoom window and the brushed range.
 *
 * Other views add markers through `addTimelineMarkers` (the State view: snapshot-start/end and
 * resets), placed at the time the message at their position was received.
 */
import { create } from 'zustand'
import type {
  BrowseProgress,
  ReadPhase,
  StateMarkerData,
  TimelineSnapshot,
} from '../../../src-shared/contract'
import { getBridge } from '../bridge'
import { RateHistory, SampleRing, messagesBetween } from '../components/timeline/series'
import { select, setFollow, setView, useBrowse } from './browse'
import { openStateAsOf, useStateView } from './state-view'
import { setReplayRange } from './tools'

/** Samples kept per session: at 10 progress events a second, over 13 minutes of traffic. */
export const SAMPLES_PER_SESSION = 8192
/** Read sessions of one stream shown side by side (the oldest is dropped). */
export const MAX_SESSIONS = 4
/** Throughput kept, in seconds. */
export const RATE_SECONDS = 3600
const MAX_EXTRA_MARKERS = 500

export type MarkerKind =
  | 'catch-up'
  | 'live'
  | 'up-to-date'
  | 'reconnect'
  | 'error'
  | 'closed'
  | 'snapshot-start'
  | 'snapshot-end'
  | 'reset'

export interface ChartMarker {
  kind: MarkerKind
  /** Wall-clock ms. */
  at: number
  offset: string
  /** Message position in the session's list. */
  index: number
  detail: string | null
}

export interface ChartPhase {
  kind: 'catch-up' | 'live'
  phase: ReadPhase
  startedAt: number
  endedAt: number
  firstIndex: number
  count: number
  startOffset: string
  endOffset: string
}

export interface SessionSeries {
  /** Browse session id (main's). */
  id: string
  /** 1, 2, … in the order they were opened on this stream. */
  no: number
  label: string
  ring: SampleRing
  phases: ChartPhase[]
  markers: ChartMarker[]
  /** Markers added by other views (State view), kept across progress events. */
  extra: ChartMarker[]
  startedAt: number
  /** Whether the session still reads (its line is drawn on to now). */
  running: boolean
}

/** Mutable chart data, outside React state (large, changed up to 10 times a second). */
export const timelineData: {
  path: string | null
  sessions: SessionSeries[]
  rates: RateHistory
  hasBytes: boolean
} = { path: null, sessions: [], rates: new RateHistory(RATE_SECONDS), hasBytes: false }

export interface Brush {
  t0: number
  t1: number
  from: number
  to: number
  /** The range's last message as the State view addresses it (once its row was read). */
  last: { startOffset: string; inBatch: number } | null
}

interface TimelineState {
  /** Bumped whenever `timelineData` changed. */
  version: number
  /** The sessions' labels (changes only when a session starts or ends: the legend). */
  labels: string[]
  /** Visible time window (ms); null follows the data (everything, up to now). */
  zoom: { min: number; max: number } | null
  brush: Brush | null
  /** Why the last brush selected nothing (shown next to the chart). */
  brushError: string | null
  open: boolean
}

export const useTimeline = create<TimelineState>(() => ({
  version: 0,
  labels: [],
  zoom: null,
  brush: null,
  brushError: null,
  open: true,
}))

const bump = (): void => useTimeline.setState((s) => ({ version: s.version + 1 }))

function relabel(): void {
  useTimeline.setState({ labels: timelineData.sessions.map((s) => s.label) })
}

/** The series of the browse session the message list shows. */
export function currentSession(): SessionSeries | null {
  const id = useBrowse.getState().sessionId
  return timelineData.sessions.find((s) => s.id === id) ?? null
}

function phasesOf(t: TimelineSnapshot): ChartPhase[] {
  return t.segments.map((s) => ({
    kind: s.kind,
    phase: s.phase,
    startedAt: s.startedAt,
    endedAt: s.endedAt,
    firstIndex: s.firstIndex,
    count: s.count,
    startOffset: s.startOffset,
    endOffset: s.endOffset,
  }))
}

/** Main's markers, plus a catch-up / live marker where the phase of reading changes. */
function markersOf(t: TimelineSnapshot): ChartMarker[] {
  const out: ChartMarker[] = t.markers.map((m) => ({
    kind: m.kind,
    at: m.at,
    offset: m.offset,
    index: m.index,
    detail: m.detail,
  }))
  let prev: 'catch-up' | 'live' | null = null
  for (const s of t.segments) {
    if (s.kind !== prev) {
      out.push({
        kind: s.kind,
        at: s.startedAt,
        offset: s.startOffset,
        index: s.firstIndex,
        detail: s.kind === 'live' ? s.phase : null,
      })
    }
    prev = s.kind
  }
  return out.sort((a, b) => a.at - b.at)
}

function startLabel(start: string, live: string): string {
  const from = start === '-1' ? 'beginning' : start === 'now' ? 'now' : start
  return `from ${from} (${live})`
}

/** Records one progress event of the open stream (called for every one; cheap). */
export function ingestProgress(p: BrowseProgress, at: number, path: string | null): void {
  if (path !== timelineData.path) resetTimeline(path)
  let s = timelineData.sessions.find((x) => x.id === p.sessionId)
  if (!s) {
    for (const old of timelineData.sessions) old.running = false
    const no = (timelineData.sessions[timelineData.sessions.length - 1]?.no ?? 0) + 1
    s = {
      id: p.sessionId,
      no,
      label: `#${no} ${startLabel(p.startOffset, p.live)}`,
      ring: new SampleRing(SAMPLES_PER_SESSION),
      phases: [],
      markers: [],
      extra: [],
      startedAt: p.timeline.segments[0]?.startedAt ?? at,
      running: true,
    }
    timelineData.sessions.push(s)
    if (timelineData.sessions.length > MAX_SESSIONS) timelineData.sessions.shift()
    relabel()
    if (useBrowse.getState().sessionId === s.id) stateMarkers(useStateView.getState().markers)
  }
  const t = p.timeline
  if (t.bytes !== null) timelineData.hasBytes = true
  s.running = p.state === 'live' || p.state === 'catching-up'
  // Times from main's record of the responses where they cover every message (more exact
  // than when the progress event arrived); the session's line starts where its reading did.
  const segs = t.segments
  const first = segs[0]
  if (s.ring.length === 0 && first)
    s.ring.push(first.startedAt, first.firstIndex, first.startOffset, 0)
  const last = segs[segs.length - 1]
  const when = last && last.firstIndex + last.count === p.total ? Math.min(at, last.endedAt) : at
  s.ring.push(when, p.total, p.nextOffset, t.bytes ?? 0)
  s.phases = phasesOf(t)
  s.markers = markersOf(t)
  timelineData.rates.write(at, t.sparkline, t.bytesPerSecond ?? null, s.startedAt)
  bump()
}

/** Forgets every series (another stream was opened). */
export function resetTimeline(path: string | null): void {
  timelineData.path = path
  timelineData.sessions = []
  timelineData.rates = new RateHistory(RATE_SECONDS)
  timelineData.hasBytes = false
  useTimeline.setState((s) => ({
    version: s.version + 1,
    labels: [],
    zoom: null,
    brush: null,
    brushError: null,
  }))
}

/**
 * Adds markers to the open session's timeline (the State view: snapshot-start, snapshot-end,
 * reset), by message position; each is drawn where that message was received (see
 * `markerTime`), once it has been.
 */
export function addTimelineMarkers(
  markers: ReadonlyArray<{
    kind: 'snapshot-start' | 'snapshot-end' | 'reset'
    index: number
    offset: string
    detail?: string
  }>,
): void {
  const s = currentSession()
  if (!s || markers.length === 0) return
  let added = 0
  for (const m of markers) {
    if (s.extra.some((x) => x.kind === m.kind && x.index === m.index)) continue
    s.extra.push({
      kind: m.kind,
      at: NaN,
      offset: m.offset,
      index: m.index,
      detail: m.detail ?? null,
    })
    added++
  }
  if (added === 0) return
  s.extra.sort((a, b) => a.index - b.index)
  if (s.extra.length > MAX_EXTRA_MARKERS) s.extra.splice(0, s.extra.length - MAX_EXTRA_MARKERS)
  bump()
}

/** When a marker happened: its own time, or (added by position) when its message arrived. */
export function markerTime(s: SessionSeries, m: ChartMarker): number | null {
  return Number.isNaN(m.at) ? s.ring.timeOfIndex(m.index) : m.at
}

/** First and last time of the data (ms), up to `now` while a session reads. */
export function dataExtent(now: number): { min: number; max: number } | null {
  const ss = timelineData.sessions
  if (ss.length === 0 || ss.every((s) => s.ring.length === 0)) return null
  let min = Infinity
  let max = -Infinity
  for (const s of ss) {
    if (s.ring.length === 0) continue
    min = Math.min(min, s.ring.timeAt(0), s.phases[0]?.startedAt ?? Infinity)
    max = Math.max(max, s.running ? now : s.ring.timeAt(s.ring.length - 1))
  }
  if (max - min < 2000) max = min + 2000
  return { min, max }
}

/** Zooms the visible window by `factor` (< 1 in, > 1 out) around `centre` (ms). */
export function zoomBy(factor: number, centre?: number): void {
  const ext = dataExtent(Date.now())
  if (!ext) return
  const cur = useTimeline.getState().zoom ?? ext
  const c = centre ?? (cur.min + cur.max) / 2
  const span = Math.max(50, (cur.max - cur.min) * factor)
  const min = c - (c - cur.min) * (span / (cur.max - cur.min))
  const max = min + span
  if (min <= ext.min && max >= ext.max) useTimeline.setState({ zoom: null })
  else useTimeline.setState({ zoom: { min, max } })
}

/** Moves the visible window by `fraction` of its width (negative: back in time). */
export function panBy(fraction: number): void {
  const ext = dataExtent(Date.now())
  if (!ext) return
  const cur = useTimeline.getState().zoom ?? ext
  const d = (cur.max - cur.min) * fraction
  useTimeline.setState({ zoom: { min: cur.min + d, max: cur.max + d } })
}

export function resetZoom(): void {
  useTimeline.setState({ zoom: null })
}

export function setTimelineOpen(open: boolean): void {
  useTimeline.setState({ open })
}

export function clearBrush(): void {
  useTimeline.setState({ brush: null, brushError: null })
}

/** A click on the chart: the list shows the last message received by then. */
export function jumpToTime(t: number): void {
  const s = currentSession()
  if (!s) return
  const n = s.ring.receivedBy(t)
  if (n === 0) return
  setFollow(false)
  if (useBrowse.getState().view !== 'all') setView('all')
  select(n - 1, true)
}

const hhmmss = (ms: number): string => new Date(ms).toLocaleTimeString()

/**
 * A time range brushed on the chart: the messages the open session received in it become
 * the selection in the message list, the replay/export range, and (when the State view
 * offers it) the state's "as of" point.
 */
export async function brushTime(t0: number, t1: number): Promise<void> {
  const s = currentSession()
  const { sessionId } = useBrowse.getState()
  if (!s || !sessionId) return
  const [a, b] = t0 <= t1 ? [t0, t1] : [t1, t0]
  const range = messagesBetween(s.ring, a, b)
  if (!range) {
    useTimeline.setState({
      brush: null,
      brushError: `No messages arrived between ${hhmmss(a)} and ${hhmmss(b)} in this session.`,
    })
    return
  }
  useTimeline.setState({ brush: { t0: a, t1: b, ...range, last: null }, brushError: null })
  try {
    const bridge = getBridge()
    const [first, last] = await Promise.all([
      bridge.call('reading.page', { sessionId, from: range.from, count: 1, view: 'all' }),
      bridge.call('reading.page', { sessionId, from: range.to, count: 1, view: 'all' }),
    ])
    const rowA = first.rows[0]
    const rowB = last.rows[0]
    if (!rowA || !rowB) {
      throw new Error(
        `messages #${range.from + 1}–#${range.to + 1} are no longer in the session (${first.total} listed)`,
      )
    }
    if (useBrowse.getState().sessionId !== sessionId) return
    setFollow(false)
    if (useBrowse.getState().view !== 'all') setView('all')
    // The range opens the replay tab (the list gets shorter): scroll once that is laid out.
    setReplayRange(rowA, rowB)
    await new Promise((r) => requestAnimationFrame(r))
    select(range.from, false)
    const at = { startOffset: rowB.startOffset, inBatch: rowB.inBatch }
    useTimeline.setState((st) => ({ brush: st.brush && { ...st.brush, last: at } }))
    // The State view, when shown, moves to the state right after the range's last message.
    if (useStateView.getState().view === 'state') await brushStateAsOf()
  } catch (err) {
    useTimeline.setState({
      brushError: `Could not select the brushed messages: ${err instanceof Error ? err.message : String(err)}`,
    })
  }
}

/** Shows the State view as of the last brushed message (right after it). */
export async function brushStateAsOf(): Promise<void> {
  const last = useTimeline.getState().brush?.last
  if (!last) return
  await openStateAsOf(last.startOffset, last.inBatch)
}

/**
 * The State view's snapshot and reset markers, on the chart. Their positions count messages
 * from the stream's start, which are the list's positions when the browser reads from -1.
 */
function stateMarkers(markers: readonly StateMarkerData[]): void {
  const b = useBrowse.getState()
  const sv = useStateView.getState()
  if (b.start !== '-1' || sv.path !== b.path || sv.connectionId !== b.connectionId) return
  addTimelineMarkers(
    markers.map((m) => ({
      kind: m.kind,
      index: m.messageIndex,
      offset: m.offset ?? '',
      detail: m.kind === 'reset' ? 'state reset' : `state ${m.kind}`,
    })),
  )
}

useStateView.subscribe((s, prev) => {
  if (s.markers !== prev.markers && s.markers.length > 0) stateMarkers(s.markers)
})

// Every progress of the open stream feeds the chart (also while the chart is collapsed, so
// opening it shows the whole history).
useBrowse.subscribe((s, prev) => {
  if (s.progress && s.progress !== prev.progress) ingestProgress(s.progress, s.progressAt, s.path)
  else if (s.path !== prev.path && s.path !== timelineData.path) resetTimeline(s.path)
})
