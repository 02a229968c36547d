import { useState } from 'react'
import { ContentTypeSchema, StreamPathSchema } from '../../../../src-shared/contract'
import type { Body } from '../../../../src-shared/contract'
import { selectStream } from '../../store'
import { createStreamAt } from '../../state/streams'
import { previewBody } from '../../state/body'
import { errorMessage } from '../../../../src-shared/error-message'
import { Dialog } from '../shell/Dialog'

type Errors = Partial<
  Record<'path' | 'contentType' | 'ttl' | 'expiresAt' | 'body' | 'form', string>
>

/** Create a stream: content type, TTL or expires-at, created closed, initial body. */
export function CreateStreamDialog({ onClose }: { onClose: () => void }) {
  const [path, setPath] = useState('')
  const [contentType, setContentType] = useState('application/json')
  const [expiry, setExpiry] = useState<'none' | 'ttl' | 'at'>('none')
  const [ttl, setTtl] = useState('3600')
  const [expiresAt, setExpiresAt] = useState('')
  const [closed, setClosed] = useState(false)
  const [body, setBody] = useState('')
  const [errors, setErrors] = useState<Errors>({})
  const [busy, setBusy] = useState(false)

  const validate = (): { errs: Errors; body?: Body } => {
    const errs: Errors = {}
    const p = StreamPathSchema.safeParse(path)
    if (!p.success) errs.path = p.error.issues[0]?.message ?? 'invalid path'
    const ct = ContentTypeSchema.safeParse(contentType)
    if (!ct.success) errs.contentType = ct.error.issues[0]?.message ?? 'invalid content type'
    if (expiry === 'ttl' && !/^\d+$/.test(ttl.trim()))
      errs.ttl = 'TTL must be a whole number of seconds ≥ 0'
    if (expiry === 'at') {
      const d = new Date(expiresAt)
      if (!expiresAt || Number.isNaN(d.getTime())) errs.expiresAt = 'Pick a date and time'
      else if (d.getTime() <= Date.now()) errs.expiresAt = 'Expires-at must be in the future'
    }
    let b: Body | undefined
    if (body.trim() !== '') {
      const json = contentType.trim().toLowerCase().startsWith('application/json')
      const pv = previewBody(json ? 'json' : 'text', body, json)
      if (pv.error || !pv.body) errs.body = pv.error ?? 'invalid body'
      else b = pv.body
    }
    return b ? { errs, body: b } : { errs }
  }

  const submit = async (): Promise<void> => {
    const { errs, body: b } = validate()
    setErrors(errs)
    if (Object.keys(errs).length > 0) return
    setBusy(true)
    try {
      const info = await createStreamAt({
        path,
        contentType: contentType.trim(),
        closed,
        ...(expiry === 'ttl' ? { ttlSeconds: Number(ttl) } : {}),
        ...(expiry === 'at' ? { expiresAt: new Date(expiresAt).toISOString() } : {}),
        ...(b ? { body: b } : {}),
      })
      onClose()
      await selectStream(info.path)
    } catch (err) {
      setErrors({ form: errorMessage(err) })
    } finally {
      setBusy(false)
    }
  }

  const err = (k: keyof Errors) =>
    errors[k] ? (
      <div className="error-text small" role="alert" data-testid={`create-${k}-error`}>
        {errors[k]}
      </div>
    ) : null

  return (
    <Dialog title="New stream" onClose={onClose} testId="create-dialog">
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault()
          void submit()
        }}
      >
        <label className="field-label" htmlFor="cs-path">
          Path
        </label>
        <input
          id="cs-path"
          autoFocus
          className={`input mono ${errors.path ? 'invalid' : ''}`}
          data-testid="cs-path"
          placeholder="orders/2024"
          value={path}
          onChange={(e) => setPath(e.target.value)}
        />
        {err('path')}
        <label className="field-label" htmlFor="cs-ct">
          Content type
        </label>
        <input
          id="cs-ct"
          list="cs-ct-list"
          className={`input mono ${errors.contentType ? 'invalid' : ''}`}
          data-testid="cs-content-type"
          value={contentType}
          onChange={(e) => setContentType(e.target.value)}
        />
        <datalist id="cs-ct-list">
          <option value="application/json" />
          <option value="text/plain" />
          <option value="application/octet-stream" />
          <option value="application/x-ndjson" />
        </datalist>
        {err('contentType')}
        <fieldset className="row">
          <legend className="field-label">Expiry</legend>
          {(['none', 'ttl', 'at'] as const).map((x) => (
            <label key={x} className="small inline check">
              <input
                type="radio"
                name="expiry"
                data-testid={`cs-expiry-${x}`}
                checked={expiry === x}
                onChange={() => setExpiry(x)}
              />
              {x === 'none' ? 'never' : x === 'ttl' ? 'TTL (sliding)' : 'expires at'}
            </label>
          ))}
        </fieldset>
        {expiry === 'ttl' && (
          <label className="small inline">
            TTL seconds
            <input
              className={`input mono ${errors.ttl ? 'invalid' : ''}`}
              data-testid="cs-ttl"
              value={ttl}
              onChange={(e) => setTtl(e.target.value)}
            />
          </label>
        )}
        {err('ttl')}
        {expiry === 'at' && (
          <input
            type="datetime-local"
            className={`input ${errors.expiresAt ? 'invalid' : ''}`}
            data-testid="cs-expires-at"
            value={expiresAt}
            onChange={(e) => setExpiresAt(e.target.value)}
          />
        )}
        {err('expiresAt')}
        <label className="field-label" htmlFor="cs-body">
          Initial body (optional; a JSON array makes several messages)
        </label>
        <textarea
          id="cs-body"
          rows={3}
          className={`input mono ${errors.body ? 'invalid' : ''}`}
          data-testid="cs-body"
          value={body}
          onChange={(e) => setBody(e.target.value)}
        />
        {err('body')}
        <label className="small inline check">
          <input
            type="checkbox"
            data-testid="cs-closed"
            checked={closed}
            onChange={(e) => setClosed(e.target.checked)}
          />
          Create closed (the initial body is its whole content)
        </label>
        {err('form')}
        <div className="row end">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={busy} data-testid="cs-submit">
            Create
          </button>
        </div>
      </form>
    </Dialog>
  )
}
