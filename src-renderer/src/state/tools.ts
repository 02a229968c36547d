/**
 * The stream tools panel (Append / Producers / Replay & export / Close & fork): which tab is
 * active, whether the panel is open (remembered; collapsed until the user opens it), and the
 * offsets the message browser hands to the replay and fork forms.
 */
import { create } from 'zustand'

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
}

function stored(): Pick<ToolsState, 'open' | 'tab'> {
  const fallback = { open: false, tab: 'append' as ToolTab }
  const raw = localStorage.getItem(STORAGE_KEY)
  if (!raw) return fallback
  try {
    const v = JSON.parse(raw) as { open?: unknown; tab?: unknown }
    const tab = TABS.find((t) => t === v.tab) ?? 'append'
    return { open: v.open === true, tab }
  } catch (err) {
    console.warn('Ignoring unreadable tools panel state', err)
    return fallback
  }
}

export const useTools = create<ToolsState>(() => ({
  ...stored(),
  replayFrom: '-1',
  replayTo: '',
  forkOffset: '',
}))

function persist(): void {
  const { open, tab } = useTools.getState()
  localStorage.setItem(STORAGE_KEY, JSON.stringify({ open, tab }))
}

/** Clicking a tab opens it; clicking the active tab of an open panel collapses the panel. */
export function clickTab(tab: ToolTab): void {
  const s = useTools.getState()
  useTools.setState(s.open && s.tab === tab ? { open: false } : { open: true, tab })
  persist()
}

export function setToolsOpen(open: boolean): void {
  useTools.setState({ open })
  persist()
}

/** Opens a tab (without toggling). */
export function showTool(tab: ToolTab): void {
  useTools.setState({ open: true, tab })
  persist()
}

/** A new stream: forms start empty again (the panel's open/closed choice is kept). */
export function resetToolForms(): void {
  useTools.setState({ replayFrom: '-1', replayTo: '', forkOffset: '' })
}

/** Replay range start from the browser: read from the start of the message's batch. */
export function setReplayFrom(offset: string): void {
  useTools.setState({ replayFrom: offset })
  showTool('replay')
}

/** Replay range end (inclusive) from the browser: the end of the message's batch. */
export function setReplayTo(offset: string): void {
  useTools.setState({ replayTo: offset })
  showTool('replay')
}

/** Both ends at once (shift-click in the browser). */
export function setReplayRange(from: string, to: string): void {
  useTools.setState({ replayFrom: from, replayTo: to })
  showTool('replay')
}

/** Fork at a message: the fork keeps everything up to the end of the message's batch. */
export function forkAt(offset: string): void {
  useTools.setState({ forkOffset: offset })
  showTool('lifecycle')
}

/** Whether a batch range lies inside the replay range (offsets compare lexicographically). */
export function inReplayRange(
  s: Pick<ToolsState, 'replayFrom' | 'replayTo'>,
  start: string,
  end: string,
): boolean {
  if (s.replayFrom === '-1' && s.replayTo === '') return false
  const from = s.replayFrom === '-1' || s.replayFrom === '' ? '' : s.replayFrom
  return start >= from && (s.replayTo === '' || end <= s.replayTo)
}
