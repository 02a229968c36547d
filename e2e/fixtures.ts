/**
 * The one `test` every web e2e spec imports: it fails the test on any uncaught page error or
 * console error in any page of the test's browser context, so a regression that only shows in
 * DevTools (a Monaco service missing, a React key warning logged as error) is caught everywhere.
 *
 * A test that provokes an error on purpose declares it with `allowConsoleErrors([/pattern/])`.
 */
import { test as base, expect, type Page } from '@playwright/test'
import { startWebHostProcess, type WebHostProcess } from './web-host-process.js'

export { expect }
export type { Page } from '@playwright/test'

interface PageErrorGuard {
  /** Patterns of console errors this test expects (e.g. a 404 resource it provokes). */
  allowConsoleErrors: (patterns: RegExp[]) => void
}

export const test = base.extend<{ pageErrorGuard: PageErrorGuard }>({
  pageErrorGuard: [
    async ({ context }, use) => {
      const seen: string[] = []
      const allowed: RegExp[] = []
      const watch = (page: Page): void => {
        page.on('pageerror', (err) => seen.push(`uncaught page error: ${err.stack ?? err.message}`))
        page.on('console', (m) => {
          if (m.type() !== 'error') return
          const text = m.text()
          if (allowed.some((re) => re.test(text))) return
          const loc = m.location()
          seen.push(`console error: ${text}${loc.url ? ` (${loc.url}:${loc.lineNumber})` : ''}`)
        })
      }
      context.pages().forEach(watch)
      context.on('page', watch)
      await use({ allowConsoleErrors: (patterns) => allowed.push(...patterns) })
      expect(seen, 'the page logged errors (uncaught or console.error)').toEqual([])
    },
    { auto: true },
  ],
})

/**
 * One web host per test, for a spec that calls this at its top level: started before each test
 * and stopped after it. The test's page is closed before the host stops, so nothing the page
 * loads late (a lazily imported chunk) fails against a stopped host. The handle reads the
 * current test's host; its log is printed when a test fails.
 */
export function useWebHost(): WebHostProcess {
  let current: WebHostProcess | undefined
  const get = (): WebHostProcess => {
    if (!current) throw new Error('useWebHost: no web host outside a test')
    return current
  }
  test.beforeEach(async () => {
    current = await startWebHostProcess()
  })
  test.afterEach(async ({ page }, info) => {
    if (info.status !== info.expectedStatus) console.log(current?.output().slice(-3000))
    await page.close()
    await current?.stop()
    current = undefined
  })
  return {
    get url() {
      return get().url
    },
    get origin() {
      return get().origin
    },
    get userDataDir() {
      return get().userDataDir
    },
    output: () => get().output(),
    stop: () => get().stop(),
  }
}
