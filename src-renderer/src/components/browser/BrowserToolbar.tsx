import { useEffect, useState } from 'react'
import { useShallow } from 'zustand/react/shallow'
import {
  jumpToOffset,
  offsetProblem,
  openSession,
  runSearch,
  setView,
  useBrowse,
} from '../../state/browse'

/** Start position, jump to offset, and client-side search with its match count. */
export function BrowserToolbar({
  searchRef,
}: {
  searchRef: React.RefObject<HTMLInputElement | null>
}) {
  const { connectionId, path, start, openError, jumpError, searchError, view, live } = useBrowse(
    useShallow((s) => ({
      connectionId: s.connectionId,
      path: s.path,
      start: s.start,
      openError: s.openError,
      jumpError: s.jumpError,
      searchError: s.searchError,
      view: s.view,
      live: s.live,
    })),
  )
  const startRejected = useBrowse((s) => s.startRejected)
  // Only what the match count shows: progress events that leave it unchanged render nothing here.
  const matchCount = useBrowse((s) => s.progress?.matchCount ?? null)
  const searching = useBrowse((s) => s.progress?.searching === true)
  const [startKind, setStartKind] = useState(start === '-1' || start === 'now' ? start : 'offset')
  const [startOffset, setStartOffset] = useState(start === '-1' || start === 'now' ? '' : start)
  const [startError, setStartError] = useState<string | null>(null)
  // Follow the start the session was opened with (deep links open at an offset).
  useEffect(() => {
    setStartKind(start === '-1' || start === 'now' ? start : 'offset')
    if (start !== '-1' && start !== 'now') setStartOffset(start)
  }, [start])
  const [jump, setJump] = useState('')
  const [text, setText] = useState('')
  const [pathFilter, setPathFilter] = useState('')

  const restart = (): void => {
    if (!connectionId || !path) return
    const from = startKind === 'offset' ? startOffset.trim() : startKind
    const problem = offsetProblem(from)
    if (problem) {
      // Checked here, not sent: the list keeps reading from where it was.
      setStartError(problem)
      return
    }
    setStartError(null)
    // A typed offset is kept only once the server accepts it (see onProgress).
    void openSession(connectionId, path, from, live, startKind === 'offset' ? start : null)
  }
  return (
    <div className="browser-toolbar">
      <form
        className="tool-group"
        onSubmit={(e) => {
          e.preventDefault()
          restart()
        }}
      >
        <label className="small muted" htmlFor="start-kind">
          Start
        </label>
        <select
          id="start-kind"
          data-testid="start-kind"
          value={startKind}
          onChange={(e) => setStartKind(e.target.value)}
        >
          <option value="-1">beginning (-1)</option>
          <option value="now">now</option>
          <option value="offset">offset…</option>
        </select>
        {startKind === 'offset' && (
          <input
            className="input mono narrow"
            data-testid="start-offset"
            aria-label="Start offset"
            placeholder="paste offset"
            value={startOffset}
            onChange={(e) => setStartOffset(e.target.value)}
            aria-invalid={startError !== null}
          />
        )}
        <button type="submit" className="ghost small" data-testid="start-apply">
          Read
        </button>
        {(startError ?? startRejected ?? openError) && (
          <span className="error-text small" role="alert" data-testid="start-error">
            {startError ?? startRejected ?? openError}
          </span>
        )}
      </form>
      <form
        className="tool-group"
        onSubmit={(e) => {
          e.preventDefault()
          const problem = offsetProblem(jump.trim())
          if (problem) {
            useBrowse.setState({ jumpError: problem })
            return
          }
          void jumpToOffset(jump)
        }}
      >
        <input
          className="input mono narrow"
          data-testid="jump-offset"
          aria-label="Jump to offset"
          placeholder="jump to offset"
          value={jump}
          onChange={(e) => setJump(e.target.value)}
          aria-invalid={jumpError !== null}
        />
        <button type="submit" className="ghost small" data-testid="jump-go">
          Go
        </button>
        {jumpError && (
          <span className="error-text small" role="alert" data-testid="jump-error">
            {jumpError}
          </span>
        )}
      </form>
      <form
        className="tool-group grow"
        onSubmit={(e) => {
          e.preventDefault()
          void runSearch(text, pathFilter)
        }}
      >
        <input
          ref={searchRef}
          className="input"
          data-testid="search-text"
          aria-label="Search text"
          placeholder="search text  ( / )"
          value={text}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Escape') e.currentTarget.blur()
          }}
        />
        <input
          className="input mono"
          data-testid="search-path"
          aria-label="JSON path filter"
          placeholder='$.type == "order"'
          title='JSON path filter, e.g. $.type == "order"'
          value={pathFilter}
          onChange={(e) => setPathFilter(e.target.value)}
          aria-invalid={searchError !== null}
        />
        <button type="submit" className="ghost small" data-testid="search-go">
          Search
        </button>
        {/* A count is only shown for a search that ran: not next to a syntax error. */}
        {!searchError && matchCount !== null && (
          <>
            <span className="badge" data-testid="match-count">
              {searching ? 'searching… ' : ''}
              {matchCount} {matchCount === 1 ? 'match' : 'matches'}
            </span>
            <button
              type="button"
              className="ghost small"
              data-testid="toggle-view"
              onClick={() => setView(view === 'matches' ? 'all' : 'matches')}
            >
              {view === 'matches' ? 'Show all' : 'Only matches'}
            </button>
            <button
              type="button"
              className="ghost small"
              onClick={() => {
                setText('')
                setPathFilter('')
                void runSearch('', '')
              }}
            >
              Clear
            </button>
          </>
        )}
        {searchError && (
          <span
            className="error-text small"
            role="alert"
            data-testid="search-error"
            title={searchError}
          >
            {searchError}
          </span>
        )}
      </form>
    </div>
  )
}
