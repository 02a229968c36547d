/**
 * The timeline chart itself, imperative: two uPlot charts (messages received over time, one
 * series per read session; throughput per second below), phase bands drawn on the canvas,
 * markers and the hover tooltip as DOM over it. Redraws at most once per animation frame,
 * only when the timeline store changed (or once a second while a session reads, so the lines
 * reach "now" and the rates fall to 0 on the clock when traffic stops).
 */
import uPlot from 'uplot'
import 'uplot/dist/uPlot.min.css'
import {
  brushTime,
  dataExtent,
  jumpToTime,
  markerTime,
  panBy,
  timelineData,
  useTimeline,
  zoomBy,
  type ChartMarker,
  type SessionSeries,
} from '../../state/timeline'
import { clock, shortOffset } from '../browser/format'

const MAIN_HEIGHT = 76
const RATE_HEIGHT = 56
/** Colours of earlier sessions (the current one uses the accent). */
const OLDER = ['#8e6bd8', '#d8873b', '#3ba6b8']

const GLYPH: Record<ChartMarker['kind'], string> = {
  'catch-up': 'C',
  live: 'L',
  'up-to-date': '◆',
  reconnect: '↻',
  error: '!',
  closed: 'EOF',
  'snapshot-start': 'S',
  'snapshot-end': 'S',
  reset: 'R',
}
/** Row of a marker's glyph (phases on top, stream events below, state markers last). */
const ROW: Record<ChartMarker['kind'], number> = {
  'catch-up': 0,
  live: 0,
  'up-to-date': 1,
  reconnect: 2,
  error: 2,
  closed: 2,
  'snapshot-start': 3,
  'snapshot-end': 3,
  reset: 3,
}
const WORDS: Record<ChartMarker['kind'], string> = {
  'catch-up': 'catch-up starts',
  live: 'live starts',
  'up-to-date': 'up to date',
  reconnect: 'reconnect',
  error: 'error',
  closed: 'closed (EOF)',
  'snapshot-start': 'snapshot start',
  'snapshot-end': 'snapshot end',
  reset: 'reset',
}

interface Palette {
  text: string
  muted: string
  border: string
  accent: string
  ok: string
  error: string
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${Math.round(n)} B`
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`
  if (n < 1024 ** 3) return `${(n / 1024 / 1024).toFixed(1)} MB`
  return `${(n / 1024 ** 3).toFixed(2)} GB`
}

/** `rgb(r, g, b)` (as computed styles give colours) with an alpha; other forms unchanged. */
export function withAlpha(color: string, alpha: number): string {
  const m = /^rgba?\((\d+),\s*(\d+),\s*(\d+)/.exec(color)
  return m ? `rgba(${m[1]}, ${m[2]}, ${m[3]}, ${alpha})` : color
}

const count = (n: number): string => Math.round(n).toLocaleString('en-US')

const pad = (n: number, w = 2): string => String(n).padStart(w, '0')

/** Time-axis labels: hh:mm:ss, with tenths when the ticks are less than a second apart. */
function timeLabels(
  _u: uPlot,
  splits: number[],
  _ax: number,
  _space: number,
  incr: number,
): string[] {
  return splits.map((v) => {
    const d = new Date(v)
    const hms = `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`
    return incr < 1000 ? `${hms}.${Math.floor(d.getMilliseconds() / 100)}` : hms
  })
}

/** 0 and a round top for a small chart's y axis. */
function topSplits(u: uPlot, axisIdx: number): number[] {
  const key = u.axes[axisIdx]?.scale ?? 'y'
  const max = u.scales[key]?.max ?? 0
  return [0, max / 1.1]
}

/** A round number at or above `n` (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 × 10^k). */
export function niceCeil(n: number): number {
  const p = 10 ** Math.floor(Math.log10(Math.max(1, n)))
  for (const m of [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) if (m * p >= n) return m * p
  return 10 * p
}

/** 0, the middle and a round top for the messages axis. */
function countSplits(u: uPlot): number[] {
  const top = u.scales.y?.max ?? 10
  return [0, top / 2, top]
}

export interface ChartHosts {
  root: HTMLElement
  main: HTMLElement
  rate: HTMLElement
  markers: HTMLElement
  tooltip: HTMLElement
}

export class TimelineChart {
  private main: uPlot | null = null
  private rate: uPlot | null = null
  private shape = ''
  private frame = 0
  private dirty = true
  private pal: Palette
  private rates: { t: number[]; msgs: number[]; bytes: number[] } = { t: [], msgs: [], bytes: [] }
  private markerPool: HTMLElement[] = []
  private readonly unsub: () => void
  private readonly timer: ReturnType<typeof setInterval>
  private readonly resize: ResizeObserver
  private readonly themeWatch: MutationObserver
  private readonly media: MediaQueryList
  private downAt: { x: number; y: number } | null = null
  /** The x window while the mouse button is down: what the user drags over holds still. */
  private frozen: { min: number; max: number } | null = null

  constructor(private readonly h: ChartHosts) {
    this.pal = this.readPalette()
    this.unsub = useTimeline.subscribe(() => this.schedule())
    this.timer = setInterval(() => {
      if (timelineData.sessions.some((s) => s.running)) this.schedule()
    }, 1000)
    this.resize = new ResizeObserver(() => this.sizeToHost())
    this.resize.observe(h.root)
    this.themeWatch = new MutationObserver(() => this.retheme())
    this.themeWatch.observe(document.documentElement, { attributeFilter: ['data-theme'] })
    this.media = window.matchMedia('(prefers-color-scheme: dark)')
    this.media.addEventListener('change', this.retheme)
    this.schedule()
  }

  destroy(): void {
    cancelAnimationFrame(this.frame)
    clearInterval(this.timer)
    this.unsub()
    this.resize.disconnect()
    this.themeWatch.disconnect()
    this.media.removeEventListener('change', this.retheme)
    this.main?.destroy()
    this.rate?.destroy()
    this.main = this.rate = null
  }

  private readonly retheme = (): void => {
    this.pal = this.readPalette()
    this.main?.redraw(false)
    this.rate?.redraw(false)
    this.drawMarkers()
  }

  /**
   * The theme's colours as the canvas needs them: resolved through a probe element, since the
   * variables may hold what only CSS understands (`light-dark(…)`, `color-mix(…)`).
   */
  private readPalette(): Palette {
    const probe = document.createElement('span')
    probe.style.display = 'none'
    this.h.root.appendChild(probe)
    const v = (name: string, fallback: string): string => {
      probe.style.color = fallback
      probe.style.color = `var(${name}, ${fallback})`
      return getComputedStyle(probe).color || fallback
    }
    try {
      return {
        text: v('--text', '#1d2129'),
        muted: v('--muted', '#6b7280'),
        border: v('--border', '#dcdfe5'),
        accent: v('--accent', '#2f6fed'),
        ok: v('--ok', '#1f9d55'),
        error: v('--error', '#c62828'),
      }
    } finally {
      probe.remove()
    }
  }

  private schedule(): void {
    this.dirty = true
    if (this.frame) return
    this.frame = requestAnimationFrame(() => {
      this.frame = 0
      if (this.dirty) this.render()
    })
  }

  private width(): number {
    return Math.max(200, this.h.root.clientWidth)
  }

  private sizeToHost(): void {
    const w = this.width()
    if (this.main && this.main.width !== w) this.main.setSize({ width: w, height: MAIN_HEIGHT })
    if (this.rate && this.rate.width !== w) this.rate.setSize({ width: w, height: RATE_HEIGHT })
  }

  private colour(i: number, sessions: SessionSeries[]): string {
    return i === sessions.length - 1 ? this.pal.accent : OLDER[i % OLDER.length]!
  }

  /** The window shown: the zoom, or all data up to now. */
  private window(now: number): { min: number; max: number } {
    return useTimeline.getState().zoom ?? dataExtent(now) ?? { min: now - 60_000, max: now + 1000 }
  }

  private render(): void {
    this.dirty = false
    const now = Date.now()
    const sessions = timelineData.sessions
    const shape = `${sessions.map((s) => s.id).join(',')}|${timelineData.hasBytes}`
    if (shape !== this.shape || !this.main || !this.rate) this.build(shape, sessions)
    const win = this.frozen ?? this.window(now)
    this.main!.batch(() => {
      this.main!.setData(this.mainData(sessions, now), false)
      this.main!.setScale('x', win)
    })
    this.rates = timelineData.rates.series(now)
    const r = this.rates
    const rateData: uPlot.AlignedData = timelineData.hasBytes
      ? [r.t, r.msgs, r.bytes]
      : [r.t, r.msgs]
    this.rate!.batch(() => {
      this.rate!.setData(rateData, false)
      this.rate!.setScale('x', win)
      this.rate!.setScale('y', { min: 0, max: niceCeil(Math.max(10, ...r.msgs)) * 1.1 })
      if (timelineData.hasBytes)
        this.rate!.setScale('bytes', { min: 0, max: niceCeil(Math.max(1024, ...r.bytes)) * 1.1 })
    })
    const cur = sessions[sessions.length - 1]
    const root = this.h.root
    root.dataset.sessions = String(sessions.length)
    root.dataset.total = String(
      cur && cur.ring.length > 0 ? cur.ring.countAt(cur.ring.length - 1) : 0,
    )
    root.dataset.zoomed = String(useTimeline.getState().zoom !== null)
  }

  /** One x array for all sessions; each session's values where it has samples, else null. */
  private mainData(sessions: SessionSeries[], now: number): uPlot.AlignedData {
    // Each session's points in time order: its samples, then "now" while it still reads.
    const per = sessions.map((s) => {
      const n = s.ring.length
      const t: number[] = []
      const v: number[] = []
      for (let i = 0; i < n; i++) {
        t.push(s.ring.timeAt(i))
        v.push(s.ring.countAt(i))
      }
      if (s.running && n > 0) {
        t.push(Math.max(now, t[n - 1]!))
        v.push(v[n - 1]!)
      }
      return { t, v }
    })
    // Sessions follow each other in time (the usual case): concatenate. Otherwise merge.
    let ordered = true
    for (let k = 1; k < per.length && ordered; k++) {
      const prev = per[k - 1]!.t
      const first = per[k]!.t[0]
      if (prev.length > 0 && first !== undefined && first < prev[prev.length - 1]!) ordered = false
    }
    const total = per.reduce((a, p) => a + p.t.length, 0)
    const xs = new Array<number>(total)
    const ys = sessions.map(() => new Array<number | null>(total).fill(null))
    if (ordered) {
      let at = 0
      per.forEach((p, si) => {
        const y = ys[si]!
        for (let i = 0; i < p.t.length; i++, at++) {
          xs[at] = p.t[i]!
          y[at] = p.v[i]!
        }
      })
      return [xs, ...ys]
    }
    const pts: Array<{ t: number; si: number; n: number }> = []
    per.forEach((p, si) => p.t.forEach((t, i) => pts.push({ t, si, n: p.v[i]! })))
    pts.sort((a, b) => a.t - b.t)
    pts.forEach((p, i) => {
      xs[i] = p.t
      ys[p.si]![i] = p.n
    })
    return [xs, ...ys]
  }

  private axis(extra: Partial<uPlot.Axis> = {}): uPlot.Axis {
    return {
      stroke: () => this.pal.muted,
      grid: { stroke: () => this.pal.border, width: 1 },
      ticks: { stroke: () => this.pal.border, width: 1 },
      font: '10px system-ui, sans-serif',
      size: 34,
      ...extra,
    }
  }

  private build(shape: string, sessions: SessionSeries[]): void {
    this.main?.destroy()
    this.rate?.destroy()
    this.shape = shape
    const width = this.width()
    const stepped = uPlot.paths.stepped?.({ align: 1 })
    const cursor = (): uPlot.Cursor => ({
      drag: { x: true, y: false, setScale: false },
      points: { show: false },
      y: false,
    })
    const yCount = (u: uPlot, vals: number[]): string[] =>
      vals.map((v) => (v >= 1e6 ? `${v / 1e6}M` : v >= 1e3 ? `${v / 1e3}k` : String(v)))
    this.main = new uPlot(
      {
        width,
        height: MAIN_HEIGHT,
        ms: 1,
        legend: { show: false },
        cursor: cursor(),
        scales: {
          x: { time: true, auto: false },
          y: { range: (_u, _min, max) => [0, niceCeil(Math.max(10, max))] },
        },
        axes: [
          this.axis({ size: 22, values: timeLabels, space: 80 }),
          this.axis({ values: yCount, size: 44, splits: countSplits }),
        ],
        series: [
          {},
          ...sessions.map((s, i): uPlot.Series => ({
            label: s.label,
            stroke: () => this.colour(i, timelineData.sessions),
            width: i === sessions.length - 1 ? 2 : 1.5,
            ...(stepped ? { paths: stepped } : {}),
            points: { show: false },
            spanGaps: false,
          })),
        ],
        hooks: {
          drawClear: [(u) => this.drawPhases(u)],
          draw: [(u) => this.drawBrush(u), () => this.drawMarkers()],
          setSelect: [(u) => this.onSelect(u)],
          setCursor: [(u) => this.onCursor(u, 'main')],
        },
      },
      [[]],
      this.h.main,
    )
    const rateSeries: uPlot.Series[] = [
      {},
      {
        label: 'msg/s',
        stroke: () => this.pal.ok,
        fill: () => withAlpha(this.pal.ok, 0.18),
        width: 1.5,
        points: { show: false },
        scale: 'y',
      },
    ]
    if (timelineData.hasBytes)
      rateSeries.push({
        label: 'bytes/s',
        stroke: () => this.pal.muted,
        width: 1,
        dash: [4, 3],
        points: { show: false },
        scale: 'bytes',
      })
    this.rate = new uPlot(
      {
        width,
        height: RATE_HEIGHT,
        ms: 1,
        legend: { show: false },
        cursor: cursor(),
        scales: { x: { time: true, auto: false }, y: { auto: false }, bytes: { auto: false } },
        axes: [
          this.axis({ size: 22, values: timeLabels, space: 80 }),
          this.axis({
            size: 44,
            splits: topSplits,
            values: (u, v) => v.map((x) => `${yCount(u, [x])[0]}/s`),
          }),
          ...(timelineData.hasBytes
            ? [
                this.axis({
                  scale: 'bytes',
                  side: 1,
                  grid: { show: false },
                  size: 60,
                  splits: topSplits,
                  values: (_u, v) => v.map((x) => `${formatBytes(x)}/s`),
                }),
              ]
            : []),
        ],
        series: rateSeries,
        hooks: {
          setSelect: [(u) => this.onSelect(u)],
          setCursor: [(u) => this.onCursor(u, 'rate')],
        },
      },
      [[]],
      this.h.rate,
    )
    for (const u of [this.main, this.rate]) {
      u.over.addEventListener('wheel', (e) => this.onWheel(u, e), { passive: false })
      u.over.addEventListener('mousedown', (e) => {
        this.downAt = { x: e.clientX, y: e.clientY }
        const x = u.scales.x
        if (x?.min !== undefined && x.max !== undefined) this.frozen = { min: x.min, max: x.max }
        // Released anywhere (uPlot handles the selection first): follow the data again.
        window.addEventListener('mouseup', () => setTimeout(() => this.unfreeze(), 0), {
          once: true,
        })
      })
      u.over.addEventListener('click', (e) => this.onClick(u, e))
      u.over.addEventListener('mouseleave', () => this.hideTip())
    }
  }

  private drawPhases(u: uPlot): void {
    const ctx = u.ctx
    const { top, height } = u.bbox
    const min = u.scales.x?.min ?? 0
    const max = u.scales.x?.max ?? 0
    ctx.save()
    for (const s of timelineData.sessions) {
      for (const p of s.phases) {
        if (p.endedAt < min || p.startedAt > max) continue
        const x0 = u.valToPos(Math.max(p.startedAt, min), 'x', true)
        const x1 = Math.max(x0 + 2, u.valToPos(Math.min(p.endedAt, max), 'x', true))
        ctx.globalAlpha = p.kind === 'catch-up' ? 0.16 : 0.1
        ctx.fillStyle = p.kind === 'catch-up' ? this.pal.accent : this.pal.ok
        ctx.fillRect(x0, top, x1 - x0, height)
      }
    }
    ctx.restore()
  }

  private drawBrush(u: uPlot): void {
    const b = useTimeline.getState().brush
    if (!b) return
    const ctx = u.ctx
    const { top, height } = u.bbox
    const x0 = u.valToPos(b.t0, 'x', true)
    const x1 = Math.max(x0 + 2, u.valToPos(b.t1, 'x', true))
    ctx.save()
    ctx.globalAlpha = 0.2
    ctx.fillStyle = this.pal.accent
    ctx.fillRect(x0, top, x1 - x0, height)
    ctx.globalAlpha = 0.9
    ctx.strokeStyle = this.pal.accent
    ctx.lineWidth = uPlot.pxRatio
    ctx.strokeRect(x0, top, x1 - x0, height)
    ctx.restore()
  }

  /** Markers as DOM (hoverable, labelled, testable), positioned on the main chart's x scale. */
  private drawMarkers(): void {
    const u = this.main
    if (!u) return
    const layer = this.h.markers
    const min = u.scales.x?.min ?? 0
    const max = u.scales.x?.max ?? 0
    const left = u.bbox.left / uPlot.pxRatio
    const top = u.bbox.top / uPlot.pxRatio
    const height = u.bbox.height / uPlot.pxRatio
    let n = 0
    const sessions = timelineData.sessions
    sessions.forEach((s, si) => {
      for (const m of [...s.markers, ...s.extra]) {
        const at = markerTime(s, m)
        if (at === null || at < min || at > max) continue
        let el = this.markerPool[n]
        if (!el) {
          el = document.createElement('span')
          el.setAttribute('role', 'img')
          // A drag that starts on a marker label still brushes the chart under it.
          el.addEventListener('mousedown', (e) => {
            e.preventDefault()
            this.main?.over.dispatchEvent(
              new MouseEvent('mousedown', {
                bubbles: true,
                cancelable: true,
                clientX: e.clientX,
                clientY: e.clientY,
                button: e.button,
                buttons: e.buttons,
                shiftKey: e.shiftKey,
                ctrlKey: e.ctrlKey,
                altKey: e.altKey,
                metaKey: e.metaKey,
              }),
            )
          })
          layer.appendChild(el)
          this.markerPool.push(el)
        }
        n++
        el.hidden = false
        el.className = `tl-marker ${m.kind}${si === sessions.length - 1 ? ' current' : ''}`
        el.dataset.kind = m.kind
        el.dataset.index = String(m.index)
        el.dataset.testid = `timeline-${m.kind}`
        el.textContent = GLYPH[m.kind]
        const what = `${WORDS[m.kind]} at ${clock(at)}, message ${count(m.index)}, offset ${m.offset}${m.detail ? ` (${m.detail})` : ''}`
        el.setAttribute('aria-label', what)
        el.title = `${what}\nsession ${s.label}`
        el.style.left = `${left + u.valToPos(at, 'x')}px`
        el.style.top = `${top + ROW[m.kind] * 15}px`
        el.style.setProperty('--tl-line', `${height - ROW[m.kind] * 15}px`)
      }
    })
    for (let i = n; i < this.markerPool.length; i++) this.markerPool[i]!.hidden = true
    // Keep the pool bounded by what is shown at most once.
    while (this.markerPool.length > Math.max(n, 64)) this.markerPool.pop()!.remove()
  }

  private unfreeze(): void {
    if (!this.frozen) return
    this.frozen = null
    this.schedule()
  }

  private onSelect(u: uPlot): void {
    const { left, width } = u.select
    if (width < 3) return
    // From the plot's left edge: from the start of the data, even if that lies a pixel left.
    const first = dataExtent(Date.now())?.min ?? -Infinity
    const t0 = left <= 3 ? Math.min(first - 1, u.posToVal(left, 'x')) : u.posToVal(left, 'x')
    const t1 = u.posToVal(left + width, 'x')
    u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false)
    this.downAt = null
    void brushTime(t0, t1)
  }

  private onClick(u: uPlot, e: MouseEvent): void {
    const d = this.downAt
    this.downAt = null
    if (!d || Math.abs(e.clientX - d.x) > 3) return
    if (u.cursor.left === undefined || u.cursor.left < 0) return
    jumpToTime(u.posToVal(u.cursor.left, 'x'))
  }

  private onWheel(u: uPlot, e: WheelEvent): void {
    e.preventDefault()
    const w = u.bbox.width / uPlot.pxRatio
    if (e.shiftKey || Math.abs(e.deltaX) > Math.abs(e.deltaY)) {
      panBy((e.deltaX || e.deltaY) / Math.max(1, w))
      return
    }
    const centre = u.posToVal(e.offsetX, 'x')
    zoomBy(e.deltaY > 0 ? 1.25 : 0.8, centre)
  }

  private hideTip(): void {
    this.h.tooltip.hidden = true
  }

  private onCursor(u: uPlot, which: 'main' | 'rate'): void {
    const left = u.cursor.left
    if (left === undefined || left < 0) return this.hideTip()
    const t = u.posToVal(left, 'x')
    const lines: string[] = [clock(t)]
    const s = sessionAt(t)
    if (s) {
      const i = s.ring.indexAtTime(t)
      if (i >= 0) {
        lines.push(
          `${count(s.ring.countAt(i))} messages · offset ${shortOffset(s.ring.offsetAt(i), 18)}`,
        )
        if (timelineData.hasBytes) lines.push(`${formatBytes(s.ring.bytesAt(i))} received`)
      } else lines.push('no messages yet')
      lines.push(`session ${s.label}`)
    }
    const r = this.rates
    const sec = Math.floor(t / 1000) * 1000 + 500
    // The second under the cursor (the newest one for a cursor past the last render).
    const k = r.t.length === 0 ? -1 : Math.min(r.t.length - 1, Math.round((sec - r.t[0]!) / 1000))
    if (k >= 0)
      lines.push(
        `${count(r.msgs[k]!)} msg/s${timelineData.hasBytes ? ` · ${formatBytes(r.bytes[k]!)}/s` : ''}`,
      )
    const tip = this.h.tooltip
    tip.textContent = lines.join('\n')
    tip.hidden = false
    const hostTop = which === 'main' ? this.h.main.offsetTop : this.h.rate.offsetTop
    const x = u.bbox.left / uPlot.pxRatio + left
    const flip = x > this.h.root.clientWidth - 240
    tip.style.left = `${flip ? x - 12 : x + 12}px`
    tip.style.transform = flip ? 'translateX(-100%)' : ''
    tip.style.top = `${hostTop + 6}px`
  }
}

/** The session whose samples span `t` (or the last one that started before it). */
function sessionAt(t: number): SessionSeries | null {
  let best: SessionSeries | null = null
  for (const s of timelineData.sessions) {
    if (s.ring.length === 0) continue
    if (s.ring.timeAt(0) <= t || s.startedAt <= t) best = s
  }
  return best ?? timelineData.sessions[timelineData.sessions.length - 1] ?? null
}
