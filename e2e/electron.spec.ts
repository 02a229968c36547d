/**
 * The same flow in the real desktop app through Playwright's `_electron`. Before deciding, it
 * tries what `npm start` does: download a missing binary through electron's own installer
 * (bounded: DSI_ELECTRON_DOWNLOAD_TIMEOUT, default 300 s here, 600 s for `npm start`). Only when no binary can be had is it
 * skipped, with the reason printed (and counted as skipped in `npm test`'s summary line).
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { _electron as electron, expect, test } from '@playwright/test'
import {
  DEFAULT_DOWNLOAD_TIMEOUT_MS,
  downloadTimeoutMs,
  ensureElectronBinary,
  type EnsureResult,
} from '../scripts/electron-binary.mjs'

const ROOT = resolve(import.meta.dirname, '..')
const E2E_DOWNLOAD_TIMEOUT_MS = 5 * 60_000

test.describe('desktop app (Electron)', () => {
  let found: EnsureResult = { ok: false, reason: 'not looked for yet' }

  test.beforeAll(async () => {
    // A test run waits less than `npm start` by default (a network that drops traffic silently
    // would otherwise hold every `npm test` for 10 minutes); DSI_ELECTRON_DOWNLOAD_TIMEOUT wins.
    let bound = Math.min(DEFAULT_DOWNLOAD_TIMEOUT_MS, E2E_DOWNLOAD_TIMEOUT_MS)
    let explicit = false
    try {
      explicit = Boolean(process.env.DSI_ELECTRON_DOWNLOAD_TIMEOUT)
      if (explicit) bound = downloadTimeoutMs(process.env)
    } catch (_err) {
      // ensureElectronBinary reports the bad value as the skip reason.
    }
    test.setTimeout(bound + 30_000)
    found = await ensureElectronBinary(ROOT, explicit ? {} : { timeoutMs: bound })
    if (!found.ok) {
      console.log(
        `[electron e2e] SKIPPED: ${found.reason}. The web e2e (e2e/web.spec.ts) covers the same flow in Chromium.`,
      )
    }
    test.skip(!found.ok, found.ok ? '' : `No Electron binary: ${found.reason}`)
  })

  test('Local connection → create → append → live → reload resumes without duplicates', async () => {
    if (!found.ok) throw new Error('unreachable: beforeAll skips without a binary')
    const userData = mkdtempSync(join(tmpdir(), 'dsi-electron-'))
    const app = await electron.launch({
      executablePath: found.path,
      args: [join(ROOT, 'out/main/index.js'), '--user-data', userData],
      cwd: ROOT,
    })
    try {
      const page = await app.firstWindow()
      const shot = (name: string) =>
        page.screenshot({ path: `test-results/screens/electron-${name}.png` })
      // Served from the app:// scheme (out/renderer only), not file://.
      expect(page.url()).toMatch(/^app:\/\/dsi\/index\.html/)
      // The renderer sees only the contract, not Node or Electron.
      expect(
        await page.evaluate(() => typeof (window as unknown as { require?: unknown }).require),
      ).toBe('undefined')
      expect(
        await page.evaluate(() =>
          Object.keys((window as unknown as { dsi?: object }).dsi ?? {}).sort(),
        ),
      ).toEqual(['invoke', 'subscribe'])
      await expect(page.getByTestId('connection-name')).toHaveText('Local')
      await shot('1-empty')
      await page.getByTestId('stream-path').fill('desk/events')
      await page.getByTestId('create-stream').click()
      await expect(page.getByTestId('tail-state')).toHaveText('live')
      await page.getByTestId('append-input').fill('{"n":1}')
      await page.getByTestId('append').click()
      const rows = page.getByTestId('message')
      await expect(rows).toHaveCount(1)
      expect(await rows.first().getAttribute('data-offset')).toMatch(/^\d+_\d+$/)
      await shot('2-appended')
      await page.reload()
      await expect(page.getByTestId('tail-state')).toHaveText('live')
      await page.getByTestId('append-input').fill('{"n":2}')
      await page.getByTestId('append').click()
      await expect(rows).toHaveCount(2)
      await page.waitForTimeout(500)
      await expect(rows).toHaveCount(2)
      await shot('3-after-reload')
      // window.open is denied.
      expect(await page.evaluate(() => window.open('https://example.com'))).toBeNull()
    } finally {
      await app.close()
      rmSync(userData, { recursive: true, force: true })
    }
  })
})
