import { useEffect, useRef, useState } from 'react'
import {
  COLUMNS,
  columnWidth,
  resetColumns,
  setColumnWidth,
  toggleColumn,
  useColumns,
  type ColumnDef,
} from '../../state/columns'

export const HEADER_HEIGHT = 24

/**
 * The list's header row: one column header per shown column, each resizable (drag its right
 * edge, or focus the edge and use ←/→), and a "Columns" menu to show or hide columns. Widths
 * and the shown set are remembered (state/columns.ts).
 */
export function ColumnHeader({ columns }: { columns: readonly ColumnDef[] }) {
  const widths = useColumns((s) => s.widths)
  const hidden = useColumns((s) => s.hidden)
  return (
    <div className="vhead small muted" role="row" aria-rowindex={1} data-testid="list-header">
      {columns.map((c) => {
        const w = columnWidth({ hidden, widths }, c)
        return (
          <div
            key={c.id}
            className={`vh c-${c.id}`}
            role="columnheader"
            aria-label={c.label}
            title={c.title}
          >
            <span className="vh-label">{c.label}</span>
            {c.id === 'value' && <ColumnsMenu />}
            {w !== null && <ResizeHandle column={c} width={w} />}
          </div>
        )
      })}
    </div>
  )
}

function ResizeHandle({ column, width }: { column: ColumnDef; width: number }) {
  const onPointerDown = (e: React.PointerEvent<HTMLSpanElement>): void => {
    e.preventDefault()
    e.stopPropagation()
    e.currentTarget.setPointerCapture(e.pointerId)
    const x0 = e.clientX
    const target = e.currentTarget
    const move = (ev: PointerEvent): void => setColumnWidth(column.id, width + ev.clientX - x0)
    const up = (): void => {
      target.removeEventListener('pointermove', move)
      target.removeEventListener('pointerup', up)
    }
    target.addEventListener('pointermove', move)
    target.addEventListener('pointerup', up)
  }
  return (
    <span
      className="col-resize"
      role="separator"
      aria-orientation="vertical"
      aria-label={`Resize the ${column.label} column`}
      aria-valuenow={width}
      aria-valuemin={column.min}
      tabIndex={0}
      data-testid={`resize-${column.id}`}
      onPointerDown={onPointerDown}
      onKeyDown={(e) => {
        const step = e.key === 'ArrowRight' ? 16 : e.key === 'ArrowLeft' ? -16 : 0
        if (!step) return
        e.preventDefault()
        e.stopPropagation()
        setColumnWidth(column.id, width + step)
      }}
    />
  )
}

/** Show / hide columns (the message column always stays). */
function ColumnsMenu() {
  const hidden = useColumns((s) => s.hidden)
  const [open, setOpen] = useState(false)
  const box = useRef<HTMLDivElement>(null)
  useEffect(() => {
    if (!open) return
    const onDown = (e: PointerEvent): void => {
      if (!box.current?.contains(e.target as Node)) setOpen(false)
    }
    window.addEventListener('pointerdown', onDown, true)
    return () => window.removeEventListener('pointerdown', onDown, true)
  }, [open])
  return (
    <div
      className="columns-menu"
      ref={box}
      onKeyDown={(e) => {
        if (e.key !== 'Escape') return
        e.stopPropagation()
        setOpen(false)
        box.current?.querySelector<HTMLElement>('button')?.focus()
      }}
    >
      <button
        type="button"
        className="ghost small"
        aria-haspopup="menu"
        aria-expanded={open}
        data-testid="columns-button"
        title="Show or hide columns"
        onClick={() => setOpen(!open)}
      >
        Columns ▾
      </button>
      {open && (
        <div className="columns-pop" role="menu" aria-label="Columns" data-testid="columns-menu">
          {COLUMNS.filter((c) => c.hideable).map((c) => (
            <button
              key={c.id}
              type="button"
              role="menuitemcheckbox"
              aria-checked={!hidden.includes(c.id)}
              data-testid={`column-${c.id}`}
              onClick={() => toggleColumn(c.id)}
            >
              <span aria-hidden="true">{hidden.includes(c.id) ? '☐' : '☑'}</span> {c.label}
            </button>
          ))}
          <button type="button" role="menuitem" className="sep-before" onClick={resetColumns}>
            Reset widths and columns
          </button>
        </div>
      )}
    </div>
  )
}
