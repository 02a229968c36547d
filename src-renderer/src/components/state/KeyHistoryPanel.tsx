import { useShallow } from 'zustand/react/shallow'
import type { StateDiffEntry } from '../../../../src-shared/contract'
import { closeHistory, goAsOf, useStateView } from '../../state/state-view'

const short = (v: unknown): string => {
  const s = JSON.stringify(v) ?? 'undefined'
  return s.length > 120 ? `${s.slice(0, 120)}…` : s
}

function DiffLine({ d }: { d: StateDiffEntry }) {
  if (d.kind === 'added') {
    return (
      <li className="diff-add">
        + <span className="mono">{d.path}</span>: {short(d.after)}
      </li>
    )
  }
  if (d.kind === 'removed') {
    return (
      <li className="diff-del">
        − <span className="mono">{d.path}</span>: {short(d.before)}
      </li>
    )
  }
  return (
    <li className="diff-chg">
      ~ <span className="mono">{d.path}</span>: {short(d.before)} → {short(d.after)}
    </li>
  )
}

/** All changes to one key, oldest first, each with its diff to the previous value. */
export function KeyHistoryPanel() {
  const { history, error } = useStateView(
    useShallow((s) => ({ history: s.history, error: s.historyError })),
  )
  return (
    <aside className="state-history" aria-label="Key history" data-testid="key-history">
      <header>
        <strong>
          History of <span className="mono">{history ? `${history.type}/${history.key}` : ''}</span>
        </strong>
        <button className="small" aria-label="Close key history" onClick={closeHistory}>
          ×
        </button>
      </header>
      {error ? (
        <div className="error-text" role="alert">
          {error}
        </div>
      ) : null}
      {history ? (
        <>
          <p className="muted small">
            {history.total} change{history.total === 1 ? '' : 's'}
            {history.total > history.entries.length
              ? ` (last ${history.entries.length} shown)`
              : ''}
          </p>
          <ol className="history-list">
            {history.entries.map((e) => (
              <li key={e.position} data-testid="history-entry">
                <div className="history-head">
                  <span className={`op op-${e.op}`}>{e.op}</span>
                  <button
                    className="link small mono"
                    title="Show the state right after this change"
                    onClick={() => void goAsOf({ position: e.position })}
                  >
                    change {e.position}
                  </button>
                  <span
                    className="muted small mono"
                    title="read response start offset, place in it"
                  >
                    {e.address.startOffset}#{e.address.inBatch}
                  </span>
                  {e.txid ? <span className="small">txid {e.txid}</span> : null}
                  {e.timestamp ? <span className="muted small">{e.timestamp}</span> : null}
                </div>
                {e.diff.length > 0 ? (
                  <ul className="diff mono small">
                    {e.diff.map((d, i) => (
                      <DiffLine key={i} d={d} />
                    ))}
                    {e.diffTruncated ? <li className="muted">… more paths differ</li> : null}
                  </ul>
                ) : (
                  <p className="muted small">{e.op === 'update' ? 'value unchanged' : ''}</p>
                )}
              </li>
            ))}
          </ol>
        </>
      ) : null}
    </aside>
  )
}
