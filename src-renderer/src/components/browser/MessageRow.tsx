import { memo } from 'react'
import type { BrowseRow } from '../../../../src-shared/contract'
import { clock, preview, shortOffset } from './format'

export const ROW_HEIGHT = 26

/** One list row: position, its batch's offset range, arrival time and a one-line preview. */
export const MessageRow = memo(function MessageRow({
  position,
  row,
  selected,
  inRange,
  onClick,
  highlight,
}: {
  position: number
  row: BrowseRow | undefined
  selected: boolean
  /** Inside the replay/export range picked from the browser. */
  inRange: boolean
  onClick: (position: number, shift: boolean) => void
  /** The text search, marked in the preview. */
  highlight?: string | undefined
}) {
  if (!row) {
    return (
      <div className="vrow loading" style={{ height: ROW_HEIGHT }}>
        <span className="c-n muted">{position + 1}</span>
        <span className="muted">loading…</span>
      </div>
    )
  }
  const range = `${row.startOffset} → ${row.endOffset}`
  return (
    <div
      className={`vrow${selected ? ' selected' : ''}${inRange ? ' in-range' : ''}`}
      style={{ height: ROW_HEIGHT }}
      data-testid="message"
      data-index={row.index}
      data-offset={row.endOffset}
      data-start-offset={row.startOffset}
      data-in-range={inRange || undefined}
      aria-selected={selected}
      role="row"
      onMouseDown={(e) => {
        // Shift-click picks a range: keep the browser from selecting text.
        if (e.shiftKey) e.preventDefault()
      }}
      onClick={(e) => onClick(position, e.shiftKey)}
      onDoubleClick={() => onClick(position, false)}
    >
      <span className="c-n muted">{row.index + 1}</span>
      <span
        className="c-range mono"
        title={`Batch offset range ${range}${row.inBatch > 0 ? ` (message ${row.inBatch + 1} of the batch)` : ''}`}
      >
        {shortOffset(row.startOffset)} → {shortOffset(row.endOffset)}
        {row.inBatch > 0 ? <span className="muted"> ·{row.inBatch}</span> : null}
      </span>
      <span className="c-time mono muted" title={new Date(row.receivedAt).toISOString()}>
        {clock(row.receivedAt)}
      </span>
      <span className="c-value mono value">
        <Highlighted text={preview(row.payload)} term={highlight} />
      </span>
    </div>
  )
})

/** `text` with the case-insensitive occurrences of `term` marked. */
function Highlighted({ text, term }: { text: string; term: string | undefined }) {
  const t = term?.trim().toLowerCase()
  if (!t) return <>{text}</>
  const parts: React.ReactNode[] = []
  const lower = text.toLowerCase()
  let at = 0
  for (let i = lower.indexOf(t); i >= 0 && parts.length < 40; i = lower.indexOf(t, at)) {
    if (i > at) parts.push(text.slice(at, i))
    parts.push(
      <mark key={i} className="hit" data-testid="hit">
        {text.slice(i, i + t.length)}
      </mark>,
    )
    at = i + t.length
  }
  parts.push(text.slice(at))
  return <>{parts}</>
}
