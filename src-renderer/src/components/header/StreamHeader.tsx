import { useEffect, useState } from 'react'
import { copyCurl, refreshHeader, useBrowse } from '../../state/browse'
import { formatDsiUrl, formatHash } from '../../state/deeplink'
import { Countdown } from './Countdown'

/** Stream metadata (HEAD) with refresh, copy URL, copy as curl and copy link. */
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
  const nextOffset =
    progress && progress.total > 0 && progress.nextOffset > header.nextOffset
      ? progress.nextOffset
      : header.nextOffset
  const copy = async (what: string, f: () => Promise<unknown>): Promise<void> => {
    try {
      await f()
      setNote(`Copied ${what}`)
    } catch (err) {
      setNote(`Could not copy ${what}: ${err instanceof Error ? err.message : String(err)}`)
    }
  }
  const link = {
    connectionId: connectionId ?? '',
    path: header.path,
    offset: selected?.startOffset ?? null,
  }
  return (
    <div className="stream-head" data-testid="stream-header">
      <div className="head-title">
        <h2 className="mono" data-testid="stream-title">
          {header.path}
        </h2>
        <span className={`state ${closed ? 'closed' : 'live'}`} data-testid="open-state">
          {closed ? 'closed' : 'open'}
        </span>
        <div className="spacer" />
        <button
          className="ghost small"
          data-testid="refresh-header"
          onClick={() => void refreshHeader()}
        >
          ↻ Refresh
        </button>
        <button
          className="ghost small"
          data-testid="copy-url"
          onClick={() => void copy('URL', () => navigator.clipboard.writeText(header.url))}
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
            void copy('link', () =>
              navigator.clipboard.writeText(
                `${window.location.origin}${window.location.pathname}${formatHash(link)}`,
              ),
            )
          }
        >
          Copy link
        </button>
      </div>
      <dl className="head-grid small">
        <dt>Content type</dt>
        <dd className="mono" data-testid="h-content-type">
          {header.contentType}
        </dd>
        <dt>Next offset</dt>
        <dd className="mono" data-testid="next-offset">
          {nextOffset}
        </dd>
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
        <dt>Expires at</dt>
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
        <dt>ETag</dt>
        <dd className="mono" data-testid="h-etag">
          {header.etag ?? <span className="muted">none</span>}
        </dd>
        <dt>Cache-Control</dt>
        <dd className="mono" data-testid="h-cache-control">
          {header.cacheControl ?? <span className="muted">none</span>}
        </dd>
      </dl>
      {headerError && (
        <div className="error-text small" role="alert" data-testid="header-error">
          {headerError}
        </div>
      )}
      {note && (
        <div className="muted small" role="status" data-testid="copy-note">
          {note}
        </div>
      )}
    </div>
  )
}
