/**
 * `npm run dev` without a real Electron: electron-vite dev is started the way scripts/start.mjs
 * starts it (ELECTRON_EXEC_PATH = the binary), here a stand-in that records what it was given.
 * Checks that the dev server comes up, that Electron is pointed at it, and that its index.html
 * carries the dev variant of the shared CSP.
 */
import { spawn } from 'node:child_process'
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { devCsp } from '../../src-shared/csp.js'

const ROOT = resolve(import.meta.dirname, '../..')
const dir = mkdtempSync(join(tmpdir(), 'dsi-dev-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe.skipIf(process.platform === 'win32')('npm run dev (electron-vite dev)', () => {
  it('serves the renderer with the dev CSP and launches Electron on the dev server URL', async () => {
    const record = join(dir, 'launched.txt')
    const fake = join(dir, 'electron')
    writeFileSync(
      fake,
      `#!/bin/sh\nprintf '%s\\n%s\\n' "$ELECTRON_RENDERER_URL" "$*" > '${record}'\nexec sleep 60\n`,
    )
    chmodSync(fake, 0o755)
    const child = spawn(
      process.execPath,
      // Main and preload go to a temp dir, not out/ (other tests read out/ meanwhile).
      [
        join(ROOT, 'node_modules/electron-vite/bin/electron-vite.js'),
        'dev',
        '--outDir',
        join(dir, 'out'),
        '--entry',
        join(dir, 'out', 'main', 'index.js'),
      ],
      {
        cwd: ROOT,
        env: { ...process.env, ELECTRON_EXEC_PATH: fake },
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true, // its own process group: the dev server and the stand-in stop together
      },
    )
    let output = ''
    child.stdout.on('data', (b: Buffer) => (output += b.toString()))
    child.stderr.on('data', (b: Buffer) => (output += b.toString()))
    try {
      const deadline = Date.now() + 60_000
      while (!existsSync(record) || !readFileSync(record, 'utf8').includes('\n')) {
        if (Date.now() > deadline || child.exitCode !== null)
          throw new Error(`electron-vite dev did not launch Electron:\n${output}`)
        await new Promise((r) => setTimeout(r, 200))
      }
      const [url = '', args = ''] = readFileSync(record, 'utf8').split('\n')
      expect(url).toMatch(/^http:\/\/localhost:\d+$/)
      expect(args).toBe(join(dir, 'out', 'main', 'index.js'))
      expect(existsSync(join(dir, 'out', 'preload', 'index.cjs'))).toBe(true)
      const html = await (await fetch(url)).text()
      const metas = [
        ...html.matchAll(/http-equiv="Content-Security-Policy"\s+content="([^"]*)"/g),
      ].map((m) => m[1])
      expect(metas).toEqual([devCsp(new URL(url).origin, { header: false })])
    } finally {
      if (child.pid !== undefined && child.exitCode === null) process.kill(-child.pid, 'SIGTERM')
    }
  }, 90_000)
})
