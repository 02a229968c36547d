import { useState } from 'react'
import type { ProducerInfo } from '../../../../src-shared/contract'
import { confirmAction } from '../../state/confirm'
import { claimProducer, removeProducer, sendThroughProducer } from '../../state/producers'
import { errorMessage } from '../../../../src-shared/error-message'

/** One producer: live counters, send box, claim (bump epoch), remove. */
export function ProducerCard({ producer: p, json }: { producer: ProducerInfo; json: boolean }) {
  const [text, setText] = useState(json ? '{"n":1}' : 'hello')
  const [count, setCount] = useState('1')
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  const send = async (): Promise<void> => {
    const n = Number(count)
    if (!Number.isInteger(n) || n < 1 || n > 100_000) {
      setError('Count must be a whole number from 1 to 100000')
      return
    }
    if (json) {
      try {
        JSON.parse(text)
      } catch (err) {
        setError(`Not valid JSON: ${errorMessage(err)}`)
        return
      }
    }
    setBusy(true)
    setError(null)
    try {
      const body = json ? { kind: 'jsonText' as const, text } : { kind: 'text' as const, text }
      await sendThroughProducer({ id: p.id, body, count: n })
    } catch (err) {
      // The producer's own state (lastError, fencedBy) arrives via producers.changed.
      setError(errorMessage(err))
    } finally {
      setBusy(false)
    }
  }

  const claim = async (): Promise<void> => {
    try {
      await claimProducer(p.id)
      setError(null)
    } catch (err) {
      setError(errorMessage(err))
    }
  }

  const remove = async (): Promise<void> => {
    const ok = await confirmAction(
      'Forget producer',
      `Forget producer ${p.producerId}? The stream keeps its data.`,
      'Forget',
    )
    if (!ok) return
    try {
      await removeProducer(p.id)
    } catch (err) {
      setError(errorMessage(err))
    }
  }

  const s = p.stats
  return (
    <div
      className={`card producer ${p.fencedBy != null ? 'fenced' : ''}`}
      data-testid="producer-card"
    >
      <div className="producer-head">
        <strong className="mono" data-testid="producer-name">
          {p.producerId}
        </strong>
        <span className={`state ${p.state === 'failed' ? 'error' : 'live'}`}>{p.state}</span>
        {p.fencedBy != null && (
          <span className="fence" data-testid="producer-fenced">
            fenced by epoch {p.fencedBy}
          </span>
        )}
        <div className="spacer" />
        <button className="small" data-testid="producer-claim" onClick={() => void claim()}>
          {p.fencedBy != null ? `Claim (epoch ${p.fencedBy + 1})` : 'Bump epoch'}
        </button>
        <button className="ghost small" onClick={() => void remove()}>
          Remove
        </button>
      </div>
      <dl className="stats" data-testid="producer-stats">
        <Stat label="epoch" value={p.epoch} id="epoch" />
        <Stat label="next seq" value={p.seq} id="seq" />
        <Stat label="in flight" value={s?.inFlight ?? 0} id="inflight" />
        <Stat label="acked" value={p.acked} id="acked" />
        <Stat label="duplicates" value={s?.duplicates ?? 0} id="duplicates" />
        <Stat label="retries" value={s?.retries ?? 0} id="retries" />
        <Stat label="last offset" value={p.lastOffset ?? '—'} id="offset" />
      </dl>
      {p.options && (
        <div className="muted small">
          auto-claim {p.options.autoClaim ? 'on' : 'off'} · linger {p.options.lingerMs} ms · batch{' '}
          {p.options.maxBatchItems}
        </div>
      )}
      {p.lastError && (
        <div className="error-text small" data-testid="producer-last-error">
          Last error: {p.lastError.message}
          {p.lastError.status ? ` (${p.lastError.status})` : ''}
        </div>
      )}
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault()
          void send()
        }}
      >
        <input
          className="input mono"
          aria-label="Message to send"
          data-testid="producer-message"
          value={text}
          onChange={(e) => setText(e.target.value)}
        />
        <input
          className="input mono tiny"
          aria-label="Times"
          title="Send it this many times"
          data-testid="producer-count"
          value={count}
          onChange={(e) => setCount(e.target.value)}
        />
        <button type="submit" className="primary" disabled={busy} data-testid="producer-send">
          Send
        </button>
      </form>
      {error && (
        <div className="error-text" role="alert" data-testid="producer-send-error">
          {error}
        </div>
      )}
    </div>
  )
}

function Stat({ label, value, id }: { label: string; value: string | number; id: string }) {
  return (
    <div>
      <dt className="muted small">{label}</dt>
      <dd className="mono" data-testid={`stat-${id}`}>
        {value}
      </dd>
    </div>
  )
}
