/**
 * Shared helpers of the UI benchmarks (bench/ui-*.ts): build the renderer if needed, start the
 * web host, drive Debian Chromium with playwright-core, collect requestAnimationFrame deltas
 * in the page, and seed streams over HTTP.
 */
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { chromium, type Browser, type Page } from 'playwright-core'
import { startWebHostProcess, type WebHostProcess } from '../e2e/web-host-process.js'

export const ROOT = resolve(import.meta.dirname, '..')

export function ensureBuilt(force: boolean): void {
  if (!force && existsSync(resolve(ROOT, 'out/renderer/index.html'))) return
  console.log('building the renderer (electron-vite build)…')
  execFileSync(
    process.execPath,
    [resolve(ROOT, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'],
    {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  )
}

export interface Harness {
  host: WebHostProcess
  browser: Browser
  page: Page
  server: string
  close(): Promise<void>
}

export async function startHarness(): Promise<Harness> {
  const host = await startWebHostProcess()
  let m: RegExpExecArray | null = null
  for (let i = 0; i < 100 && !m; i++) {
    m = /Embedded server: (http:\/\/\S+)/.exec(host.output())
    if (!m) await new Promise((r) => setTimeout(r, 20))
  }
  if (!m?.[1]) throw new Error(`no embedded server URL:\n${host.output()}`)
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--enable-precise-memory-info'],
  })
  // bypassCSP: waitForFunction evaluates strings, which the app's CSP (rightly) forbids.
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, bypassCSP: true })
  page.on('pageerror', (err) => console.error('[page error]', err.message))
  return {
    host,
    browser,
    page,
    server: m[1],
    close: async () => {
      await browser.close()
      await host.stop()
    },
  }
}

export async function createStream(server: string, path: string): Promise<string> {
  const url = `${server}/${path}`
  const r = await fetch(url, { method: 'PUT', headers: { 'content-type': 'application/json' } })
  if (r.status !== 201 && r.status !== 200) throw new Error(`create ${path}: HTTP ${r.status}`)
  return url
}

export async function appendJson(url: string, body: string): Promise<void> {
  const r = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  })
  if (r.status >= 300) throw new Error(`append: HTTP ${r.status} ${await r.text()}`)
}

// Page code is passed as strings: tsx (esbuild keepNames) would inject helpers the page lacks.
const START_FRAMES = `(() => {
  window.__frames = []
  window.__frameStop = false
  let last = performance.now()
  const tick = (now) => {
    window.__frames.push(now - last)
    last = now
    if (!window.__frameStop) requestAnimationFrame(tick)
  }
  requestAnimationFrame(tick)
})()`

/** Starts collecting frame deltas (ms) in the page. */
export async function startFrames(page: Page): Promise<void> {
  await page.evaluate(START_FRAMES)
}

export async function stopFrames(page: Page): Promise<number[]> {
  return page.evaluate<number[]>(
    `(() => { window.__frameStop = true; return window.__frames.slice(1) })()`,
  )
}

export interface RendererStats {
  heapMB: number
  domNodes: number
  rows: number
}

export async function rendererStats(page: Page): Promise<RendererStats> {
  return page.evaluate<RendererStats>(`({
    heapMB: performance.memory ? performance.memory.usedJSHeapSize / 1048576 : -1,
    domNodes: document.getElementsByTagName('*').length,
    rows: document.querySelectorAll('[data-testid="message"]').length,
  })`)
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!
}

/** RSS of a process in MB (Linux /proc), or -1. */
export function rssMB(pid: number | undefined): number {
  if (!pid) return -1
  try {
    const status = execFileSync('cat', [`/proc/${pid}/status`], { encoding: 'utf8' })
    const m = /VmRSS:\s+(\d+) kB/.exec(status)
    return m?.[1] ? Number(m[1]) / 1024 : -1
  } catch {
    return -1
  }
}

export const fmt = (n: number, d = 1): string => (Number.isFinite(n) ? n.toFixed(d) : 'n/a')
