import { useState } from 'react'
import { useShallow } from 'zustand/react/shallow'
import { goAsOf, goToOffset, step, useStateView } from '../../state/state-view'

/** Where the shown state is, and the controls to move it: offset, ±1 change, live. */
export function TimeTravel() {
  const { position, asOfError } = useStateView(
    useShallow((s) => ({ position: s.summary?.position, asOfError: s.asOfError })),
  )
  const [offset, setOffset] = useState('')
  if (!position) return null
  const a = position.address
  const where = a
    ? `after message ${position.messageIndex + 1} · read at ${a.startOffset} #${a.inBatch}`
    : 'before the first change'
  const full = a
    ? `message ${position.messageIndex + 1}: #${a.inBatch} of the response ${a.startOffset} → ${a.endOffset}`
    : undefined
  return (
    <div className={`state-travel ${position.live ? '' : 'past'}`} data-testid="state-travel">
      <span className="state-position" data-testid="state-position">
        {position.live ? (
          <strong>Live</strong>
        ) : (
          <strong>
            As of change {position.position} of {position.total}
          </strong>
        )}{' '}
        <span className="muted small" title={full}>
          {where}
        </span>
      </span>
      <button
        className="small"
        aria-label="One change back"
        disabled={position.position === 0}
        onClick={() => void step(-1)}
      >
        ◀ −1
      </button>
      <button
        className="small"
        aria-label="One change forward"
        disabled={position.live}
        onClick={() => void step(1)}
      >
        +1 ▶
      </button>
      <button
        className="small"
        disabled={position.live}
        onClick={() => void goAsOf({ live: true })}
      >
        Live
      </button>
      <form
        className="state-offset"
        onSubmit={(e) => {
          e.preventDefault()
          void goToOffset(offset)
        }}
      >
        <input
          aria-label="State as of offset"
          className="mono"
          placeholder="offset, offset@n or #change"
          value={offset}
          onChange={(e) => setOffset(e.target.value)}
        />
        <button type="submit" className="small">
          Go
        </button>
      </form>
      {asOfError ? (
        <span className="error-text small" role="alert" data-testid="state-asof-error">
          {asOfError}
        </span>
      ) : null}
    </div>
  )
}
