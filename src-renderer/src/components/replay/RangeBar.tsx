import { clearRange, editRange, rangeCount, useTools } from '../../state/tools'

/** The range shared by replay and export; the message browser fills it too. */
export function RangeBar() {
  const from = useTools((s) => s.replayFrom)
  const to = useTools((s) => s.replayTo)
  const pickStart = useTools((s) => s.pickStart)
  const pickEnd = useTools((s) => s.pickEnd)
  const byCount = rangeCount({ pickStart, pickEnd })
  return (
    <div className="range-bar" data-testid="replay-range">
      <strong className="small">Range</strong>
      <label className="small inline">
        From offset
        <input
          className="input mono"
          data-testid="replay-from"
          value={from}
          onChange={(e) => editRange({ replayFrom: e.target.value })}
        />
      </label>
      <label className="small inline">
        To offset (incl.)
        <input
          className="input mono"
          data-testid="replay-to"
          placeholder="end"
          value={to}
          onChange={(e) => editRange({ replayTo: e.target.value })}
        />
      </label>
      <button
        type="button"
        className="ghost small"
        data-testid="replay-range-clear"
        onClick={clearRange}
      >
        Whole stream
      </button>
      {byCount && pickStart && (
        <span className="badge" data-testid="replay-range-count">
          {byCount.count} message{byCount.count === 1 ? '' : 's'} · #{pickStart.index + 1}–#
          {pickStart.index + byCount.count}
        </span>
      )}
      <span className="muted small range-hint">
        Tip: shift-click two messages in the browser, or use “Set as start / end” in a message’s
        detail.
      </span>
    </div>
  )
}
