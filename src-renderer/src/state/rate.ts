/**
 * Throughput as of now, from the last progress snapshot. Main sends progress only when
 * something happens, so a rate or sparkline drawn straight from the last snapshot froze at its
 * last value once traffic stopped ("45 msg/s" half a minute later). The renderer ages the
 * snapshot's per-second buckets on its own clock instead: what has not arrived since counts as 0.
 */
import { useEffect, useState } from 'react'

/** The snapshot's buckets (one per second, newest last) moved on to the second of `now`. */
export function ageBuckets(buckets: readonly number[], at: number, now: number): number[] {
  const shift = Math.floor(now / 1000) - Math.floor(at / 1000)
  if (shift <= 0) return [...buckets]
  if (shift >= buckets.length) return buckets.map(() => 0)
  return [...buckets.slice(shift), ...new Array<number>(shift).fill(0)]
}

/** Messages per second over the last two seconds as of `now` (main's formula, aged). */
export function rateAt(buckets: readonly number[], at: number, now: number): number {
  const b = ageBuckets(buckets, at, now)
  const last = b[b.length - 1] ?? 0
  const prev = b[b.length - 2] ?? 0
  const frac = (now % 1000) / 1000
  return Math.round((last + prev) / (1 + frac))
}

/** The current time, re-read every `ms` while mounted. */
export function useNow(ms = 1000): number {
  const [now, setNow] = useState(Date.now)
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), ms)
    return () => clearInterval(t)
  }, [ms])
  return now
}
