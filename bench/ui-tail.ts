/**
 * UI benchmark: live tail at 5,000 messages/s for 60 s (10 s with --quick) through the web
 * host in Chromium. Measures renderer frame time (requestAnimationFrame deltas collected in
 * the page: p50/p95/p99/max), renderer JS heap and DOM size over time (bounded?), and that the
 * browser saw every message. Target: frame p95 < 50 ms.
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

// `npm run bench:ui -- --quick` only reaches the last script of the chain: BENCH_QUICK=1 reaches both.
const quick = process.argv.includes('--quick') || process.env.BENCH_QUICK === '1'
const RATE = 5000
const SECONDS = quick ? 10 : 60
const TICK_MS = 20
const PER_TICK = (RATE * TICK_MS) / 1000

async function main(): Promise<void> {
  ensureBuilt(process.argv.includes('--build'))
  const h = await startHarness()
  try {
    const url = await createStream(h.server, 'bench-tail')
    await h.page.goto(`${h.host.url}#/stream/local/bench-tail`)
    await h.page.getByTestId('browse-state').filter({ hasText: 'up to date' }).waitFor()
    await startFrames(h.page)
    const samples: Array<{ t: number; heapMB: number; domNodes: number; rows: number }> = []
    const start = Date.now()
    let sent = 0
    const pad = 'x'.repeat(40)
    let lastSample = 0
    while (Date.now() - start < SECONDS * 1000) {
      // Send what is due at RATE (catching up if a POST was slow), in one POST per tick.
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
    let shown = 0
    while (Date.now() < deadline) {
      shown = Number(await h.page.getByTestId('message-list').getAttribute('data-total'))
      if (shown >= sent) break
      await new Promise((r) => setTimeout(r, 200))
    }
    const frames = await stopFrames(h.page)
    const end = await rendererStats(h.page)
    samples.push({ t: elapsed, ...end })
    const p95 = percentile(frames, 95)
    console.log(`\nUI tail benchmark (${quick ? 'quick' : 'full'}): ${SECONDS}s at ${RATE} msg/s`)
    console.log(
      `  appended ${sent} messages in ${fmt(elapsed)}s (${fmt(sent / elapsed, 0)} msg/s); browser shows ${shown}`,
    )
    console.log(
      `  frames: ${frames.length}  p50 ${fmt(percentile(frames, 50))} ms  p95 ${fmt(p95)} ms  p99 ${fmt(percentile(frames, 99))} ms  max ${fmt(Math.max(...frames))} ms`,
    )
    console.log('  renderer over time (s: heap MB / DOM nodes / rendered rows):')
    console.log(
      '   ' +
        samples
          .map((s) => `${fmt(s.t, 0)}s: ${fmt(s.heapMB)} / ${s.domNodes} / ${s.rows}`)
          .join('\n   '),
    )
    const heapGrowth =
      samples.length > 1 ? samples[samples.length - 1]!.heapMB - samples[0]!.heapMB : 0
    const ok = p95 < 50 && shown >= sent
    console.log(
      `  target frame p95 < 50 ms: ${p95 < 50 ? 'PASS' : 'FAIL'}; all messages shown: ${shown >= sent ? 'PASS' : 'FAIL'}; heap growth ${fmt(heapGrowth)} MB, rendered rows stay ${end.rows}`,
    )
    if (!ok) process.exitCode = 1
  } finally {
    await h.close()
  }
}

main().catch((err: unknown) => {
  console.error('ui-tail benchmark failed:', err)
  process.exit(1)
})
