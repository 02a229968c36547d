import { useEffect, useState } from 'react'
import type { StreamInfo } from '../../../../src-shared/contract'
import { useApp } from '../../store'
import { createProducer, useProducers, watchProducers } from '../../state/producers'
import { reportError } from '../../state/ui'
import { ProducerCard } from './ProducerCard'
import { errorMessage } from '../../../../src-shared/error-message'

/** Persistent idempotent producers of this stream: create, send, watch, claim. */
export function ProducersPanel({ info }: { info: StreamInfo }) {
  const connectionId = useApp((s) => s.connectionId)
  const all = useProducers((s) => s.producers)
  const mine = Object.values(all).filter(
    (p) => p.connectionId === connectionId && p.path === info.path && p.state !== 'closed',
  )
  const [producerId, setProducerId] = useState('')
  const [epoch, setEpoch] = useState('0')
  const [autoClaim, setAutoClaim] = useState(false)
  const [linger, setLinger] = useState('5')
  const [batch, setBatch] = useState('100')
  const [error, setError] = useState<string | null>(null)

  useEffect(() => {
    watchProducers().catch((err: unknown) => reportError('Could not load producers', err))
  }, [])

  const create = async (): Promise<void> => {
    if (!connectionId) return
    const num = (v: string, what: string, min: number): number => {
      const n = Number(v)
      if (v.trim() === '' || !Number.isInteger(n) || n < min) {
        throw new Error(`${what} must be a whole number ≥ ${min}`)
      }
      return n
    }
    try {
      if (!producerId.trim()) throw new Error('Producer id is required, e.g. orders-writer')
      const options = {
        epoch: num(epoch, 'Epoch', 0),
        autoClaim,
        lingerMs: num(linger, 'Linger', 0),
        maxBatchItems: num(batch, 'Batch size', 1),
      }
      setError(null)
      await createProducer({
        connectionId,
        path: info.path,
        producerId: producerId.trim(),
        options,
      })
      setProducerId('')
    } catch (err) {
      setError(errorMessage(err))
    }
  }

  return (
    <div className="producers">
      <form
        className="producer-form"
        onSubmit={(e) => {
          e.preventDefault()
          void create()
        }}
      >
        <label className="small inline">
          Producer id
          <input
            className={`input mono ${error ? 'invalid' : ''}`}
            data-testid="producer-id"
            placeholder="orders-writer"
            value={producerId}
            onChange={(e) => setProducerId(e.target.value)}
          />
        </label>
        <label className="small inline">
          Epoch
          <input
            className="input mono tiny"
            data-testid="producer-epoch"
            value={epoch}
            onChange={(e) => setEpoch(e.target.value)}
          />
        </label>
        <label className="small inline">
          Linger ms
          <input
            className="input mono tiny"
            data-testid="producer-linger"
            value={linger}
            onChange={(e) => setLinger(e.target.value)}
          />
        </label>
        <label className="small inline">
          Batch size
          <input
            className="input mono tiny"
            data-testid="producer-batch"
            value={batch}
            onChange={(e) => setBatch(e.target.value)}
          />
        </label>
        <label className="small inline check">
          <input
            type="checkbox"
            data-testid="producer-autoclaim"
            checked={autoClaim}
            onChange={(e) => setAutoClaim(e.target.checked)}
          />
          auto-claim
        </label>
        <button type="submit" className="primary" data-testid="producer-create">
          Add producer
        </button>
      </form>
      {error && (
        <div className="error-text" role="alert" data-testid="producer-error">
          {error}
        </div>
      )}
      {mine.length === 0 ? (
        <p className="muted small pad" data-testid="producers-empty">
          No producers on this stream yet. A producer writes exactly once: give it an id, send
          messages, and watch its epoch and sequence. It survives an app restart (epoch + 1).
        </p>
      ) : (
        <div className="producer-cards">
          {mine.map((p) => (
            <ProducerCard
              key={p.id}
              producer={p}
              json={info.contentType.startsWith('application/json')}
            />
          ))}
        </div>
      )}
    </div>
  )
}
