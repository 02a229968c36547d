import { useRef, type ReactNode } from 'react'
import { setPaneSize, usePanes } from '../../state/panes'

/**
 * Two panes with a draggable divider (also keyboard: arrow keys on the divider). The size of
 * the `sized` pane (default: the second) is remembered under `storageKey` (state/panes.ts).
 */
export function Splitter({
  first,
  second,
  storageKey,
  direction = 'row',
  initial = 420,
  min = 160,
  sized = 'second',
  label = 'Resize panes',
}: {
  first: ReactNode
  second: ReactNode
  storageKey: string
  direction?: 'row' | 'column'
  initial?: number
  min?: number
  sized?: 'first' | 'second'
  /** Accessible name of the divider. */
  label?: string
}) {
  const size = usePanes((s) => s.sizes[storageKey]) ?? initial
  const box = useRef<HTMLDivElement>(null)
  const save = (v: number): void => {
    const el = box.current
    const total = el ? (direction === 'row' ? el.clientWidth : el.clientHeight) : Infinity
    const clamped = Math.round(Math.max(min, Math.min(v, total - min)))
    setPaneSize(storageKey, clamped)
  }
  const onPointerDown = (e: React.PointerEvent<HTMLDivElement>): void => {
    const el = box.current
    if (!el) return
    e.currentTarget.setPointerCapture(e.pointerId)
    const rect = el.getBoundingClientRect()
    const move = (ev: PointerEvent): void => {
      const fromEnd = direction === 'row' ? rect.right - ev.clientX : rect.bottom - ev.clientY
      const fromStart = direction === 'row' ? ev.clientX - rect.left : ev.clientY - rect.top
      save(sized === 'second' ? fromEnd : fromStart)
    }
    const up = (): void => {
      window.removeEventListener('pointermove', move)
      window.removeEventListener('pointerup', up)
    }
    window.addEventListener('pointermove', move)
    window.addEventListener('pointerup', up)
  }
  const fixed = direction === 'row' ? { width: size } : { height: size }
  return (
    <div className={`split split-${direction} sized-${sized}`} ref={box}>
      <div className="split-first" style={sized === 'first' ? fixed : undefined} data-size={size}>
        {first}
      </div>
      <div
        className="split-handle"
        role="separator"
        aria-orientation={direction === 'row' ? 'vertical' : 'horizontal'}
        aria-valuenow={size}
        aria-label={label}
        tabIndex={0}
        data-testid={`splitter-${storageKey}`}
        onPointerDown={onPointerDown}
        onKeyDown={(e) => {
          const grow = sized === 'second' ? 24 : -24
          if (e.key === 'ArrowLeft' || e.key === 'ArrowUp') save(size + grow)
          if (e.key === 'ArrowRight' || e.key === 'ArrowDown') save(size - grow)
        }}
      />
      <div className="split-second" style={sized === 'second' ? fixed : undefined}>
        {second}
      </div>
    </div>
  )
}
