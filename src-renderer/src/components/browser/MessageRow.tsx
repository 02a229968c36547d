import { memo } from 'react'
import type { BrowseRow } from '../../../../src-shared/contract'
import type { ColumnDef } from '../../state/columns'
import { byteSize, clock, preview } from './format'
import { compactAddress, formatSize, messageAddress } from './list-model'

export const ROW_HEIGHT = 22

/** The DOM id of the row at a list position (the grid's aria-activedescendant). */
export const rowId = (position: number): string => `msg-row-${position}`

/**
 * One list row = one message: position, its address (batch offset + index), arrival time,
 * size and a one-line preview, in the columns the user chose. The first message of a batch
 * carries a thin separator line instead of repeating the batch's offsets on every row.
 */
export const MessageRow = memo(function MessageRow({
  position,
  row,
  columns,
  selected,
  inRange,
  onClick,
  onMenu,
  highlight,
}: {
  position: number
  row: BrowseRow | undefined
  columns: readonly ColumnDef[]
  selected: boolean
  /** Inside the replay/export range picked from the browser. */
  inRange: boolean
  onClick: (position: number, shift: boolean) => void
  /** Right-click: the row's context menu at the pointer. */
  onMenu: (position: number, x: number, y: number) => void
  /** The text search, marked in the preview. */
  highlight?: string | undefined
}) {
  if (!row) {
    return (
      <div
        className="vrow loading"
        style={{ height: ROW_HEIGHT }}
        role="row"
        id={rowId(position)}
        aria-rowindex={position + 2}
      >
        <span className="c-n muted" role="gridcell">
          {position + 1}
        </span>
        <span className="muted" role="gridcell">
          loading…
        </span>
      </div>
    )
  }
  const address = messageAddress(row)
  const batchStart = row.inBatch === 0 && row.index > 0
  const cell = (c: ColumnDef) => {
    switch (c.id) {
      case 'n':
        return (
          <span key="n" className="c-n muted" role="gridcell">
            {row.index + 1}
          </span>
        )
      case 'address':
        return (
          <span
            key="address"
            className="c-addr mono"
            role="gridcell"
            data-testid="row-address"
            data-address={address}
            title={`Address ${address}: message ${row.inBatch + 1} of ${row.batchSize} in the batch read from ${row.startOffset} (batch offsets ${row.startOffset} → ${row.endOffset})`}
          >
            {compactAddress(row)}
          </span>
        )
      case 'time':
        return (
          <span
            key="time"
            className="c-time mono muted"
            role="gridcell"
            title={new Date(row.receivedAt).toISOString()}
          >
            {clock(row.receivedAt)}
          </span>
        )
      case 'size': {
        const bytes = byteSize(row.payload)
        return (
          <span key="size" className="c-size muted" role="gridcell" title={`${bytes} bytes`}>
            {formatSize(bytes)}
          </span>
        )
      }
      case 'value':
        return (
          <span key="value" className="c-value mono value" role="gridcell">
            <Highlighted text={preview(row.payload, 600)} term={highlight} />
          </span>
        )
    }
  }
  return (
    <div
      className={`vrow${selected ? ' selected' : ''}${inRange ? ' in-range' : ''}${batchStart ? ' batch-start' : ''}`}
      style={{ height: ROW_HEIGHT }}
      id={rowId(position)}
      data-testid="message"
      data-index={row.index}
      data-offset={row.endOffset}
      data-start-offset={row.startOffset}
      data-in-range={inRange || undefined}
      aria-selected={selected}
      aria-rowindex={position + 2}
      role="row"
      onMouseDown={(e) => {
        // Shift-click picks a range: keep the browser from selecting text.
        if (e.shiftKey) e.preventDefault()
      }}
      onClick={(e) => onClick(position, e.shiftKey)}
      onDoubleClick={() => onClick(position, false)}
      onContextMenu={(e) => {
        e.preventDefault()
        onMenu(position, e.clientX, e.clientY)
      }}
    >
      {columns.map(cell)}
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
