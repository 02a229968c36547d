import { memo } from 'react'
import type { BrowseRow } from '../../../../src-shared/ipc/contract-browse'
import { clock, preview, shortOffset } from './format'

export const ROW_HEIGHT = 26

/** One list row: position, its batch's offset range, arrival time and a one-line preview. */
export const MessageRow = memo(function MessageRow({
  position,
  row,
  selected,
  inRange,
  onClick,
}: {
  position: number
  row: BrowseRow | undefined
  selected: boolean
  /** Inside the replay/export range picked from the browser. */
  inRange: boolean
  onClick: (position: number, shift: boolean) => void
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
      <span className="c-value mono value">{preview(row.payload)}</span>
    </div>
  )
})
