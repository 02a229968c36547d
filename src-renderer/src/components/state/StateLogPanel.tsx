import { useShallow } from 'zustand/react/shallow'
import { goAsOf, useStateView } from '../../state/state-view'

/** Snapshot/reset markers and warnings (malformed or protocol-violating messages). */
export function StateLogPanel() {
  const { warnings, markers, warningCount } = useStateView(
    useShallow((s) => ({
      warnings: s.warnings,
      markers: s.markers,
      warningCount: s.summary?.counters.warnings ?? 0,
    })),
  )
  return (
    <div className="state-log">
      <details data-testid="state-markers">
        <summary>
          Markers <span className="muted">({markers.length})</span>
        </summary>
        {markers.length === 0 ? (
          <p className="muted small pad">No snapshot or reset markers.</p>
        ) : null}
        <ul className="small">
          {markers.map((m) => (
            <li key={`${m.messageIndex}`}>
              <span className={`marker marker-${m.kind}`}>{m.kind}</span> at message{' '}
              {m.messageIndex + 1}{' '}
              <span className="mono muted">
                {m.address.startOffset}#{m.address.inBatch}
              </span>
              {m.offset ? <span className="mono muted"> (offset {m.offset})</span> : null}{' '}
              <button className="link small" onClick={() => void goAsOf({ position: m.position })}>
                state here
              </button>
            </li>
          ))}
        </ul>
      </details>
      <details data-testid="state-warnings" open={warningCount > 0 && warningCount < 20}>
        <summary className={warningCount > 0 ? 'warn-text' : ''}>
          Warnings <span className="muted">({warningCount})</span>
        </summary>
        {warningCount > warnings.length ? (
          <p className="muted small pad">The first {warnings.length} are listed.</p>
        ) : null}
        <ul className="small">
          {warnings.map((w, i) => (
            <li key={i} data-testid="state-warning">
              <span className="mono muted">
                message {w.messageIndex + 1} · {w.address.startOffset}#{w.address.inBatch}
              </span>{' '}
              <span className="mono">[{w.code}]</span> {w.message}
            </li>
          ))}
        </ul>
      </details>
    </div>
  )
}
