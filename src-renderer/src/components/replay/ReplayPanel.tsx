import { useEffect, useRef, useState } from 'react'
import type { StreamInfo } from '../../../../src-shared/contract'
import { StreamPathSchema } from '../../../../src-shared/contract'
import { confirmAction } from '../../state/confirm'
import { cancelReplay, startReplay } from '../../state/transfer'
import { useApp } from '../../store'
import { useProducers, watchProducers } from '../../state/producers'
import { rangeCount, useTools } from '../../state/tools'
import { errorMessage } from '../../../../src-shared/error-message'
import { reportError } from '../../state/ui'
import { RangeBar } from './RangeBar'
import { TransferCard } from './TransferCard'

/** Re-append a range through an idempotent producer; export/import below. */
export function ReplayPanel({ info }: { info: StreamInfo }) {
  const from = useTools((s) => s.replayFrom)
  const to = useTools((s) => s.replayTo)
  const pickStart = useTools((s) => s.pickStart)
  const pickEnd = useTools((s) => s.pickEnd)
  const byCount = rangeCount({ pickStart, pickEnd })
  // Empty by default: replaying into the source itself appends the range again (duplicates).
  const [target, setTarget] = useState('')
  const progressRef = useRef<HTMLDivElement | null>(null)
  // Compared as main will read it: '/orders' or ' orders ' name the same stream as 'orders'.
  const targetPath = StreamPathSchema.safeParse(target)
  const selfTarget = targetPath.success && targetPath.data === info.path
  const [rate, setRate] = useState('')
  const [replayId, setReplayId] = useState('')
  const [runId, setRunId] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)
  const run = useProducers((s) => (runId ? s.replays[runId] : undefined))

  useEffect(() => {
    watchProducers().catch((err: unknown) => reportError('Could not follow replays', err))
  }, [])

  const start = async (): Promise<void> => {
    const { connectionId } = useApp.getState()
    if (!connectionId) return
    const r = rate.trim() === '' ? undefined : Number(rate)
    if (r !== undefined && (!Number.isFinite(r) || r <= 0)) {
      setError('Rate must be a number of messages per second > 0 (or empty for no limit)')
      return
    }
    if (!target.trim()) {
      setError('Enter a target stream path (a new path creates the stream)')
      return
    }
    if (
      selfTarget &&
      !(await confirmAction(
        'Replay into the same stream',
        `Replay into ${info.path} itself? The range is appended to it again (duplicated).`,
        'Replay',
      ))
    )
      return
    setError(null)
    try {
      const p = await startReplay({
        source: { connectionId, path: info.path },
        target: { connectionId, path: target.trim() },
        fromOffset: from.trim() || '-1',
        ...(to.trim() ? { toOffset: to.trim() } : {}),
        ...(byCount ?? {}),
        ...(r !== undefined ? { ratePerSecond: r } : {}),
        ...(replayId.trim() ? { replayId: replayId.trim() } : {}),
      })
      setRunId(p.runId)
      // The panel may be short: bring the progress into view (it renders on the next frame).
      requestAnimationFrame(() => progressRef.current?.scrollIntoView({ block: 'nearest' }))
    } catch (err) {
      setError(errorMessage(err))
    }
  }

  const pct = run && run.total > 0 ? Math.round((run.done / run.total) * 100) : 0
  return (
    <div className="replay-tab">
      <RangeBar />
      <div className="grid2">
        <form
          className="card"
          onSubmit={(e) => {
            e.preventDefault()
            void start()
          }}
        >
          <h3>Replay a range</h3>
          <div className="row">
            <label className="small inline">
              Target stream
              <input
                className="input mono"
                data-testid="replay-target"
                placeholder="e.g. orders-copy (new or existing)"
                value={target}
                onChange={(e) => setTarget(e.target.value)}
                aria-invalid={selfTarget}
              />
            </label>
            <label className="small inline">
              msg/s
              <input
                className="input mono tiny"
                data-testid="replay-rate"
                placeholder="∞"
                value={rate}
                onChange={(e) => setRate(e.target.value)}
              />
            </label>
          </div>
          {selfTarget && (
            <div className="warning small" data-testid="replay-self-warning">
              The target is this stream: replaying appends the range to it again (duplicates).
            </div>
          )}
          <label
            className="small inline"
            title="Same id = same idempotent producer: running it again appends nothing new"
          >
            Replay id
            <input
              className="input mono"
              data-testid="replay-id"
              placeholder="derived from source, target and range"
              value={replayId}
              onChange={(e) => setReplayId(e.target.value)}
            />
          </label>
          <div className="row">
            <button
              type="submit"
              className="primary"
              data-testid="replay-start"
              disabled={run?.state === 'running'}
            >
              Replay
            </button>
            {run?.state === 'running' && (
              <button
                type="button"
                onClick={() =>
                  void cancelReplay(run.runId).catch((err: unknown) => setError(errorMessage(err)))
                }
              >
                Cancel
              </button>
            )}
          </div>
          {error && (
            <div className="error-text" role="alert" data-testid="replay-error">
              {error}
            </div>
          )}
          {run && (
            <div
              className="progress-block"
              data-testid="replay-progress"
              data-state={run.state}
              ref={progressRef}
            >
              <progress max={run.total || 1} value={run.done} />
              <span className="small mono" data-testid="replay-status">
                {run.state} · {run.done}/{run.total} ({pct}%) · {run.duplicates} duplicates
              </span>
              <span className="muted small mono">producer {run.producerId}</span>
              {run.error && <div className="error-text small">{run.error.message}</div>}
            </div>
          )}
        </form>
        <TransferCard info={info} />
      </div>
    </div>
  )
}
