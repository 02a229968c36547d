/** Collapsible JSON tree (native <details>, keyboard accessible). */
function Leaf({ value }: { value: unknown }) {
  const cls = value === null ? 'j-null' : `j-${typeof value}`
  return <span className={cls}>{JSON.stringify(value)}</span>
}

function Node({ name, value, depth }: { name: string | null; value: unknown; depth: number }) {
  const label = name === null ? null : <span className="j-key">{name}: </span>
  if (value === null || typeof value !== 'object') {
    return (
      <div className="j-row">
        {label}
        <Leaf value={value} />
      </div>
    )
  }
  const entries = Array.isArray(value)
    ? value.map((v, i): [string, unknown] => [String(i), v])
    : Object.entries(value as Record<string, unknown>)
  const brackets = Array.isArray(value) ? ['[', ']'] : ['{', '}']
  return (
    <details open={depth < 2} className="j-node">
      <summary>
        {label}
        <span className="muted">
          {brackets[0]}
          {entries.length} {Array.isArray(value) ? 'item' : 'key'}
          {entries.length === 1 ? '' : 's'}
          {brackets[1]}
        </span>
      </summary>
      <div className="j-children">
        {entries.map(([k, v]) => (
          <Node key={k} name={k} value={v} depth={depth + 1} />
        ))}
      </div>
    </details>
  )
}

export function JsonTree({ value }: { value: unknown }) {
  return (
    <div className="json-tree mono" data-testid="json-tree">
      <Node name={null} value={value} depth={0} />
    </div>
  )
}
