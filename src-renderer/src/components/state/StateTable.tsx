import { useShallow } from 'zustand/react/shallow'
import { showHistory, useStateView } from '../../state/state-view'
import { ValueCell } from './ValueCell'

/** The shown page of one table: key, then one column per inferred value field. */
export function StateTable() {
  const { page, type, flash, flashSeq, live, selectedKey } = useStateView(
    useShallow((s) => ({
      page: s.page,
      type: s.type,
      flash: s.flash,
      flashSeq: s.flashSeq,
      live: s.summary?.position.live ?? true,
      selectedKey: s.history?.type === s.type ? s.history.key : null,
    })),
  )
  if (!page || !type) return null
  const columns = page.columns
  const scalarColumn = page.scalars || columns.length === 0
  return (
    <div className="state-table-wrap">
      <table className="state-table" aria-label={`${type} rows`} data-testid="state-table">
        <thead>
          <tr>
            <th scope="col">key</th>
            {columns.map((c) => (
              <th scope="col" key={c} className="mono">
                {c}
              </th>
            ))}
            {scalarColumn ? <th scope="col">value</th> : null}
          </tr>
        </thead>
        <tbody>
          {page.rows.map((r) => {
            const obj =
              r.value !== null && typeof r.value === 'object' && !Array.isArray(r.value)
                ? (r.value as Record<string, unknown>)
                : null
            const flashing = live && flash.has(r.key)
            return (
              <tr
                // A new key for each flash restarts the highlight animation.
                key={flashing ? `${r.key}\u0000${flashSeq}` : r.key}
                className={`${flashing ? 'flash' : ''} ${selectedKey === r.key ? 'selected' : ''}`}
                data-key={r.key}
              >
                <th scope="row" className="mono">
                  <button
                    className="link"
                    title="Show this key's history"
                    onClick={() => void showHistory(type, r.key)}
                  >
                    {r.key}
                  </button>
                </th>
                {columns.map((c) => (
                  <td key={c}>
                    <ValueCell value={obj ? obj[c] : undefined} />
                  </td>
                ))}
                {scalarColumn ? (
                  <td>{obj ? <span className="muted">—</span> : <ValueCell value={r.value} />}</td>
                ) : null}
              </tr>
            )
          })}
        </tbody>
      </table>
      {page.rows.length === 0 ? (
        <p className="muted pad" data-testid="state-no-rows">
          {page.unfiltered > 0 ? 'No row matches the filter.' : 'This table is empty here.'}
        </p>
      ) : null}
    </div>
  )
}
