import { useTools } from '../../state/tools'

/** The range shared by replay and export; the message browser fills it too. */
export function RangeBar() {
  const from = useTools((s) => s.replayFrom)
  const to = useTools((s) => s.replayTo)
  return (
    <div className="range-bar" data-testid="replay-range">
      <strong className="small">Range</strong>
      <label className="small inline">
        From offset
        <input
          className="input mono"
          data-testid="replay-from"
          value={from}
          onChange={(e) => useTools.setState({ replayFrom: e.target.value })}
        />
      </label>
      <label className="small inline">
        To offset (incl.)
        <input
          className="input mono"
          data-testid="replay-to"
          placeholder="end"
          value={to}
          onChange={(e) => useTools.setState({ replayTo: e.target.value })}
        />
      </label>
      <button
        type="button"
        className="ghost small"
        data-testid="replay-range-clear"
        onClick={() => useTools.setState({ replayFrom: '-1', replayTo: '' })}
      >
        Whole stream
      </button>
      <span className="muted small range-hint">
        Tip: shift-click two messages in the browser, or use “Range start / end” in a message’s
        detail.
      </span>
    </div>
  )
}
