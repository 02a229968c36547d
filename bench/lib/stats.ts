/** Order statistics for benchmark samples. */

/** The q-quantile (0..1) with linear interpolation between closest ranks. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  return quantileSorted(sorted, q)
}

/** Like {@link quantile} for an already ascending array. */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return Number.NaN
  const pos = (sorted.length - 1) * q
  const lo = Math.floor(pos)
  const hi = Math.ceil(pos)
  const a = sorted[lo]!
  const b = sorted[hi]!
  return a + (b - a) * (pos - lo)
}

export const median = (v: readonly number[]): number => quantile(v, 0.5)
export const p95 = (v: readonly number[]): number => quantile(v, 0.95)

/** Sorts a typed array of latencies in place and returns p50 and p95. */
export function latencySummary(values: Float64Array): { p50: number; p95: number } {
  values.sort()
  return { p50: quantileSorted(values, 0.5), p95: quantileSorted(values, 0.95) }
}
