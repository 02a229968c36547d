import { lazy, Suspense, useState } from 'react'
import type { TailMessage } from '../../../src-shared/ipc/contract'
import { useApp } from '../store'
import { StreamTools } from './shell/StreamTools'
import { MessageList } from './MessageList'

// Monaco is loaded on demand, from the local bundle.
const MessageDetail = lazy(() => import('./MessageDetail'))

export function StreamView() {
  const { selectedPath, streamInfo, streamError, tail } = useApp()
  const [detail, setDetail] = useState<TailMessage | null>(null)
  if (streamError) {
    return (
      <div className="stream-view">
        <h2 className="mono">{selectedPath}</h2>
        <div className="error-text" role="alert" data-testid="stream-error">
          {streamError}
        </div>
      </div>
    )
  }
  if (!streamInfo) return <div className="stream-view muted pad">Opening {selectedPath}…</div>
  const closed = tail?.closed ?? streamInfo.closed
  return (
    <div className="stream-view">
      <div className="stream-header">
        <div>
          <h2 className="mono" data-testid="stream-title">
            {streamInfo.path}
          </h2>
          <div className="meta">
            <span className="badge">{streamInfo.contentType}</span>
            <span className="muted">next offset</span>
            <span className="mono" data-testid="next-offset">
              {tail?.nextOffset && tail.nextOffset !== '-1'
                ? tail.nextOffset
                : streamInfo.nextOffset}
            </span>
            <span className={`state ${tail?.state ?? 'connecting'}`} data-testid="tail-state">
              {closed ? 'closed' : (tail?.state ?? 'connecting')}
            </span>
          </div>
        </div>
      </div>
      <StreamTools info={streamInfo} closed={closed} />
      {tail?.error && (
        <div className="error-text" role="alert">
          Tail error: {tail.error}
        </div>
      )}
      {tail && (tail.dropped > 0 || tail.trimmed > 0) && (
        <div className="warning" data-testid="dropped">
          {tail.dropped > 0 && `Dropped ${tail.dropped} messages (renderer fell behind). `}
          {tail.trimmed > 0 &&
            `Showing the latest ${tail.messages.length}; ${tail.trimmed} older hidden.`}
        </div>
      )}
      <MessageList messages={tail?.messages ?? []} onSelect={setDetail} selected={detail} />
      {detail && (
        <Suspense fallback={<div className="muted pad">Loading editor…</div>}>
          <MessageDetail message={detail} onClose={() => setDetail(null)} />
        </Suspense>
      )}
    </div>
  )
}
