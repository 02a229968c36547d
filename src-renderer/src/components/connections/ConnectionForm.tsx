import { useState } from 'react'
import type { ConnectionInfo } from '../../../../src-shared/contract'
import {
  ConnectionDraftSchema,
  type ConnectionDraft,
  type ConnectionTestResult,
} from '../../../../src-shared/contract'
import { saveConnection, testConnection } from '../../state/connections'
import { errorMessage } from '../../../../src-shared/error-message'
import { TestLine } from './TestLine'

interface HeaderRow {
  name: string
  /** Empty with `stored`: keep the saved secret. */
  value: string
  stored: boolean
}

/** Add or edit a profile. Saved header values are never shown again (masked). */
export function ConnectionForm({
  initial,
  onDone,
}: {
  initial: ConnectionInfo | null
  onDone: () => void
}) {
  const [name, setName] = useState(initial?.name ?? '')
  const [baseUrl, setBaseUrl] = useState(initial?.baseUrl ?? 'http://')
  const [headers, setHeaders] = useState<HeaderRow[]>(
    initial?.headerNames.map((n) => ({ name: n, value: '', stored: true })) ?? [],
  )
  const [error, setError] = useState<{ field: string; message: string } | null>(null)
  const [test, setTest] = useState<ConnectionTestResult | string | null>(null)
  const [testing, setTesting] = useState(false)

  const draft = (): ConnectionDraft | null => {
    const d: ConnectionDraft = {
      ...(initial ? { id: initial.id } : {}),
      name,
      baseUrl,
      headers: headers.map((h) =>
        h.stored && h.value === '' ? { name: h.name } : { name: h.name, value: h.value },
      ),
    }
    const r = ConnectionDraftSchema.safeParse(d)
    if (!r.success) {
      const issue = r.error.issues[0]
      setError({ field: String(issue?.path[0] ?? 'form'), message: issue?.message ?? 'invalid' })
      return null
    }
    const missing = headers.find((h) => !h.stored && h.value === '')
    if (missing) {
      setError({
        field: 'headers',
        message: `Header "${missing.name || '(unnamed)'}" needs a value`,
      })
      return null
    }
    setError(null)
    return d
  }

  const save = async (): Promise<void> => {
    const d = draft()
    if (!d) return
    try {
      await saveConnection(d)
      onDone()
    } catch (err) {
      const e = err as { details?: { field?: unknown } }
      setError({
        field: typeof e.details?.field === 'string' ? e.details.field : 'form',
        message: errorMessage(err),
      })
    }
  }

  const runTest = async (): Promise<void> => {
    const d = draft()
    if (!d) return
    setTest(null)
    setTesting(true)
    try {
      setTest(await testConnection({ draft: d }))
    } catch (err) {
      setTest(errorMessage(err))
    } finally {
      setTesting(false)
    }
  }

  const fieldError = (f: string) =>
    error?.field === f ? (
      <div className="error-text small" role="alert" data-testid={`conn-${f}-error`}>
        {error.message}
      </div>
    ) : null

  return (
    <form
      className="form"
      data-testid="connection-form"
      onSubmit={(e) => {
        e.preventDefault()
        void save()
      }}
    >
      <label className="field-label" htmlFor="cf-name">
        Name
      </label>
      <input
        id="cf-name"
        className="input"
        data-testid="conn-name"
        value={name}
        onChange={(e) => setName(e.target.value)}
        placeholder="Staging"
      />
      {fieldError('name')}
      <label className="field-label" htmlFor="cf-url">
        Base URL
      </label>
      <input
        id="cf-url"
        className="input mono"
        data-testid="conn-url"
        value={baseUrl}
        onChange={(e) => setBaseUrl(e.target.value)}
        placeholder="https://streams.example.com/v1/stream"
      />
      {fieldError('baseUrl')}
      <div className="field-label">
        Headers (values are stored as secrets and never shown again)
      </div>
      {headers.map((h, i) => (
        <div className="row" key={i} data-testid="conn-header">
          <input
            className="input mono"
            aria-label="Header name"
            data-testid="conn-header-name"
            value={h.name}
            placeholder="Authorization"
            onChange={(e) =>
              setHeaders(headers.map((x, j) => (j === i ? { ...x, name: e.target.value } : x)))
            }
          />
          <input
            className="input mono"
            type="password"
            autoComplete="off"
            aria-label="Header value"
            data-testid="conn-header-value"
            value={h.value}
            placeholder={h.stored ? '•••••• (saved; type to replace)' : 'Bearer …'}
            onChange={(e) =>
              setHeaders(headers.map((x, j) => (j === i ? { ...x, value: e.target.value } : x)))
            }
          />
          <button
            type="button"
            className="ghost small"
            aria-label="Remove header"
            onClick={() => setHeaders(headers.filter((_x, j) => j !== i))}
          >
            ✕
          </button>
        </div>
      ))}
      {fieldError('headers')}
      <button
        type="button"
        className="small"
        data-testid="conn-add-header"
        onClick={() =>
          setHeaders([...headers, { name: 'Authorization', value: '', stored: false }])
        }
      >
        + Header
      </button>
      {fieldError('form')}
      {testing && (
        <div className="muted small" data-testid="test-running">
          Testing {baseUrl}… (gives up after 5 s)
        </div>
      )}
      {test !== null && <TestLine result={test} />}
      <div className="row end">
        <button type="button" onClick={onDone}>
          Cancel
        </button>
        <button
          type="button"
          data-testid="conn-test"
          disabled={testing}
          onClick={() => void runTest()}
        >
          {testing ? 'Testing…' : 'Test'}
        </button>
        <button type="submit" className="primary" data-testid="conn-save">
          Save
        </button>
      </div>
    </form>
  )
}
