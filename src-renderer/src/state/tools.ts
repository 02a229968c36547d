/**
 * The stream tools panel (Append / Producers / Replay & export / Close & fork): which tab is
 * active, whether the panel is open (remembered; collapsed until the user opens it), and the
 * offsets the message browser hands to the replay and fork forms.
 */
import { create } from 'zustand'
import { persist } from 'zustand/middleware'
import { legacyAwareStorage } from './persisted'

export type ToolTab = 'append' | 'producers' | 'replay' | 'lifecycle'

const TABS: readonly ToolTab[] = ['append', 'producers', 'replay', 'lifecycle']
const STORAGE_KEY = 'dsi.tools'

interface ToolsState {
  open: boolean
  tab: ToolTab
  /** Replay form range (read offsets); '' means "beginning" / "end". */
  replayFrom: string
  replayTo: string
  /** Fork form offset; '' means the current tail. */
  forkOffset: string
  /**
   * Set by "Fork through here": messages of the batch at `forkOffset` the fork keeps
   * (Stream-Fork-Sub-Offset), and what the fork will contain, in words.
   */
  forkSubOffset: number | null
  forkNote: string | null
  /**
   * Where the messages of the batch up to the picked one are in the browse session (first row
   * index, count): copied into the fork when the server cannot fork inside the batch (a batch
   * read from -1 has no offset to fork at; a sub-offset past one append is refused).
   */
  forkCopy: { from: number; count: number } | null
  /** Ends of the range picked in the browser (message positions), for an exact count. */
  pickStart: { index: number; inBatch: number } | null
  pickEnd: number | null
}

/** A message as the browser hands it over. */
export interface PickedRow {
  index: number
  inBatch: number
  startOffset: string
  endOffset: string
}

type Remembered = Pick<ToolsState, 'open' | 'tab'>

/** What is remembered of the panel, from whatever was stored (unknown values: the defaults). */
export function rememberedTools(v: unknown): Remembered {
  const o = (typeof v === 'object' && v !== null ? v : {}) as { open?: unknown; tab?: unknown }
  return { open: o.open === true, tab: TABS.find((t) => t === o.tab) ?? 'append' }
}

export const useTools = create<ToolsState>()(
  persist(
    (): ToolsState => ({
      open: false,
      tab: 'append',
      replayFrom: '-1',
      replayTo: '',
      forkOffset: '',
      forkSubOffset: null,
      forkNote: null,
      forkCopy: null,
      pickStart: null,
      pickEnd: null,
    }),
    {
      name: STORAGE_KEY,
      // Older builds stored the bare object ({"open":true,"tab":"replay"}) under the same key.
      storage: legacyAwareStorage<Remembered>((raw) => {
        try {
          return rememberedTools(JSON.parse(raw))
        } catch {
          return null
        }
      }),
      partialize: (s): Remembered => ({ open: s.open, tab: s.tab }),
      merge: (stored, current) => ({ ...current, ...rememberedTools(stored) }),
    },
  ),
)

/** Clicking a tab opens it; clicking the active tab of an open panel collapses the panel. */
export function clickTab(tab: ToolTab): void {
  const s = useTools.getState()
  useTools.setState(s.open && s.tab === tab ? { open: false } : { open: true, tab })
}

export function setToolsOpen(open: boolean): void {
  useTools.setState({ open })
}

/** Makes a tab the active one (keyboard), leaving the panel open or collapsed. */
export function selectTab(tab: ToolTab): void {
  useTools.setState({ tab })
}

/** Opens a tab (without toggling). */
export function showTool(tab: ToolTab): void {
  useTools.setState({ open: true, tab })
}

/** A new stream: forms start empty again (the panel's open/closed choice is kept). */
export function resetToolForms(): void {
  useTools.setState({
    ...WHOLE_STREAM,
    forkOffset: '',
    forkSubOffset: null,
    forkNote: null,
    forkCopy: null,
  })
}

/** An offset typed by hand leaves "through this message": the fork ends before that offset. */
export function editForkOffset(forkOffset: string): void {
  useTools.setState({ forkOffset, forkSubOffset: null, forkNote: null, forkCopy: null })
}

const WHOLE_STREAM = { replayFrom: '-1', replayTo: '', pickStart: null, pickEnd: null }

/** The range covers the whole stream again. */
export function clearRange(): void {
  useTools.setState(WHOLE_STREAM)
}

/** Typed offsets: batch granularity, the positions picked in the browser no longer apply. */
export function editRange(patch: { replayFrom?: string; replayTo?: string }): void {
  useTools.setState({ ...patch, pickStart: null, pickEnd: null })
}

/** Range start from the browser: reads from the start of the message's batch. */
export function setReplayFrom(row: PickedRow): void {
  useTools.setState({ replayFrom: row.startOffset, pickStart: pick(row) })
  showTool('replay')
}

/** Range end (inclusive) from the browser: up to the end of the message's batch. */
export function setReplayTo(row: PickedRow): void {
  useTools.setState({ replayTo: row.endOffset, pickEnd: row.index })
  showTool('replay')
}

/** Both ends at once (shift-click in the browser), in either order. */
export function setReplayRange(a: PickedRow, b: PickedRow): void {
  const [first, last] = a.index <= b.index ? [a, b] : [b, a]
  useTools.setState({
    replayFrom: first.startOffset,
    replayTo: last.endOffset,
    pickStart: pick(first),
    pickEnd: last.index,
  })
  showTool('replay')
}

const pick = (row: PickedRow): { index: number; inBatch: number } => ({
  index: row.index,
  inBatch: row.inBatch,
})

/**
 * When both ends were picked in the browser: the exact messages, by position (several
 * appends may come back as one read response, so the end offset alone is a batch bound).
 */
export function rangeCount(
  s: Pick<ToolsState, 'pickStart' | 'pickEnd'>,
): { skip: number; count: number } | null {
  if (!s.pickStart || s.pickEnd === null || s.pickEnd < s.pickStart.index) return null
  return { skip: s.pickStart.inBatch, count: s.pickEnd - s.pickStart.index + 1 }
}

/**
 * Fork through a message: the fork keeps everything up to and including it. Offsets address
 * read batches, so a message inside a JSON batch is reached as (batch start, messages past it)
 * with Stream-Fork-Sub-Offset; the last message of a batch simply by the batch's end offset.
 */
export function forkThrough(row: {
  index: number
  inBatch: number
  startOffset: string
  endOffset: string
  batchSize: number
  json: boolean
  /** Where the browser started reading (rows are numbered from there). */
  viewStart: string
}): void {
  const n = row.index + 1
  const upTo = `${n} message${n === 1 ? '' : 's'}: everything up to and including #${n}`
  const note =
    row.viewStart === '-1'
      ? `The fork will hold messages #1–#${n} of this stream (${upTo}), then its own.`
      : `The fork will hold everything before ${row.viewStart}, then messages #1–#${n} as listed here (${upTo}), then its own.`
  if (row.inBatch + 1 >= row.batchSize || !row.json)
    useTools.setState({
      forkOffset: row.endOffset,
      forkSubOffset: null,
      forkNote: note,
      forkCopy: null,
    })
  else
    useTools.setState({
      forkOffset: row.startOffset,
      forkSubOffset: row.inBatch + 1,
      forkNote: note,
      forkCopy: { from: row.index - row.inBatch, count: row.inBatch + 1 },
    })
  showTool('lifecycle')
}

/** Whether a listed message lies inside the replay range. */
export function inReplayRange(
  s: Pick<ToolsState, 'replayFrom' | 'replayTo' | 'pickStart' | 'pickEnd'>,
  row: PickedRow,
): boolean {
  if (s.pickStart && s.pickEnd !== null) {
    return row.index >= s.pickStart.index && row.index <= s.pickEnd
  }
  if (s.replayFrom === '-1' && s.replayTo === '') return false
  // Offsets are ordered lexicographically; '-1' and '' mean the beginning.
  const from = s.replayFrom === '-1' ? '' : s.replayFrom
  return row.startOffset >= from && (s.replayTo === '' || row.endOffset <= s.replayTo)
}
