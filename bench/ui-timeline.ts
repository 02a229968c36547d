/**
 * UI benchmark: the timeline chart while the live tail runs at 5,000 messages/s for 60 s
 * (10 s with --quick), through the web host in Chromium. The mouse hovers the chart the whole
 * time (the tooltip follows it) and the chart is zoomed in and out every few seconds, so every
 * path of the chart runs while messages arrive. Measures renderer frame time from
 * requestAnimationFrame deltas (p50/p95/p99/max), the JS heap and DOM size over time, and that
 * the chart's series reached every message. Target: frame p95 < 20 ms.
 */
import {
  appendJson,
  createStream,
  ensureBuilt,
  fmt,
  percentile,
  rendererStats,
  startFrames,
  startHarness,
  stopFrames,
} from './ui-lib.js'

const quick = process.argv.includes('--quick') || process.env.BENCH_QUICK === '1'
const RATE = 5000
const SECONDS = quick ? 10 : 60
const TICK_MS = 20
const PER_TICK = (RATE * TICK_MS) / 1000
const TARGET_P95 = 20
/** `--no-chart`: the same run with the timeline collapsed, as a baseline. */
const noChart = process.argv.includes('--no-chart')

async function main(): Promise<void> {
  ensureBuilt(process.argv.includes('--build'))
  const h = await startHarness()
  try {
    const url = await createStream(h.server, 'bench-timeline')
    await h.page.goto(`${h.host.url}#/stream/local/bench-timeline`)
    await h.page.getByTestId('browse-state').filter({ hasText: 'up to date' }).waitFor()
    const chart = h.page.getByTestId('timeline-messages').locator('.u-over')
    await chart.waitFor()
    const box = await chart.boundingBox()
    if (!box) throw new Error('the timeline chart has no box')
    if (noChart) await h.page.getByRole('button', { name: /Timeline/ }).click()
    await startFrames(h.page)
    const samples: Array<{ t: number; heapMB: number; domNodes: number; rows: number }> = []
    const start = Date.now()
    let sent = 0
    const pad = 'x'.repeat(40)
    let lastSample = 0
    let lastMove = 0
    let moves = 0
    let zooms = 0
    while (Date.now() - start < SECONDS * 1000) {
      const now = Date.now()
      if (!noChart && now - lastMove > 200) {
        // Hover back and forth across the plot; zoom in / show all every 5 s.
        lastMove = now
        const x = box.x + ((moves * 37) % Math.max(1, box.width - 2)) + 1
        await h.page.mouse.move(x, box.y + box.height / 2)
        moves++
        if (moves % 25 === 0) {
          await h.page.mouse.wheel(0, zooms % 2 === 0 ? -300 : 300)
          zooms++
        }
      }
      const due = Math.floor(((Date.now() - start) / 1000) * RATE) - sent
      if (due <= 0) {
        await new Promise((r) => setTimeout(r, TICK_MS / 4))
        continue
      }
      const n = Math.min(due, PER_TICK * 10)
      const batch = Array.from({ length: n }, (_, i) => ({ seq: sent + i, ts: Date.now(), pad }))
      await appendJson(url, JSON.stringify(batch))
      sent += n
      if (Date.now() - lastSample > 5000) {
        lastSample = Date.now()
        samples.push({ t: (Date.now() - start) / 1000, ...(await rendererStats(h.page)) })
      }
    }
    const elapsed = (Date.now() - start) / 1000
    const deadline = Date.now() + 15_000
    let charted = 0
    while (Date.now() < deadline && !noChart) {
      charted = Number(await h.page.getByTestId('timeline-chart').getAttribute('data-total'))
      if (charted >= sent) break
      await new Promise((r) => setTimeout(r, 200))
    }
    const frames = await stopFrames(h.page)
    const end = await rendererStats(h.page)
    samples.push({ t: elapsed, ...end })
    const markers = await h.page.locator('.tl-marker:not([hidden])').count()
    const p95 = percentile(frames, 95)
    console.log(
      `\nUI timeline benchmark (${quick ? 'quick' : 'full'}${noChart ? ', timeline collapsed' : ''}): ${SECONDS}s at ${RATE} msg/s`,
    )
    console.log(
      `  appended ${sent} messages in ${fmt(elapsed)}s (${fmt(sent / elapsed, 0)} msg/s); chart reached ${charted}; ${moves} hovers, ${zooms} zooms; ${markers} markers shown`,
    )
    console.log(
      `  frames: ${frames.length}  p50 ${fmt(percentile(frames, 50))} ms  p95 ${fmt(p95)} ms  p99 ${fmt(percentile(frames, 99))} ms  max ${fmt(Math.max(...frames))} ms`,
    )
    console.log('  renderer over time (s: heap MB / DOM nodes):')
    console.log(
      '   ' + samples.map((s) => `${fmt(s.t, 0)}s: ${fmt(s.heapMB)} / ${s.domNodes}`).join('\n   '),
    )
    const heapGrowth =
      samples.length > 1 ? samples[samples.length - 1]!.heapMB - samples[0]!.heapMB : 0
    if (noChart) charted = sent
    const ok = p95 < TARGET_P95 && charted >= sent
    console.log(
      `  target frame p95 < ${TARGET_P95} ms: ${p95 < TARGET_P95 ? 'PASS' : 'FAIL'}; chart reached every message: ${charted >= sent ? 'PASS' : 'FAIL'}; heap growth ${fmt(heapGrowth)} MB`,
    )
    if (!ok) process.exitCode = 1
  } finally {
    await h.close()
  }
}

main().catch((err: unknown) => {
  console.error('ui-timeline benchmark failed:', err)
  process.exit(1)
})
