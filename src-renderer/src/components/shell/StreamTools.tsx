import { lazy, Suspense } from 'react'
import type { StreamInfo } from '../../../../src-shared/contract'
import { clickTab, selectTab, setToolsOpen, useTools, type ToolTab } from '../../state/tools'
import { LifecyclePanel } from '../lifecycle/LifecyclePanel'
import { ProducersPanel } from '../producers/ProducersPanel'
import { ReplayPanel } from '../replay/ReplayPanel'

// Monaco is loaded on demand, from the local bundle.
const AppendPanel = lazy(() => import('../append/AppendPanel'))

const TABS: Array<{ id: ToolTab; label: string }> = [
  { id: 'append', label: 'Append' },
  { id: 'producers', label: 'Producers' },
  { id: 'replay', label: 'Replay & export' },
  { id: 'lifecycle', label: 'Close & fork' },
]

/**
 * The tab strip of the write-side tools: always visible and compact. Clicking a tab opens the
 * panel on it; clicking the active tab (or the chevron) collapses it.
 */
export function ToolsStrip() {
  const open = useTools((s) => s.open)
  const tab = useTools((s) => s.tab)
  const onKeyDown = (e: React.KeyboardEvent<HTMLDivElement>): void => {
    const i = TABS.findIndex((t) => t.id === tab)
    const step = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0
    if (!step) return
    e.preventDefault()
    const next = TABS[(i + step + TABS.length) % TABS.length]
    if (!next) return
    selectTab(next.id)
    document.getElementById(`tool-tab-${next.id}`)?.focus()
  }
  return (
    <div className={`tools-strip${open ? ' open' : ''}`} data-testid="tools-strip">
      <div className="tabs" role="tablist" aria-label="Stream tools" onKeyDown={onKeyDown}>
        {TABS.map((t) => {
          const active = tab === t.id
          return (
            <button
              key={t.id}
              id={`tool-tab-${t.id}`}
              role="tab"
              type="button"
              aria-selected={open && active}
              aria-controls={open && active ? 'tools-panel' : undefined}
              tabIndex={active ? 0 : -1}
              className={open && active ? 'tab on' : 'tab'}
              data-testid={`tab-${t.id}`}
              title={open && active ? `Collapse ${t.label}` : `Open ${t.label}`}
              onClick={() => clickTab(t.id)}
            >
              {t.label}
            </button>
          )
        })}
      </div>
      <div className="spacer" />
      <button
        type="button"
        className="ghost small chevron"
        data-testid="tools-toggle"
        aria-expanded={open}
        aria-controls="tools-panel"
        aria-label={open ? 'Collapse stream tools' : 'Expand stream tools'}
        title={open ? 'Collapse the tools panel' : 'Expand the tools panel'}
        onClick={() => setToolsOpen(!open)}
      >
        {open ? '▴' : '▾'}
      </button>
    </div>
  )
}

/** The body of the active tool tab (only rendered while the panel is open). */
export function ToolsBody({ info, closed }: { info: StreamInfo; closed: boolean }) {
  const tab = useTools((s) => s.tab)
  const label = TABS.find((t) => t.id === tab)?.label ?? tab
  return (
    <section
      className="tab-body side"
      id="tools-panel"
      role="tabpanel"
      aria-labelledby={`tool-tab-${tab}`}
      aria-label={label}
      data-testid="tools-panel"
    >
      {tab === 'append' && (
        <>
          {closed && (
            <div className="warning small" data-testid="append-closed">
              This stream is closed: the server refuses appends (409). Fork it to keep writing.
            </div>
          )}
          <Suspense fallback={<div className="muted pad">Loading editor…</div>}>
            <AppendPanel info={info} closed={closed} />
          </Suspense>
        </>
      )}
      {tab === 'producers' && <ProducersPanel info={info} />}
      {tab === 'replay' && <ReplayPanel info={info} />}
      {tab === 'lifecycle' && <LifecyclePanel info={info} closed={closed} />}
    </section>
  )
}
