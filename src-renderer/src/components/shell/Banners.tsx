import { dismissBanner, useUi } from '../../state/ui'

/** Errors (and notices) as dismissible banners; details (name, code, status, URL) on demand. */
export function Banners() {
  const banners = useUi((s) => s.banners)
  if (banners.length === 0) return null
  return (
    <div className="banners" data-testid="banners">
      {banners.map((b) => (
        <div
          key={b.id}
          className={`banner ${b.tone}`}
          role={b.tone === 'error' ? 'alert' : 'status'}
          data-testid="banner"
          data-tone={b.tone}
        >
          <div className="banner-main">
            <strong>{b.title}</strong>
            <span>{b.message}</span>
            <div className="spacer" />
            <button
              className="ghost small"
              aria-label="Dismiss"
              data-testid="banner-dismiss"
              onClick={() => dismissBanner(b.id)}
            >
              ✕
            </button>
          </div>
          {b.details && (
            <details>
              <summary className="small">Details</summary>
              <pre className="mono small">{b.details}</pre>
            </details>
          )}
        </div>
      ))}
    </div>
  )
}
