import { refreshStreams, selectStream, useApp } from '../store'
import { CreateStreamForm } from './CreateStreamForm'

export function Sidebar() {
  const { streams, streamsError, selectedPath } = useApp()
  return (
    <aside className="sidebar">
      <CreateStreamForm />
      <div className="section-title">
        <span>Streams</span>
        <button className="ghost small" onClick={() => void refreshStreams()} title="Refresh list">
          Refresh
        </button>
      </div>
      {streamsError && (
        <div className="error-text" role="alert">
          {streamsError}
        </div>
      )}
      <ul className="stream-list" data-testid="stream-list">
        {streams.length === 0 && !streamsError && (
          <li className="muted small pad">No streams yet</li>
        )}
        {streams.map((s) => (
          <li key={s.path}>
            <button
              className={`stream-item ${s.path === selectedPath ? 'selected' : ''}`}
              onClick={() => void selectStream(s.path)}
              title={s.path}
            >
              <span className="stream-path mono">{s.path}</span>
              <span className="badge">{shortType(s.contentType)}</span>
            </button>
          </li>
        ))}
      </ul>
    </aside>
  )
}

function shortType(ct: string | null): string {
  if (!ct) return '?'
  if (ct.startsWith('application/json')) return 'json'
  if (ct.startsWith('text/')) return ct.slice(5).split(';')[0] ?? 'text'
  if (ct.startsWith('application/octet-stream')) return 'bytes'
  return ct.split(';')[0] ?? ct
}
