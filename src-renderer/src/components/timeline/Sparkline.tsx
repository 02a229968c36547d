/** Throughput sparkline: messages per second over the last 60 s. */
export function Sparkline({
  values,
  width = 180,
  height = 30,
}: {
  values: number[]
  width?: number
  height?: number
}) {
  const max = Math.max(1, ...values)
  const step = values.length > 1 ? width / (values.length - 1) : width
  const points = values
    .map((v, i) => `${(i * step).toFixed(1)},${(height - 2 - (v / max) * (height - 4)).toFixed(1)}`)
    .join(' ')
  return (
    <div className="sparkline" data-testid="sparkline" title={`last 60 s, peak ${max} msg/s`}>
      <svg
        width={width}
        height={height}
        role="img"
        aria-label={`throughput, peak ${max} messages per second`}
      >
        <polyline points={`0,${height} ${points} ${width},${height}`} className="spark-fill" />
        <polyline points={points} className="spark-line" />
      </svg>
      <span className="small muted">peak {max}/s</span>
    </div>
  )
}
