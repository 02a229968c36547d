import { useEffect, useState } from 'react'
import { useShallow } from 'zustand/react/shallow'
import { useBrowse } from '../../state/browse'
import {
  PAGE_SIZE,
  applyFilter,
  ensureState,
  exportState,
  selectType,
  setFrom,
  useStateView,
} from '../../state/state-view'
import { KeyHistoryPanel } from './KeyHistoryPanel'
import { StateLogPanel } from './StateLogPanel'
import { StateTable } from './StateTable'
import { TimeTravel } from './TimeTravel'
import './state.css'

/** The State view: per entity type a table of the materialized state, live or as of a change. */
export function StateView() {
  const { connectionId, path } = useBrowse(
    useShallow((s) => ({ connectionId: s.connectionId, path: s.path })),
  )
  const { opening, openError, summary, history, historyError } = useStateView(
    useShallow((s) => ({
      opening: s.opening,
      openError: s.openError,
      summary: s.summary,
      history: s.history,
      historyError: s.historyError,
    })),
  )
  useEffect(() => {
    if (connectionId && path) void ensureState(connectionId, path)
  }, [connectionId, path])

  if (openError) {
    return (
      <div className="state-view pad">
        <div className="error-text" role="alert" data-testid="state-open-error">
          {openError}
        </div>
      </div>
    )
  }
  if (!summary) {
    return (
      <div className="state-view pad muted" data-testid="state-opening">
        {opening ? 'Reading the stream…' : ''}
      </div>
    )
  }
  return (
    <div className="state-view" data-testid="state-view">
      <StateToolbar />
      <TimeTravel />
      <div className="state-body">
        <div className="state-main">
          <TypeTabs />
          <StateTable />
          <Pager />
        </div>
        {history || historyError ? <KeyHistoryPanel /> : null}
      </div>
      <StateLogPanel />
    </div>
  )
}

function StateToolbar() {
  const { counters, state, upToDate, looksLike, filterText, filterPath, filterError, exportError } =
    useStateView(
      useShallow((s) => ({
        counters: s.summary?.counters,
        state: s.summary?.state,
        upToDate: s.summary?.upToDate ?? false,
        looksLike: s.summary?.looksLikeState ?? false,
        filterText: s.filterText,
        filterPath: s.filterPath,
        filterError: s.filterError,
        exportError: s.exportError,
      })),
    )
  const [text, setText] = useState(filterText)
  const [pathFilter, setPathFilter] = useState(filterPath)
  if (!counters) return null
  return (
    <div className="state-toolbar">
      <div className="state-counters" data-testid="state-counters" aria-label="Change counters">
        <span className="state-count ins" title="insert operations">
          +{counters.insert} insert
        </span>
        <span className="state-count upd" title="update (and upsert) operations">
          ~{counters.update + counters.upsert} update
        </span>
        <span className="state-count del" title="delete operations">
          −{counters.delete} delete
        </span>
        {counters.reset > 0 ? <span className="state-count">{counters.reset} reset</span> : null}
        <span className="muted small">
          {counters.messages} message{counters.messages === 1 ? '' : 's'} · {state}
          {upToDate ? ' · up to date' : ''}
        </span>
        {!looksLike && counters.messages > 0 ? (
          <span
            className="state-badge warn"
            title="Most of the first messages are not State Protocol messages"
          >
            not State Protocol
          </span>
        ) : null}
      </div>
      <form
        className="state-filter"
        onSubmit={(e) => {
          e.preventDefault()
          applyFilter(text, pathFilter)
        }}
      >
        <input
          aria-label="Search keys and values"
          placeholder="Search key or value"
          value={text}
          onChange={(e) => setText(e.target.value)}
        />
        <input
          aria-label="Filter by value path"
          className="mono"
          placeholder='$.status == "open"'
          value={pathFilter}
          onChange={(e) => setPathFilter(e.target.value)}
        />
        <button type="submit" className="small">
          Filter
        </button>
        {filterError ? (
          <span className="error-text small" role="alert" data-testid="state-filter-error">
            {filterError}
          </span>
        ) : null}
      </form>
      <button className="small" onClick={() => void exportState()}>
        Export JSON
      </button>
      {exportError ? (
        <span className="error-text small" role="alert">
          {exportError}
        </span>
      ) : null}
    </div>
  )
}

function TypeTabs() {
  const { types, type } = useStateView(
    useShallow((s) => ({ types: s.summary?.types ?? [], type: s.type })),
  )
  if (types.length === 0) {
    return (
      <p className="muted pad" data-testid="state-empty">
        No entities in this state.
      </p>
    )
  }
  return (
    <div className="state-tabs" role="tablist" aria-label="Entity types">
      {types.map((t) => (
        <button
          key={t.type}
          role="tab"
          aria-selected={t.type === type}
          className={t.type === type ? 'active' : ''}
          onClick={() => selectType(t.type)}
        >
          <span className="mono">{t.type}</span> <span className="muted">{t.rows}</span>
        </button>
      ))}
    </div>
  )
}

function Pager() {
  const { from, total, unfiltered, pageError } = useStateView(
    useShallow((s) => ({
      from: s.from,
      total: s.page?.total ?? 0,
      unfiltered: s.page?.unfiltered ?? 0,
      pageError: s.pageError,
    })),
  )
  return (
    <div className="state-pager small">
      {pageError ? (
        <span className="error-text" role="alert">
          {pageError}
        </span>
      ) : null}
      <span className="muted" data-testid="state-row-count">
        {total === 0
          ? 'no rows'
          : `rows ${from + 1}–${Math.min(total, from + PAGE_SIZE)} of ${total}`}
        {total !== unfiltered ? ` (filtered from ${unfiltered})` : ''}
      </span>
      <button className="small" disabled={from === 0} onClick={() => setFrom(from - PAGE_SIZE)}>
        Previous
      </button>
      <button
        className="small"
        disabled={from + PAGE_SIZE >= total}
        onClick={() => setFrom(from + PAGE_SIZE)}
      >
        Next
      </button>
    </div>
  )
}
