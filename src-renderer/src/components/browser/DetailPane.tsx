import { lazy, Suspense, useState } from 'react'
import { select, useBrowse, type DetailFormat } from '../../state/browse'
import { forkThrough, setReplayFrom, setReplayTo } from '../../state/tools'
import { byteSize, clock, decodeBase64, fullText, hexDump } from './format'
import { JsonTree } from './JsonTree'
import { messageAddress } from './list-model'

const MonacoView = lazy(() => import('./MonacoView'))

/** The selected message in full, with its metadata; JSON collapsed / pretty / tree. */
export function DetailPane() {
  const row = useBrowse((s) =>
    s.selected === null ? (s.held ?? undefined) : (s.rows.get(s.selected) ?? undefined),
  )
  const format = useBrowse((s) => s.format)
  const [copied, setCopied] = useState<string | null>(null)
  if (!row) {
    return (
      <div className="detail-pane empty-detail muted pad" data-testid="detail-empty">
        Select a message (click, or j/k then Enter) to see it in full with its offsets.
      </div>
    )
  }
  const p = row.payload
  const copy = async (what: string, text: string): Promise<void> => {
    try {
      await navigator.clipboard.writeText(text)
      setCopied(what)
    } catch (err) {
      setCopied(`copy failed: ${err instanceof Error ? err.message : String(err)}`)
    }
  }
  return (
    <div className="detail-pane" data-testid="message-detail">
      <div className="detail-bar">
        <strong>#{row.index + 1}</strong>
        {p.kind === 'json' && (
          <div className="seg" role="group" aria-label="JSON format">
            {(['collapsed', 'pretty', 'tree'] as DetailFormat[]).map((f) => (
              <button
                key={f}
                className={`ghost small${format === f ? ' on' : ''}`}
                aria-pressed={format === f}
                data-testid={`format-${f}`}
                onClick={() => useBrowse.setState({ format: f })}
              >
                {f}
              </button>
            ))}
          </div>
        )}
        <div className="spacer" />
        <button
          className="ghost small"
          data-testid="copy-message"
          onClick={() => void copy('message', fullText(p))}
        >
          Copy
        </button>
        <button
          className="ghost small"
          data-testid="copy-address"
          onClick={() => void copy('address', messageAddress(row))}
          title={`This message's address: the offset its batch was read from, and its index in that batch (${messageAddress(row)}). An offset alone names a batch, not a message.`}
        >
          Copy address
        </button>
        <button
          className="ghost small detail-close"
          onClick={() => select(null)}
          aria-label="Close detail"
          title="Close the detail"
        >
          ✕
        </button>
      </div>
      <div className="detail-bar detail-actions" role="group" aria-label="Use this message">
        <span className="muted small nowrap" title="The replay / export range">
          Range:
        </span>
        <button
          className="ghost small"
          data-testid="range-start"
          title={`Range starts with this message's batch (reads from ${row.startOffset})`}
          onClick={() => setReplayFrom(row)}
        >
          Start
        </button>
        <button
          className="ghost small"
          data-testid="range-end"
          title={`Range ends with this message's batch (up to ${row.endOffset})`}
          onClick={() => setReplayTo(row)}
        >
          End
        </button>
        <div className="spacer" />
        <button
          className="ghost small"
          data-testid="fork-here"
          title={`A new stream with messages #1–#${row.index + 1} of this one (up to and including this message)`}
          onClick={() =>
            forkThrough({ ...row, json: p.kind === 'json', viewStart: useBrowse.getState().start })
          }
        >
          Fork through here…
        </button>
      </div>
      {copied && (
        <div className="muted small pad-x" data-testid="copied">
          Copied {copied}
        </div>
      )}
      <dl className="meta-grid small" data-testid="detail-meta">
        <dt>Batch range</dt>
        <dd className="mono">
          {row.startOffset} → {row.endOffset}
        </dd>
        <dt>Address</dt>
        <dd>
          <span className="mono">{messageAddress(row)}</span>{' '}
          <span className="muted">
            (message {row.inBatch + 1} of {row.batchSize} in its batch)
          </span>
        </dd>
        <dt>Arrived</dt>
        <dd className="mono">
          {clock(row.receivedAt)} ({row.phase})
        </dd>
        <dt>Size</dt>
        <dd>
          {byteSize(p)} bytes · {p.kind}
        </dd>
      </dl>
      <div className="detail-body" data-testid="detail-body">
        {p.kind === 'bytes' ? (
          <pre className="mono hex" data-testid="hex-dump">
            {/* 8 bytes a line: offset, hex and ASCII fit the pane at its default width. */}
            {hexDump(decodeBase64(p.base64), undefined, 8)}
          </pre>
        ) : p.kind === 'text' ? (
          <pre className="mono wrap">{p.text}</pre>
        ) : format === 'tree' ? (
          <JsonTree value={p.value} />
        ) : format === 'collapsed' ? (
          <pre className="mono wrap" data-testid="json-collapsed">
            {JSON.stringify(p.value)}
          </pre>
        ) : (
          <Suspense fallback={<div className="muted pad">Loading editor…</div>}>
            <MonacoView text={fullText(p)} language="json" />
          </Suspense>
        )}
      </div>
    </div>
  )
}
