import { useState, type FormEvent } from 'react'
import { createStream, selectStream, useApp } from '../store'
import { toPath } from '../state/streams'
import { errorMessage } from '../../../src-shared/error-message'

const TYPES = ['application/json', 'text/plain', 'application/octet-stream']

export function CreateStreamForm() {
  const [path, setPath] = useState('')
  const [contentType, setContentType] = useState(TYPES[0] ?? 'application/json')
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  const run = async (action: 'create' | 'open'): Promise<void> => {
    const trimmed = path.trim()
    if (!trimmed) {
      setError('Enter a stream path, e.g. orders or demo/events')
      return
    }
    setBusy(true)
    setError(null)
    try {
      if (action === 'create') await createStream(trimmed, contentType)
      else {
        const { connections, connectionId } = useApp.getState()
        const base = connections.find((c) => c.id === connectionId)?.baseUrl
        await selectStream(toPath(trimmed, base))
      }
      setPath('')
    } catch (err) {
      setError(errorMessage(err))
    } finally {
      setBusy(false)
    }
  }

  const onSubmit = (e: FormEvent): void => {
    e.preventDefault()
    void run('create')
  }

  return (
    <form className="create-form" onSubmit={onSubmit} aria-label="Create or open a stream">
      <label className="field-label" htmlFor="stream-path">
        Stream path or URL
      </label>
      <input
        id="stream-path"
        data-testid="stream-path"
        className={`input mono ${error ? 'invalid' : ''}`}
        placeholder="e.g. demo/events"
        value={path}
        onChange={(e) => setPath(e.target.value)}
        aria-invalid={error !== null}
        aria-describedby={error ? 'stream-path-error' : undefined}
      />
      <div className="row">
        <select
          className="input"
          aria-label="Content type"
          data-testid="content-type"
          value={contentType}
          onChange={(e) => setContentType(e.target.value)}
        >
          {TYPES.map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </select>
      </div>
      <div className="row">
        <button type="submit" className="primary" disabled={busy} data-testid="create-stream">
          Create
        </button>
        <button
          type="button"
          disabled={busy}
          onClick={() => void run('open')}
          data-testid="open-stream"
        >
          Open
        </button>
      </div>
      {error && (
        <div id="stream-path-error" className="error-text" role="alert" data-testid="create-error">
          {error}
        </div>
      )}
    </form>
  )
}
