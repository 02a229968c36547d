/**
 * Live status on stderr (a terminal only; nothing when stderr is a pipe or a file): one line
 * redrawn at most every 100 ms, a bar when the total is known. stdout carries only data.
 */
export interface Status {
  /** Redraws the line (throttled). */
  update(text: string | (() => string)): void
  /** A bar for `done` of `total`, with a label. */
  bar(label: string, done: number, total: number): void
  /** Clears the line; the final summary is the caller's. */
  stop(): void
}

const silent: Status = { update: () => undefined, bar: () => undefined, stop: () => undefined }

export function makeStatus(
  err: NodeJS.WriteStream = process.stderr,
  env: NodeJS.ProcessEnv = process.env,
  intervalMs = 100,
): Status {
  if (err.isTTY !== true || env.DSI_NO_PROGRESS) return silent
  let last = 0
  let shown = false
  const draw = (text: string, force = false): void => {
    const now = Date.now()
    if (!force && now - last < intervalMs) return
    last = now
    const width = Math.max(20, (err.columns ?? 80) - 1)
    err.write(`\r\x1b[K${text.length > width ? text.slice(0, width - 1) + '…' : text}`)
    shown = true
  }
  return {
    update(text) {
      if (Date.now() - last < intervalMs) return
      draw(typeof text === 'function' ? text() : text)
    },
    bar(label, done, total) {
      if (Date.now() - last < intervalMs && done < total) return
      const ratio = total > 0 ? Math.min(1, done / total) : 1
      const cells = 24
      const full = Math.round(ratio * cells)
      draw(
        `${label} [${'#'.repeat(full)}${'-'.repeat(cells - full)}] ${done}/${total} (${Math.round(ratio * 100)}%)`,
        done >= total,
      )
    },
    stop() {
      if (shown) err.write('\r\x1b[K')
      shown = false
    },
  }
}

/** 1234567 → "1.23 M", for rates. */
export function human(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)} M`
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)} k`
  return `${Math.round(n)}`
}
