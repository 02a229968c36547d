import { JsonTree } from '../browser/JsonTree'

/** One cell: a scalar as JSON text, an object or array collapsed to a summary that opens. */
export function ValueCell({ value }: { value: unknown }) {
  if (value === undefined) return <span className="muted">—</span>
  if (value === null || typeof value !== 'object') {
    const cls = value === null ? 'j-null' : `j-${typeof value}`
    const text = typeof value === 'string' ? value : JSON.stringify(value)
    return (
      <span className={`${cls} state-scalar`} title={text.length > 80 ? text : undefined}>
        {text.length > 200 ? `${text.slice(0, 200)}…` : text}
      </span>
    )
  }
  const n = Array.isArray(value) ? value.length : Object.keys(value).length
  const label = Array.isArray(value)
    ? `[${n} item${n === 1 ? '' : 's'}]`
    : `{${n} key${n === 1 ? '' : 's'}}`
  return (
    <details className="state-nested">
      <summary className="muted">{label}</summary>
      <JsonTree value={value} />
    </details>
  )
}
