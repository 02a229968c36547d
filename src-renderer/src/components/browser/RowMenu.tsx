import { useEffect, useLayoutEffect, useRef, useState } from 'react'
import type { BrowseRow } from '../../../../src-shared/contract'
import { curlForOffset, useBrowse } from '../../state/browse'
import { openStateAsOf } from '../../state/state-view'
import { forkThrough, setReplayFrom, setReplayTo } from '../../state/tools'
import { fullText } from './format'
import { messageAddress, ndjsonLine } from './list-model'

export interface MenuAt {
  position: number
  x: number
  y: number
}

interface Item {
  id: string
  label: string
  title: string
  run: () => Promise<string | null> | string | null
}

/**
 * The context menu of a message row (right-click, Shift+F10 or the context-menu key on the
 * list): copy its value, address, a curl reading it, its NDJSON line; the State view as of it;
 * fork through it; make it the start or end of the replay/export range. Arrow keys move, Enter runs, Escape closes (the
 * list gets the focus back). `onDone` receives what to tell the user (or an error).
 */
export function RowMenu({
  at,
  row,
  onClose,
  onDone,
}: {
  at: MenuAt
  row: BrowseRow
  onClose: () => void
  onDone: (outcome: { ok: boolean; text: string }) => void
}) {
  const ref = useRef<HTMLDivElement>(null)
  const [pos, setPos] = useState({ left: at.x, top: at.y })
  const copy = async (what: string, text: string): Promise<string> => {
    await navigator.clipboard.writeText(text)
    return `Copied ${what}`
  }
  const address = messageAddress(row)
  const items: Item[] = [
    {
      id: 'copy-value',
      label: 'Copy value',
      title: 'The whole message (JSON pretty-printed)',
      run: () => copy('the value', fullText(row.payload)),
    },
    {
      id: 'copy-address',
      label: 'Copy address',
      title: `${address}: the offset its batch was read from + its index in that batch`,
      run: () => copy(`address ${address}`, address),
    },
    {
      id: 'copy-curl',
      label: 'Copy as curl',
      title: `A curl command reading from this message's batch (offset ${row.startOffset})`,
      run: async () => copy('a curl command', await curlForOffset(row.startOffset)),
    },
    {
      id: 'copy-ndjson',
      label: 'Copy as NDJSON line',
      title: 'One line in the export format (re-importable)',
      run: () => copy('an NDJSON line', ndjsonLine(row)),
    },
    {
      id: 'state',
      label: 'State as of here',
      title: 'The State view of this stream right after this message',
      run: async () => {
        await openStateAsOf(row.startOffset, row.inBatch)
        return null
      },
    },
    {
      id: 'fork',
      label: 'Fork through here…',
      title: `A new stream with messages #1–#${row.index + 1} of this one`,
      run: () => {
        forkThrough({
          ...row,
          json: row.payload.kind === 'json',
          viewStart: useBrowse.getState().start,
        })
        return null
      },
    },
    {
      id: 'range-start',
      label: 'Set as range start',
      title: `The replay / export range starts with this message (#${row.index + 1})`,
      run: () => {
        setReplayFrom(row)
        return null
      },
    },
    {
      id: 'range-end',
      label: 'Set as range end',
      title: `The replay / export range ends with this message (#${row.index + 1})`,
      run: () => {
        setReplayTo(row)
        return null
      },
    },
  ]

  // Keep the menu inside the window, and focus its first item.
  useLayoutEffect(() => {
    const el = ref.current
    if (!el) return
    const r = el.getBoundingClientRect()
    setPos({
      left: Math.max(4, Math.min(at.x, window.innerWidth - r.width - 4)),
      top: Math.max(4, Math.min(at.y, window.innerHeight - r.height - 4)),
    })
    el.querySelector<HTMLElement>('[role="menuitem"]')?.focus()
  }, [at.x, at.y])

  // A click elsewhere closes it.
  useEffect(() => {
    const onDown = (e: PointerEvent): void => {
      if (!ref.current?.contains(e.target as Node)) onClose()
    }
    window.addEventListener('pointerdown', onDown, true)
    return () => window.removeEventListener('pointerdown', onDown, true)
  }, [onClose])

  const run = (item: Item): void => {
    onClose()
    Promise.resolve()
      .then(item.run)
      .then(
        (text) => {
          if (text) onDone({ ok: true, text })
        },
        (err: unknown) =>
          onDone({
            ok: false,
            text: `${item.label} failed: ${err instanceof Error ? err.message : String(err)}`,
          }),
      )
  }

  const onKeyDown = (e: React.KeyboardEvent<HTMLDivElement>): void => {
    const buttons = [...(ref.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? [])]
    const i = buttons.indexOf(document.activeElement as HTMLElement)
    const focus = (k: number): void => buttons[(k + buttons.length) % buttons.length]?.focus()
    switch (e.key) {
      case 'ArrowDown':
        focus(i + 1)
        break
      case 'ArrowUp':
        focus(i - 1)
        break
      case 'Home':
        focus(0)
        break
      case 'End':
        focus(buttons.length - 1)
        break
      case 'Escape':
      case 'Tab':
        onClose()
        break
      default:
        return
    }
    e.preventDefault()
    e.stopPropagation()
  }

  return (
    <div
      ref={ref}
      className="row-menu"
      role="menu"
      aria-label={`Message #${row.index + 1}`}
      data-testid="row-menu"
      style={{ left: pos.left, top: pos.top }}
      onKeyDown={onKeyDown}
    >
      {items.map((item, k) => (
        <button
          key={item.id}
          type="button"
          role="menuitem"
          tabIndex={-1}
          className={k === 4 ? 'sep-before' : undefined}
          data-testid={`menu-${item.id}`}
          title={item.title}
          onClick={() => run(item)}
        >
          {item.label}
        </button>
      ))}
    </div>
  )
}
