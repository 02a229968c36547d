import { useEffect, useState } from 'react'

function format(ms: number): string {
  if (ms <= 0) return 'expired'
  const s = Math.floor(ms / 1000)
  const h = Math.floor(s / 3600)
  const m = Math.floor((s % 3600) / 60)
  const sec = s % 60
  const pad = (n: number): string => String(n).padStart(2, '0')
  return h > 0 ? `${h}h ${pad(m)}m ${pad(sec)}s` : `${m}m ${pad(sec)}s`
}

/** Live countdown to a wall-clock time, ticking every second. */
export function Countdown({ until, testId }: { until: number; testId: string }) {
  const [now, setNow] = useState(Date.now())
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1000)
    return () => clearInterval(t)
  }, [])
  const left = until - now
  return (
    <span
      className={`mono ${left <= 0 ? 'error-text' : ''}`}
      data-testid={testId}
      title={new Date(until).toISOString()}
    >
      {left <= 0 ? 'expired' : `expires in ${format(left)}`}
    </span>
  )
}
