import { useEffect, useMemo, useState } from 'react'
import { refreshStreams, selectStream, useApp } from '../../store'
import {
  checkRegistry,
  deleteStream,
  describe,
  loadBookmarks,
  toggleBookmark,
  useStreamsExtra,
} from '../../state/streams'
import { reportError } from '../../state/ui'
import { useBrowse } from '../../state/browse'
import '../browser/browser.css'
import { compactOffset } from '../browser/list-model'
import { CreateStreamDialog } from './CreateStreamDialog'

interface Row {
  path: string
  contentType: string | null
  closed: boolean | null
  /** The tail offset the server's HEAD reported (null: not known yet, or the HEAD failed). */
  nextOffset: string | null
  bookmarked: boolean
  source: string
}

/** Registry + opened + bookmarked streams, filterable, with delete and bookmarks. */
export function StreamList() {
  const { streams, streamsError, selectedPath, connectionId, connections } = useApp()
  const { bookmarks, summaries, filter, registry } = useStreamsExtra()
  // The open stream's tail, as its live read sees it (the summaries are HEADs from the listing).
  const browsePath = useBrowse((s) => s.path)
  const browseNext = useBrowse((s) => s.progress?.nextOffset ?? null)
  const kind = connections.find((c) => c.id === connectionId)?.kind
  // The embedded server always keeps a registry; another server may not (then nothing is listed).
  const fromRegistry = streams.some((s) => s.source === 'registry' || s.source === 'both')
  const unlisted = kind === 'remote' && connectionId !== null && registry[connectionId] === false
  useEffect(() => {
    if (kind !== 'remote' || !connectionId || fromRegistry || streamsError) return
    checkRegistry(connectionId).catch((err: unknown) =>
      reportError('Could not check whether the server lists its streams', err),
    )
  }, [kind, connectionId, fromRegistry, streamsError])
  const [dialog, setDialog] = useState(false)

  useEffect(() => {
    loadBookmarks().catch((err: unknown) => reportError('Could not load bookmarks', err))
  }, [connectionId])

  const rows = useMemo(() => {
    const map = new Map<string, Row>()
    for (const s of streams) {
      map.set(s.path, {
        path: s.path,
        contentType: s.contentType,
        closed: null,
        nextOffset: null,
        bookmarked: false,
        source: s.source,
      })
    }
    for (const b of bookmarks) {
      const r = map.get(b) ?? {
        path: b,
        contentType: null,
        closed: null,
        nextOffset: null,
        bookmarked: true,
        source: 'bookmark',
      }
      map.set(b, { ...r, bookmarked: true })
    }
    const q = filter.trim().toLowerCase()
    return [...map.values()]
      .map((r) => {
        const s = summaries[`${connectionId ?? ''}\n${r.path}`]
        return s
          ? {
              ...r,
              contentType: s.contentType ?? r.contentType,
              closed: s.closed,
              nextOffset: s.nextOffset,
            }
          : r
      })
      .map((r) => (r.path === browsePath && browseNext ? { ...r, nextOffset: browseNext } : r))
      .filter((r) => !q || r.path.toLowerCase().includes(q))
      .sort((a, b) => Number(b.bookmarked) - Number(a.bookmarked) || a.path.localeCompare(b.path))
  }, [streams, bookmarks, summaries, filter, connectionId, browsePath, browseNext])

  const key = rows.map((r) => r.path).join('\n')
  useEffect(() => {
    const paths = key ? key.split('\n') : []
    describe(paths).catch((err: unknown) => reportError('Could not read stream details', err))
  }, [key, streams])

  const onDelete = async (path: string): Promise<void> => {
    if (!window.confirm(`Delete stream "${path}" and all its data? This cannot be undone.`)) return
    try {
      await deleteStream(path)
    } catch (err) {
      reportError(`Could not delete ${path}`, err)
    }
  }

  return (
    <div className="stream-list-panel">
      <div className="section-title">
        <span>Streams</span>
        <div className="spacer" />
        <button className="small primary" data-testid="new-stream" onClick={() => setDialog(true)}>
          New…
        </button>
        <button className="ghost small" onClick={() => void refreshStreams()} title="Refresh list">
          Refresh
        </button>
      </div>
      <input
        className="input small-input"
        data-testid="stream-filter"
        placeholder="Filter by name"
        aria-label="Filter streams by name"
        value={filter}
        onChange={(e) => useStreamsExtra.setState({ filter: e.target.value })}
      />
      {streamsError && (
        <div className="error-text" role="alert">
          {streamsError}
        </div>
      )}
      {unlisted && !fromRegistry && !streamsError && (
        <div className="notice small" data-testid="streams-unlisted">
          This server does not list its streams (it has no{' '}
          <span className="mono">__registry__</span> stream), so only streams opened or bookmarked
          here appear below, remembered for this connection. Type a path above and press Open.
        </div>
      )}
      <ul className="stream-list" data-testid="stream-list">
        {rows.length === 0 && !streamsError && (filter || !unlisted) && (
          <li className="muted small pad" data-testid="streams-empty">
            {filter
              ? `No stream matches "${filter}".`
              : 'No streams yet. Create one with “New…”, or type a path or URL above and press Open.'}
          </li>
        )}
        {rows.map((r) => (
          <li key={r.path} className="stream-row" data-testid="stream-row" data-path={r.path}>
            <button
              className={`stream-item ${r.path === selectedPath ? 'selected' : ''}`}
              onClick={() => void selectStream(r.path)}
              title={`${r.path} (${r.source})${r.contentType ? `\n${r.contentType}` : ''}${r.nextOffset ? `\nnext offset ${r.nextOffset}` : ''}${r.closed ? '\nclosed' : ''}`}
            >
              <span className="stream-path-col">
                <span className="stream-path mono">{r.path}</span>
                {r.nextOffset !== null && (
                  <span className="stream-next mono muted" data-testid="stream-next-offset">
                    next {compactOffset(r.nextOffset)}
                  </span>
                )}
              </span>
              {r.closed && (
                <span className="badge closed" data-testid="closed-badge">
                  closed
                </span>
              )}
              <span className="badge">{shortType(r.contentType)}</span>
            </button>
            <button
              className={`icon ${r.bookmarked ? 'on' : ''}`}
              aria-label={r.bookmarked ? `Remove bookmark ${r.path}` : `Bookmark ${r.path}`}
              aria-pressed={r.bookmarked}
              data-testid="bookmark"
              onClick={() =>
                void toggleBookmark(r.path).catch((err: unknown) =>
                  reportError('Bookmark failed', err),
                )
              }
            >
              {r.bookmarked ? '★' : '☆'}
            </button>
            <button
              className="icon danger"
              aria-label={`Delete ${r.path}`}
              data-testid="delete-stream"
              onClick={() => void onDelete(r.path)}
            >
              ✕
            </button>
          </li>
        ))}
      </ul>
      {dialog && <CreateStreamDialog onClose={() => setDialog(false)} />}
    </div>
  )
}

function shortType(ct: string | null): string {
  if (!ct) return '?'
  if (ct.startsWith('application/json')) return 'json'
  if (ct.startsWith('text/')) return ct.slice(5).split(';')[0] ?? 'text'
  if (ct.startsWith('application/octet-stream')) return 'bytes'
  return ct.split(';')[0] ?? ct
}
