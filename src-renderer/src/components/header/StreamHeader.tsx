import { useEffect, useState } from 'react'
import { copyCurl, refreshHeader, useBrowse } from '../../state/browse'
import { formatDsiUrl, formatHash } from '../../state/deeplink'
import { Countdown } from './Countdown'
import { MiddleValue } from './MiddleValue'
import { errorMessage } from '../../../../src-shared/error-message'

/**
 * Stream metadata (HEAD) in two compact lines: the path, state and actions; then content
 * type, next offset, TTL, expiry, ETag and cache-control (long values truncated in the middle,
 * full value in the tooltip and a copy button).
 */
export function StreamHeader() {
  const header = useBrowse((s) => s.header)
  const headerError = useBrowse((s) => s.headerError)
  const progress = useBrowse((s) => s.progress)
  const connectionId = useBrowse((s) => s.connectionId)
  const selected = useBrowse((s) => (s.selected === null ? undefined : s.rows.get(s.selected)))
  const [note, setNote] = useState<string | null>(null)
  useEffect(() => {
    if (!note) return
    const t = setTimeout(() => setNote(null), 4000)
    return () => clearTimeout(t)
  }, [note])
  if (!header) return null
  const closed = progress?.closed || header.closed
  // The header is from when the stream was opened; a later 404 (deleted since) overrides it.
  const gone = progress?.error?.status === 404
  const nextOffset =
    progress && progress.total > 0 && progress.nextOffset > header.nextOffset
      ? progress.nextOffset
      : header.nextOffset
  const copy = async (what: string, f: () => Promise<unknown>): Promise<void> => {
    try {
      await f()
      setNote(`Copied ${what}`)
    } catch (err) {
      setNote(`Could not copy ${what}: ${errorMessage(err)}`)
    }
  }
  const copyText = (what: string, text: string): void =>
    void copy(what, () => navigator.clipboard.writeText(text))
  const link = {
    connectionId: connectionId ?? '',
    path: header.path,
    offset: selected?.startOffset ?? null,
  }
  return (
    <div className="stream-head" data-testid="stream-header">
      <div className="head-title">
        <h2 className="mono" data-testid="stream-title" title={header.url}>
          {header.path}
        </h2>
        <span
          className={`state ${gone ? 'error' : closed ? 'closed' : 'live'}`}
          data-testid="open-state"
          title={
            gone ? 'The last read got 404: the stream was deleted (or never existed)' : undefined
          }
        >
          {gone ? 'not found' : closed ? 'closed' : 'open'}
        </span>
        <span className="badge mono" data-testid="h-content-type" title="Content type">
          {header.contentType}
        </span>
        <div className="spacer" />
        {note && (
          <span className="muted small head-note" role="status" data-testid="copy-note">
            {note}
          </span>
        )}
        <button
          className="ghost small"
          data-testid="refresh-header"
          aria-label="Refresh stream metadata"
          title="HEAD the stream again"
          onClick={() => void refreshHeader()}
        >
          ↻ Refresh
        </button>
        <button
          className="ghost small"
          data-testid="copy-url"
          onClick={() => copyText('URL', header.url)}
        >
          Copy URL
        </button>
        <button
          className="ghost small"
          data-testid="copy-curl"
          onClick={() => void copy('curl command', copyCurl)}
        >
          Copy as curl
        </button>
        <button
          className="ghost small"
          data-testid="copy-link"
          title={`${formatDsiUrl(link)} (desktop) — the web build uses the page URL`}
          onClick={() =>
            copyText(
              'link',
              `${window.location.origin}${window.location.pathname}${formatHash(link)}`,
            )
          }
        >
          Copy link
        </button>
      </div>
      <dl className="head-line small">
        <div>
          <dt>Next offset</dt>
          <dd>
            <MiddleValue
              value={nextOffset}
              label="next offset"
              max={22}
              testId="next-offset"
              onCopy={copyText}
            />
          </dd>
        </div>
        <div>
          <dt>TTL</dt>
          <dd data-testid="h-ttl">
            {header.ttlSeconds === null ? (
              <span className="muted">none</span>
            ) : (
              <>
                {header.ttlSeconds}s sliding ·{' '}
                <Countdown
                  until={header.fetchedAt + header.ttlSeconds * 1000}
                  testId="ttl-countdown"
                />
              </>
            )}
          </dd>
        </div>
        <div>
          <dt>Expires</dt>
          <dd data-testid="h-expires">
            {header.expiresAt === null ? (
              <span className="muted">never</span>
            ) : (
              <>
                <span className="mono">{header.expiresAt}</span> ·{' '}
                <Countdown until={Date.parse(header.expiresAt)} testId="expires-countdown" />
              </>
            )}
          </dd>
        </div>
        <div>
          <dt>ETag</dt>
          <dd>
            {header.etag === null ? (
              <span className="muted" data-testid="h-etag">
                none
              </span>
            ) : (
              <MiddleValue
                value={header.etag}
                label="ETag"
                max={18}
                testId="h-etag"
                onCopy={copyText}
              />
            )}
          </dd>
        </div>
        <div>
          <dt title="Cache-Control">Cache</dt>
          <dd className="mono" data-testid="h-cache-control">
            {header.cacheControl ?? <span className="muted">none</span>}
          </dd>
        </div>
      </dl>
      {headerError && (
        <div className="error-text small" role="alert" data-testid="header-error">
          {headerError}
        </div>
      )}
    </div>
  )
}
