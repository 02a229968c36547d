import { lazy, Suspense, useState } from 'react'
import type { StreamInfo } from '../../../../src-shared/ipc/contract'
import { LifecyclePanel } from '../lifecycle/LifecyclePanel'
import { ProducersPanel } from '../producers/ProducersPanel'
import { ReplayPanel } from '../replay/ReplayPanel'

// Monaco is loaded on demand, from the local bundle.
const AppendPanel = lazy(() => import('../append/AppendPanel'))

type Tab = 'append' | 'producers' | 'replay' | 'lifecycle'

const TABS: Array<{ id: Tab; label: string }> = [
  { id: 'append', label: 'Append' },
  { id: 'producers', label: 'Producers' },
  { id: 'replay', label: 'Replay & export' },
  { id: 'lifecycle', label: 'Close & fork' },
]

/** The write-side tools of the selected stream, as tabs. */
export function StreamTools({ info, closed }: { info: StreamInfo; closed: boolean }) {
  const [tab, setTab] = useState<Tab>('append')
  return (
    <section className="stream-tools" aria-label="Stream tools">
      <div className="tabs" role="tablist">
        {TABS.map((t) => (
          <button
            key={t.id}
            role="tab"
            aria-selected={tab === t.id}
            className={tab === t.id ? 'tab on' : 'tab'}
            data-testid={`tab-${t.id}`}
            onClick={() => setTab(t.id)}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div className="tab-body">
        {tab === 'append' && (
          <>
            {closed && (
              <div className="warning small" data-testid="append-closed">
                This stream is closed: the server refuses appends (409). Fork it to keep writing.
              </div>
            )}
            <Suspense fallback={<div className="muted pad">Loading editor…</div>}>
              <AppendPanel info={info} />
            </Suspense>
          </>
        )}
        {tab === 'producers' && <ProducersPanel info={info} />}
        {tab === 'replay' && <ReplayPanel info={info} />}
        {tab === 'lifecycle' && <LifecyclePanel info={info} closed={closed} />}
      </div>
    </section>
  )
}
