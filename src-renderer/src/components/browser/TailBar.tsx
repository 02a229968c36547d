import type { LiveModeChoice } from '../../../../src-shared/contract'
import { useShallow } from 'zustand/react/shallow'
import { reconnect, setFollow, setLive, setPaused, useBrowse } from '../../state/browse'
import { rateAt, useNow } from '../../state/rate'

/** Live tail controls and state: mode, pause/resume with buffered count, follow, rate. */
export function TailBar() {
  const { live, paused, pausedTotal, follow, progress, progressAt, sessionId } = useBrowse(
    useShallow((s) => ({
      live: s.live,
      paused: s.paused,
      pausedTotal: s.pausedTotal,
      follow: s.follow,
      progress: s.progress,
      progressAt: s.progressAt,
      sessionId: s.sessionId,
    })),
  )
  const now = useNow()
  const rate = progress ? rateAt(progress.timeline.sparkline, progressAt, now) : 0
  const total = progress?.total ?? 0
  const buffered = paused ? total - pausedTotal : 0
  const state = progress?.state ?? (sessionId ? 'catching-up' : 'connecting')
  const label =
    state === 'live'
      ? progress?.upToDate
        ? 'live · up to date'
        : 'live'
      : state === 'closed'
        ? 'closed (EOF)'
        : state === 'catching-up'
          ? 'catching up'
          : state
  return (
    <div className="tail-bar" data-testid="tail-bar">
      <label className="small muted" htmlFor="live-mode">
        Live
      </label>
      <select
        id="live-mode"
        data-testid="live-mode"
        value={live}
        onChange={(e) => void setLive(e.target.value as LiveModeChoice)}
      >
        <option value="auto">auto</option>
        <option value="long-poll">long-poll</option>
        <option value="sse">SSE</option>
      </select>
      <span
        className={`state ${state}`}
        data-testid="browse-state"
        data-state={state}
        title={progress?.phase ? `last response via ${progress.phase}` : undefined}
      >
        {label}
      </span>
      {progress?.phase && progress.phase !== 'catch-up' && (
        <span className="muted small" data-testid="live-phase">
          via {progress.phase}
        </span>
      )}
      {/* At EOF there is nothing left to pause (Resume stays while paused: buffered rows). */}
      {(state !== 'closed' || paused) && (
        <button
          className="ghost small"
          data-testid="pause"
          aria-pressed={paused}
          onClick={() => setPaused(!paused)}
        >
          {paused ? '▶ Resume' : '❚❚ Pause'}
        </button>
      )}
      {paused && (
        <span className="badge warn" data-testid="buffered">
          {buffered} buffered
        </span>
      )}
      <label className="small check">
        <input
          type="checkbox"
          data-testid="follow"
          checked={follow}
          onChange={(e) => setFollow(e.target.checked)}
        />
        follow tail
      </label>
      <div className="spacer" />
      <span className="small mono" data-testid="rate" title="messages per second">
        {rate} msg/s
      </span>
      <span className="small muted" data-testid="total">
        {total.toLocaleString()} messages
      </span>
      <span className="small muted" data-testid="reconnects">
        {progress?.reconnects ?? 0} reconnects
      </span>
      {progress?.error && (
        <>
          <span className="error-text small" role="alert" data-testid="tail-error">
            {progress.error.message}
          </span>
          <button className="ghost small" data-testid="reconnect" onClick={() => void reconnect()}>
            Reconnect
          </button>
        </>
      )}
    </div>
  )
}
