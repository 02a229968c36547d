/**
 * Virtualized message list: renders only the rows in view. Past ~8M px of content the
 * scrollbar is compressed (position maps proportionally to rows), so 1,000,000+ rows work.
 */
import { useEffect, useLayoutEffect, useRef, useState } from 'react'
import { ensureRows, select, setFollow, useBrowse, visibleTotal } from '../../state/browse'
import { inReplayRange, setReplayRange, useTools } from '../../state/tools'
import { MessageRow, ROW_HEIGHT } from './MessageRow'

const MAX_PX = 8_000_000
const OVERSCAN = 20

function geometry(total: number, height: number) {
  const full = total * ROW_HEIGHT
  const virt = Math.max(Math.min(full, MAX_PX), height)
  const perView = Math.max(1, Math.floor(height / ROW_HEIGHT))
  const maxFirst = Math.max(0, total - perView)
  const compressed = full > MAX_PX
  const firstAt = (top: number): number =>
    compressed ? (top / Math.max(1, virt - height)) * maxFirst : top / ROW_HEIGHT
  const topOf = (index: number): number =>
    compressed
      ? (Math.min(index, maxFirst) / Math.max(1, maxFirst)) * (virt - height)
      : index * ROW_HEIGHT
  return { virt, perView, firstAt, topOf }
}

/**
 * What an empty list means: still opening (the start offset is not fixed yet, so a message
 * appended now may land before it), still reading, stopped by an error or by the server, no
 * search matches, a closed stream, or nothing yet.
 */
function EmptyState() {
  const sessionId = useBrowse((s) => s.sessionId)
  const openError = useBrowse((s) => s.openError)
  const start = useBrowse((s) => s.start)
  const view = useBrowse((s) => s.view)
  const progress = useBrowse((s) => s.progress)
  if (openError) return null
  const say = (testId: string, text: string) => (
    <div className="muted pad" data-testid={testId}>
      {text}
    </div>
  )
  if (!sessionId || !progress)
    return say('list-loading', sessionId ? 'Reading…' : 'Opening the stream…')
  if (progress.error) {
    return say(
      'list-stopped',
      'The read stopped with an error (shown above); Reconnect to try again.',
    )
  }
  if (progress.state === 'stopped') {
    return say('list-stopped', 'The server ended the read before the tail; Reconnect to try again.')
  }
  if (!progress.upToDate && !progress.closed) return say('list-loading', 'Reading…')
  if (view === 'matches') {
    return say('no-matches', progress.searching ? 'Searching…' : 'No message matches the search.')
  }
  if (progress.closed) {
    return say('no-messages', 'The stream is closed and holds no messages from this start offset.')
  }
  if (start === 'now') {
    return say(
      'no-messages',
      'Waiting for new messages: anything appended from now on shows up here.',
    )
  }
  return say(
    'no-messages',
    'No messages from this start offset yet. Append one, or start from the beginning.',
  )
}

export function VirtualList() {
  const total = useBrowse(visibleTotal)
  const rows = useBrowse((s) => s.rows)
  const highlight = useBrowse((s) => (s.view === 'matches' ? s.searchText : ''))
  const rowsVersion = useBrowse((s) => s.rowsVersion)
  const selected = useBrowse((s) => s.selected)
  const follow = useBrowse((s) => s.follow)
  const scrollTo = useBrowse((s) => s.scrollTo)
  const replayFrom = useTools((s) => s.replayFrom)
  const replayTo = useTools((s) => s.replayTo)
  const pickStart = useTools((s) => s.pickStart)
  const pickEnd = useTools((s) => s.pickEnd)
  const ref = useRef<HTMLDivElement>(null)
  const [top, setTop] = useState(0)
  const [height, setHeight] = useState(400)
  const g = geometry(total, height)
  const firstFloat = Math.max(0, Math.min(g.firstAt(top), Math.max(0, total - 1)))
  const first = Math.floor(firstFloat)
  const frac = firstFloat - first
  const count = Math.min(g.perView + 2, Math.max(0, total - first))

  useLayoutEffect(() => {
    const el = ref.current
    if (!el) return
    const ro = new ResizeObserver(() => setHeight(el.clientHeight))
    ro.observe(el)
    setHeight(el.clientHeight)
    return () => ro.disconnect()
  }, [])

  // Follow the tail: stay at the bottom as messages arrive.
  useLayoutEffect(() => {
    const el = ref.current
    if (el && follow) {
      el.scrollTop = el.scrollHeight
      setTop(el.scrollTop)
    }
  }, [follow, total, height])

  // Jumps (offset, timeline, keyboard): bring the index into view.
  useLayoutEffect(() => {
    const el = ref.current
    if (!el || !scrollTo) return
    // Measure now: the layout may have changed in the same commit as the request.
    const g = geometry(total, el.clientHeight)
    const i = Math.min(scrollTo.index, Math.max(0, total - 1))
    const visibleFirst = Math.floor(g.firstAt(el.scrollTop))
    let target: number | null = null
    if (scrollTo.index >= total) target = el.scrollHeight
    else if (i < visibleFirst) target = g.topOf(i)
    else if (i > visibleFirst + g.perView - 1) target = g.topOf(Math.max(0, i - g.perView + 1))
    if (target !== null) {
      el.scrollTop = target
      setTop(el.scrollTop)
    }
  }, [scrollTo])

  useEffect(() => {
    ensureRows(Math.max(0, first - OVERSCAN), first + g.perView + OVERSCAN)
  }, [first, g.perView, total, rowsVersion])

  // Shift-click: the range from the selected message to the clicked one goes to replay/export.
  const onRowClick = (pos: number, shift: boolean): void => {
    const anchor = selected === null ? undefined : rows.get(selected)
    const clicked = rows.get(pos)
    if (!shift || !anchor || !clicked) {
      select(pos, true)
      return
    }
    setReplayRange(anchor, clicked)
  }
  const range = { replayFrom, replayTo, pickStart, pickEnd }
  const items = []
  for (let k = 0; k < count; k++) {
    const p = first + k
    const row = rows.get(p)
    items.push(
      <MessageRow
        key={p}
        position={p}
        row={row}
        selected={selected === p}
        inRange={row !== undefined && inReplayRange(range, row)}
        onClick={onRowClick}
        highlight={highlight}
      />,
    )
  }
  return (
    <div
      className="vlist"
      ref={ref}
      data-testid="message-list"
      data-total={total}
      data-first={first}
      onScroll={(e) => setTop(e.currentTarget.scrollTop)}
      onWheel={(e) => {
        if (e.deltaY < 0 && follow) setFollow(false)
      }}
    >
      <div className="vsticky" style={{ height }}>
        <div style={{ transform: `translateY(${-frac * ROW_HEIGHT}px)` }} data-testid="messages">
          {items}
        </div>
        {total === 0 && <EmptyState />}
      </div>
      <div style={{ height: Math.max(0, g.virt - height) }} />
    </div>
  )
}
