/**
 * UI benchmark: open a stream of 1,000,000 JSON messages (200,000 with --quick) through the
 * web host in Chromium. Measures time to the first screen of rows (target < 1 s), time to
 * reach the last message with `G`, a jump to the middle by scrolling, and what the renderer
 * holds (rendered rows, JS heap) — only the visible window, never the whole stream.
 */
import http from 'node:http'
import {
  appendJson,
  createStream,
  ensureBuilt,
  fmt,
  rendererStats,
  startFrames,
  startHarness,
  stopFrames,
  percentile,
} from './ui-lib.js'

// `npm run bench:ui -- --quick` only reaches the last script of the chain: BENCH_QUICK=1 reaches both.
const quick = process.argv.includes('--quick') || process.env.BENCH_QUICK === '1'
const TOTAL = quick ? 200_000 : 1_000_000
const CHUNK = 20_000

async function main(): Promise<void> {
  ensureBuilt(process.argv.includes('--build'))
  const h = await startHarness()
  try {
    const url = await createStream(h.server, 'bench-open')
    const seedStart = Date.now()
    for (let sent = 0; sent < TOTAL; sent += CHUNK) {
      const n = Math.min(CHUNK, TOTAL - sent)
      const batch = Array.from({ length: n }, (_, i) => ({
        i: sent + i,
        type: (sent + i) % 3 === 0 ? 'order' : 'ping',
        user: { id: (sent + i) % 97 },
      }))
      await appendJson(url, JSON.stringify(batch))
    }
    console.log(`seeded ${TOTAL} messages in ${fmt((Date.now() - seedStart) / 1000)}s`)

    await h.page.goto(h.host.url)
    await h.page.getByTestId('connection-name').waitFor()
    await h.page.evaluate(
      `window.__t0 = performance.now(); location.hash = '#/stream/local/bench-open'`,
    )
    const firstScreen = await h.page.waitForFunction(
      `document.querySelector('[data-testid="message"]') ? performance.now() - window.__t0 : null`,
      undefined,
      { timeout: 120_000, polling: 'raf' },
    )
    const firstMs = (await firstScreen.jsonValue()) as number
    const firstTotal = await h.page.getByTestId('message-list').getAttribute('data-total')

    const allKnown = await h.page.waitForFunction(
      `document.querySelector('[data-testid="message-list"]')?.getAttribute('data-total') === '${TOTAL}' ? performance.now() - window.__t0 : null`,
      undefined,
      { timeout: 120_000 },
    )
    const allMs = (await allKnown.jsonValue()) as number
    await h.page.getByTestId('follow').uncheck()
    // The list's keys work while the grid has focus (as for a user who clicked into it).
    await h.page.getByRole('grid', { name: 'Messages' }).focus()
    await h.page.keyboard.press('g')
    await h.page.locator('[data-testid="message"][data-index="0"]').waitFor()
    await startFrames(h.page)
    await h.page.evaluate('window.__t1 = performance.now()')
    await h.page.keyboard.press('G')
    const toEnd = await h.page.waitForFunction(
      `document.querySelector('[data-testid="message"][data-index="${TOTAL - 1}"]') ? performance.now() - window.__t1 : null`,
      undefined,
      { timeout: 60_000, polling: 'raf' },
    )
    const endMs = (await toEnd.jsonValue()) as number

    // Scroll (compressed scrollbar) to the middle and wait for real rows there.
    await h.page.evaluate(
      `window.__t2 = performance.now(); const el = document.querySelector('.vlist'); el.scrollTop = (el.scrollHeight - el.clientHeight) / 2`,
    )
    const mid = await h.page.waitForFunction(
      `(() => { const r = document.querySelector('[data-testid="message"]'); const i = r ? Number(r.getAttribute('data-index')) : -1; return i > ${TOTAL * 0.4} && i < ${TOTAL * 0.6} ? [performance.now() - window.__t2, i] : null })()`,
      undefined,
      { timeout: 60_000, polling: 'raf' },
    )
    const [midMs, midIndex] = (await mid.jsonValue()) as [number, number]
    // A few wheel scrolls through the middle, measured as frames.
    for (let i = 0; i < 20; i++) {
      await h.page.mouse.move(700, 700)
      await h.page.mouse.wheel(0, 600)
      await new Promise((r) => setTimeout(r, 50))
    }
    const frames = await stopFrames(h.page)
    const stats = await rendererStats(h.page)
    // What the server alone needs before the first byte of this catch-up (the reference server
    // builds a whole response before sending it; the embedded one bounds its size): the floor
    // under any client's first screen.
    const ttfb: number[] = []
    for (let i = 0; i < 3; i++) ttfb.push(await firstByteMs(url + '?offset=-1'))
    const serverMs = percentile(ttfb, 50)

    console.log(`\nUI open benchmark (${quick ? 'quick' : 'full'}): ${TOTAL} JSON messages`)
    console.log(`  first screen: ${fmt(firstMs, 0)} ms (rows known then: ${firstTotal})`)
    console.log(
      `  server's own time to first byte of that read: ${fmt(serverMs, 0)} ms (median of 3) — the app's share: ${fmt(firstMs - serverMs, 0)} ms`,
    )
    console.log(`  all ${TOTAL} messages indexed (catch-up done): ${fmt(allMs, 0)} ms`)
    console.log(`  G to the last message: ${fmt(endMs, 0)} ms`)
    console.log(`  scroll to the middle: ${fmt(midMs, 0)} ms (row ${midIndex})`)
    console.log(
      `  frames while jumping/scrolling: p50 ${fmt(percentile(frames, 50))} ms  p95 ${fmt(percentile(frames, 95))} ms  max ${fmt(Math.max(...frames))} ms`,
    )
    console.log(
      `  renderer holds: ${stats.rows} rendered rows, ${stats.domNodes} DOM nodes, JS heap ${fmt(stats.heapMB)} MB`,
    )
    const ok = firstMs < 1000 && stats.rows < 200
    console.log(
      `  target first screen < 1 s: ${firstMs < 1000 ? 'PASS' : 'FAIL'}; window-only renderer: ${stats.rows < 200 ? 'PASS' : 'FAIL'}`,
    )
    if (!ok) process.exitCode = 1
  } finally {
    await h.close()
  }
}

/** Time until the response headers of a plain GET arrive (node:http, no compression asked). */
function firstByteMs(url: string): Promise<number> {
  const t0 = performance.now()
  return new Promise((resolve, reject) => {
    http
      .get(url, (res) => {
        const ms = performance.now() - t0
        res.resume()
        res.on('end', () => resolve(ms))
      })
      .on('error', reject)
  })
}

main().catch((err: unknown) => {
  console.error('ui-open benchmark failed:', err)
  process.exit(1)
})
