import { expect, test, type Page, useWebHost } from './fixtures.js'
import { WebSocket as NodeWebSocket } from 'ws'
import { typeInEditor } from './admin-helpers.js'

const host = useWebHost()

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: test.info().outputPath(`${name}.png`) })
  await page.screenshot({ path: `test-results/screens/web-${name}.png` })
}

test('Local connection → create → append → live message with offset → reload resumes without duplicates', async ({
  page,
}) => {
  const consoleErrors: string[] = []
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text())
  })
  const foreign: string[] = []
  page.on('request', (r) => {
    if (!r.url().startsWith(host.origin) && !/^(data|blob):/.test(r.url())) foreign.push(r.url())
  })
  await page.goto(host.url)
  await expect(page.getByTestId('connection-name')).toHaveText('Local')
  // The token is taken out of the address bar once read.
  expect(page.url()).not.toContain('token=')
  await shot(page, '1-empty')

  await page.getByTestId('stream-path').fill('demo/events')
  await page.getByTestId('create-stream').click()
  await expect(page.getByTestId('stream-title')).toHaveText('demo/events')
  await expect(page.getByTestId('browse-state')).toContainText('live')
  // The registry lists the new stream.
  await expect(page.getByTestId('stream-list')).toContainText('demo/events')
  await shot(page, '2-created')

  await typeInEditor(page, '{"type":"hello","n":1}')
  await page.getByTestId('append').click()
  const rows = page.getByTestId('message')
  await expect(rows).toHaveCount(1)
  await expect(rows.first()).toContainText('{"type":"hello","n":1}')
  const offset1 = await rows.first().getAttribute('data-offset')
  expect(offset1).toMatch(/^\d+_\d+$/)
  await expect(rows.first().getByTestId('row-address')).toHaveAttribute(
    'title',
    new RegExp(offset1 ?? 'missing'),
  )

  await typeInEditor(page, '{"type":"hello","n":2}')
  await page.getByTestId('append').click()
  await expect(rows).toHaveCount(2)
  const offset2 = await rows.nth(1).getAttribute('data-offset')
  expect(offset2 && offset1 && offset2 > offset1).toBe(true)
  await shot(page, '3-appended')

  // Monaco (local bundle + workers, no CDN) shows the message in detail.
  await rows.first().click()
  const detail = page.getByTestId('message-detail')
  await expect(detail.locator('.monaco-editor')).toBeVisible()
  await expect(detail.locator('.view-lines')).toContainText('"hello"')
  await shot(page, '3b-detail')

  await page.reload()
  await expect(page.getByTestId('stream-title')).toHaveText('demo/events')
  await expect(page.getByTestId('browse-state')).toContainText('live')
  await expect(rows).toHaveCount(2)
  await typeInEditor(page, '{"type":"after-reload"}')
  await page.getByTestId('append').click()
  await expect(rows).toHaveCount(3)
  // Give a duplicate delivery a chance to show up before checking there is none.
  await page.waitForTimeout(500)
  await expect(rows).toHaveCount(3)
  const texts = await rows.locator('.c-value').allTextContents()
  expect(texts).toEqual([
    '{"type":"hello","n":1}',
    '{"type":"hello","n":2}',
    '{"type":"after-reload"}',
  ])
  await shot(page, '4-after-reload')
  // The UI follows the OS colour scheme.
  await page.emulateMedia({ colorScheme: 'dark' })
  expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe(
    'rgb(23, 25, 30)',
  )
  await shot(page, '4-after-reload-dark')
  expect(consoleErrors).toEqual([])
  expect(foreign).toEqual([])
})

test('bad input gets a clear message next to the input', async ({ page }) => {
  await page.goto(host.url)
  await expect(page.getByTestId('connection-name')).toHaveText('Local')
  await page.getByTestId('stream-path').fill('bad path with spaces')
  await page.getByTestId('create-stream').click()
  await expect(page.getByTestId('create-error')).toContainText('must not contain spaces')

  await page.getByTestId('stream-path').fill('notes')
  await page.getByTestId('create-stream').click()
  await expect(page.getByTestId('stream-title')).toHaveText('notes')
  await typeInEditor(page, '{not json')
  await page.getByTestId('append').click()
  await expect(page.getByTestId('append-error')).toContainText('Not valid JSON')
  await shot(page, '5-errors')
})

test('bridge refuses a wrong token and a foreign origin', async ({ page, pageErrorGuard }) => {
  // The refused attempts below are logged by Chromium itself.
  pageErrorGuard.allowConsoleErrors([/WebSocket connection to .* failed/])
  const ws = new URL(host.url)
  const bridge = `ws://${ws.host}/bridge?token=`
  await page.goto(`${host.origin}/`)
  const results = await page.evaluate(
    async ({ bridge, token }) => {
      const attempt = (url: string): Promise<string> =>
        new Promise((ok) => {
          const s = new WebSocket(url)
          s.onopen = () => {
            s.close()
            ok('open')
          }
          s.onerror = () => ok('refused')
        })
      return { wrong: await attempt(bridge + 'nope'), right: await attempt(bridge + token) }
    },
    { bridge, token: ws.searchParams.get('token') ?? '' },
  )
  expect(results).toEqual({ wrong: 'refused', right: 'open' })

  // Another local page (different origin) holding the right token is still refused.
  const status = await new Promise<number | string>((ok) => {
    const s = new NodeWebSocket(`${bridge}${ws.searchParams.get('token')}`, {
      origin: 'http://127.0.0.1:9',
    })
    s.on('unexpected-response', (_req, res) => ok(res.statusCode ?? 'no status'))
    s.on('open', () => {
      s.close()
      ok('open')
    })
    s.on('error', (err) => ok(err.message))
  })
  expect(status).toBe(403)
})

test('a stale token (the web host was restarted) ends the session: said so, nothing to click', async ({
  page,
  pageErrorGuard,
}) => {
  // Chromium logs the refused WebSocket itself.
  pageErrorGuard.allowConsoleErrors([/WebSocket connection to .* failed/])
  // A token from an earlier launch of `npm run web`.
  await page.goto(`${host.origin}/?token=from-an-earlier-launch`)
  const ended = page.getByTestId('session-ended')
  await expect(ended).toContainText("This page's session with the inspector ended")
  await expect(ended).toContainText('open the URL it prints')
  await expect(page.getByTestId('create-stream')).toHaveCount(0)
  await expect(page.getByTestId('streams-empty')).toHaveCount(0)
  await shot(page, '6-session-ended')

  // A page with a good session: the host stops under it, and the page says so.
  await page.goto(host.url)
  await expect(page.getByTestId('connection-name')).toHaveText('Local')
  await host.stop()
  await expect(page.getByTestId('session-ended')).toBeVisible()
  await expect(page.getByTestId('create-stream')).toHaveCount(0)
})
