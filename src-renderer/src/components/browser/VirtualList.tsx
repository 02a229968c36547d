/**
 * The message list: a focusable grid (role="grid", the selected row is its
 * aria-activedescendant) that renders only the rows in view. Past ~8M px of content the
 * scrollbar is compressed (position maps proportionally to rows), so 1,000,000+ rows work.
 * With the focus on the list: j/k or ↓/↑ move, PageUp/PageDown, g/Home and G/End jump, Enter
 * opens the detail, Shift+F10 or the context-menu key opens the row's menu.
 */
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react'
import { ensureRows, select, setFollow, useBrowse, visibleTotal } from '../../state/browse'
import { gridTemplate, shownColumns, useColumns } from '../../state/columns'
import { inReplayRange, setReplayRange, useTools } from '../../state/tools'
import { ColumnHeader, HEADER_HEIGHT } from './ColumnHeader'
import { geometry, gridMove } from './list-model'
import { MessageRow, ROW_HEIGHT, rowId } from './MessageRow'
import { RowMenu, type MenuAt } from './RowMenu'

const OVERSCAN = 20

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
  const hidden = useColumns((s) => s.hidden)
  const widths = useColumns((s) => s.widths)
  const columns = shownColumns({ hidden, widths })
  const ref = useRef<HTMLDivElement>(null)
  const [top, setTop] = useState(0)
  const [height, setHeight] = useState(400)
  const [menu, setMenu] = useState<MenuAt | null>(null)
  const [note, setNote] = useState<{ ok: boolean; text: string } | null>(null)
  const g = geometry(total, height, ROW_HEIGHT)
  const firstFloat = Math.max(0, Math.min(g.firstAt(top), Math.max(0, total - 1)))
  const first = Math.floor(firstFloat)
  const frac = firstFloat - first
  const count = Math.min(g.perView + 2, Math.max(0, total - first))

  useLayoutEffect(() => {
    const el = ref.current
    if (!el) return
    const measure = (): void => setHeight(Math.max(ROW_HEIGHT, el.clientHeight - HEADER_HEIGHT))
    const ro = new ResizeObserver(measure)
    ro.observe(el)
    measure()
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
    const g = geometry(total, Math.max(ROW_HEIGHT, el.clientHeight - HEADER_HEIGHT), ROW_HEIGHT)
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
    // Only a new request scrolls; total changes alone must not.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [scrollTo])

  useEffect(() => {
    ensureRows(Math.max(0, first - OVERSCAN), first + g.perView + OVERSCAN)
  }, [first, g.perView, total, rowsVersion])

  // Shift-click: the range from the selected message to the clicked one goes to replay/export.
  const onRowClick = useCallback((pos: number, shift: boolean): void => {
    const s = useBrowse.getState()
    const anchor = s.selected === null ? undefined : s.rows.get(s.selected)
    const clicked = s.rows.get(pos)
    if (!shift || !anchor || !clicked) {
      select(pos, true)
      return
    }
    setReplayRange(anchor, clicked)
  }, [])
  const onRowMenu = useCallback((pos: number, x: number, y: number): void => {
    select(pos)
    setMenu({ position: pos, x, y })
  }, [])
  // A success note goes away by itself; an error stays until dismissed.
  useEffect(() => {
    if (!note?.ok) return
    const t = setTimeout(() => setNote(null), 4000)
    return () => clearTimeout(t)
  }, [note])
  const closeMenu = useCallback((): void => {
    setMenu(null)
    ref.current?.focus()
  }, [])

  const onKeyDown = (e: React.KeyboardEvent<HTMLDivElement>): void => {
    if (e.target !== e.currentTarget || e.ctrlKey || e.metaKey || e.altKey) return
    const s = useBrowse.getState()
    const cur = s.selected
    if (e.key === 'ContextMenu' || (e.key === 'F10' && e.shiftKey)) {
      const i = cur ?? first
      const el = document.getElementById(rowId(i))
      const box = (el ?? e.currentTarget).getBoundingClientRect()
      if (cur === null) select(i)
      setMenu({ position: i, x: box.left + 40, y: box.top + (el ? box.height : HEADER_HEIGHT) })
      e.preventDefault()
      return
    }
    if (e.key === 'Enter') {
      if (cur !== null) useBrowse.setState({ detailOpen: true })
      else select(0, true)
      e.preventDefault()
      return
    }
    const next = gridMove(e.key, cur, visibleTotal(s), g.perView)
    if (next === null) return
    // Moving up or to the start leaves follow-tail; G/End keeps it as it is.
    if (e.key !== 'G' && e.key !== 'End') setFollow(false)
    select(next)
    e.preventDefault()
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
        columns={columns}
        selected={selected === p}
        inRange={row !== undefined && inReplayRange(range, row)}
        onClick={onRowClick}
        onMenu={onRowMenu}
        highlight={highlight}
      />,
    )
  }
  const menuRow = menu ? rows.get(menu.position) : undefined
  const active = selected !== null && selected >= first && selected < first + count
  return (
    <>
      <div
        className="vlist"
        ref={ref}
        role="grid"
        aria-label="Messages"
        aria-rowcount={total + 1}
        aria-colcount={columns.length}
        aria-activedescendant={active && selected !== null ? rowId(selected) : undefined}
        tabIndex={0}
        data-testid="message-list"
        data-total={total}
        data-first={first}
        style={{ '--cols': gridTemplate({ hidden, widths }) } as React.CSSProperties}
        onKeyDown={onKeyDown}
        onScroll={(e) => setTop(e.currentTarget.scrollTop)}
        onWheel={(e) => {
          if (e.deltaY < 0 && follow) setFollow(false)
        }}
      >
        <ColumnHeader columns={columns} />
        <div className="vsticky" style={{ height, top: HEADER_HEIGHT }} role="rowgroup">
          <div style={{ transform: `translateY(${-frac * ROW_HEIGHT}px)` }} data-testid="messages">
            {items}
          </div>
          {total === 0 && <EmptyState />}
        </div>
        <div style={{ height: Math.max(0, g.virt - height) }} />
      </div>
      {menu && menuRow && <RowMenu at={menu} row={menuRow} onClose={closeMenu} onDone={setNote} />}
      {note && (
        <div
          className={`list-note small ${note.ok ? 'info' : 'error-text'}`}
          role={note.ok ? 'status' : 'alert'}
          data-testid="list-note"
        >
          <span>{note.text}</span>
          <button
            type="button"
            className="ghost small"
            aria-label="Dismiss"
            onClick={() => setNote(null)}
          >
            ✕
          </button>
        </div>
      )}
    </>
  )
}
