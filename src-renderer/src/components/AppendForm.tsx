import { useState, type FormEvent } from 'react'
import type { AppendData } from '../../../src-shared/ipc/contract'
import { append } from '../store'

export function AppendForm({ contentType }: { contentType: string }) {
  const isJson = contentType.startsWith('application/json')
  const [text, setText] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [last, setLast] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  const onSubmit = async (e: FormEvent): Promise<void> => {
    e.preventDefault()
    let data: AppendData
    if (isJson) {
      try {
        data = { kind: 'json', value: JSON.parse(text) as unknown }
      } catch (err) {
        setError(`Not valid JSON: ${err instanceof Error ? err.message : String(err)}`)
        return
      }
    } else {
      if (text.length === 0) {
        setError('Enter some text to append')
        return
      }
      data = { kind: 'text', text }
    }
    setBusy(true)
    setError(null)
    try {
      setLast(await append(data))
      setText('')
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err))
    } finally {
      setBusy(false)
    }
  }

  return (
    <form className="append-form" onSubmit={(e) => void onSubmit(e)}>
      <textarea
        className={`input mono ${error ? 'invalid' : ''}`}
        data-testid="append-input"
        aria-label="Message to append"
        aria-invalid={error !== null}
        rows={2}
        placeholder={isJson ? '{"type":"hello","n":1}' : 'text to append'}
        value={text}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.metaKey || e.ctrlKey)) e.currentTarget.form?.requestSubmit()
        }}
      />
      <div className="append-actions">
        <button type="submit" className="primary" disabled={busy} data-testid="append">
          Append
        </button>
        <span className="muted small">{isJson ? 'JSON value · Ctrl+Enter' : 'Ctrl+Enter'}</span>
        {last && !error && <span className="muted small mono">→ {last}</span>}
      </div>
      {error && (
        <div className="error-text" role="alert" data-testid="append-error">
          {error}
        </div>
      )}
    </form>
  )
}
