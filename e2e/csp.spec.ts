/**
 * The shared CSP (src-shared/csp.ts) must not be violated by the app itself: a violation is
 * either a real break (a blocked script or style) or a probe that fills the console with
 * reports (zod's eval check). Collected with the page's own `securitypolicyviolation` events,
 * registered before any app script runs.
 */
import { expect, test, type Page, useWebHost } from './fixtures.js'
import { quickCreate, typeInEditor } from './admin-helpers.js'

const host = useWebHost()

interface Violation {
  directive: string
  blocked: string
  source: string
  line: number
}

async function watchViolations(page: Page): Promise<() => Promise<Violation[]>> {
  await page.addInitScript(() => {
    const seen: Violation[] = []
    ;(window as unknown as { __cspViolations: Violation[] }).__cspViolations = seen
    document.addEventListener('securitypolicyviolation', (e) => {
      seen.push({
        directive: e.effectiveDirective,
        blocked: e.blockedURI,
        source: e.sourceFile,
        line: e.lineNumber,
      })
    })
  })
  return () =>
    page.evaluate(() => (window as unknown as { __cspViolations: Violation[] }).__cspViolations)
}

test('no CSP violation when the app loads and when the Append editor opens', async ({ page }) => {
  const violations = await watchViolations(page)
  const response = await page.goto(host.url)
  // The policy really is in force (header from the web host), so an empty list means something.
  expect(response?.headers()['content-security-policy']).toContain("script-src 'self'")
  await quickCreate(page, 'csp/json')
  expect(await violations()).toEqual([])

  await typeInEditor(page, '{"a":1}')
  await expect(page.getByTestId('append-preview')).toHaveText('1 message')
  expect(await violations()).toEqual([])
})
