import { expect, test, useWebHost } from './fixtures.js'
import { appendViaEditor, openTool, quickCreate, shot, typeInEditor } from './admin-helpers.js'

const host = useWebHost()

test('append with Monaco: preview split count, format, Ctrl+Enter, errors with nothing appended', async ({
  page,
}) => {
  await page.goto(host.url)
  await quickCreate(page, 'append/json')
  const rows = page.getByTestId('message')

  // A top-level array is previewed as several messages and appended as such.
  await typeInEditor(page, '[{"a":1},{"a":2},{"a":3}]')
  await expect(page.getByTestId('append-preview')).toHaveText('3 messages')
  await page.getByTestId('format-json').click()
  await shot(page, 'append-1-preview')
  await page.getByTestId('append').click()
  await expect(page.getByTestId('append-result')).toContainText('Appended 3 messages')
  await expect(rows).toHaveCount(3)

  // Invalid JSON: message next to the editor, nothing sent.
  await typeInEditor(page, '{"broken": ')
  await expect(page.getByTestId('append-preview')).toHaveText('invalid')
  await page.getByTestId('append').click()
  await expect(page.getByTestId('append-error')).toContainText('Not valid JSON')
  await shot(page, 'append-2-invalid-json')
  await expect(rows).toHaveCount(3)

  // Ctrl/Cmd+Enter sends; Stream-Seq is optional and a lower one is refused (409).
  await typeInEditor(page, '{"n":4}')
  await page.getByTestId('append-seq').fill('0005')
  await page.keyboard.press('ControlOrMeta+Enter')
  await expect(page.getByTestId('append-result')).toContainText('Appended 1 message')
  await expect(rows).toHaveCount(4)
  await typeInEditor(page, '{"n":5}')
  await page.getByTestId('append-seq').fill('0003')
  await page.getByTestId('append').click()
  await expect(page.getByTestId('append-error')).toContainText('409')
  await expect(rows).toHaveCount(4)
  await page.getByTestId('append-seq').fill('')

  // Content type mismatch (409) is explained, nothing appended.
  await page.getByTestId('append-content-type').fill('text/plain')
  await page.getByTestId('append').click()
  await expect(page.getByTestId('append-error')).toContainText('Content type does not match')
  await page.getByTestId('append-content-type').fill('')
  await expect(rows).toHaveCount(4)

  // Append & close; then a closed stream takes nothing more (the tab says so).
  await typeInEditor(page, '{"type":"last"}')
  await page.getByTestId('append-close').click()
  await expect(page.getByTestId('append-closed')).toBeVisible()
  await expect(rows).toHaveCount(5)
  await shot(page, 'append-3-closed')
})

test('append: 409 closed and 404 deleted are shown next to the editor', async ({ page }) => {
  await page.goto(host.url)
  await quickCreate(page, 'append/text', 'text/plain')
  await openTool(page, 'append')
  await expect(page.getByTestId('mode-text')).toHaveAttribute('aria-checked', 'true')
  await appendViaEditor(page, 'hello')
  await expect(page.getByTestId('message')).toHaveCount(1)
  // Hex input for raw bytes.
  await page.getByTestId('mode-hex').click()
  await typeInEditor(page, 'zz')
  await page.getByTestId('append').click()
  await expect(page.getByTestId('append-error')).toContainText('Not valid hex')
  await typeInEditor(page, '20 77 6f 72 6c 64')
  await page.getByTestId('append').click()
  await expect(page.getByTestId('append-result')).toBeVisible()
  await expect(page.getByTestId('messages')).toContainText(' world')

  // Someone else closes it, then deletes it: errors name the condition.
  const base = await page.getByTestId('connection-url').textContent()
  const url = `${base}/append/text`
  expect(
    (await fetch(url, { method: 'POST', headers: { 'Stream-Closed': 'true' } })).status,
  ).toBeLessThan(300)
  // The live read sees the closure: appending is no longer offered, and the tab says why.
  await expect(page.getByTestId('append-closed')).toBeVisible()
  await expect(page.getByTestId('append')).toBeDisabled()
  await expect(page.getByTestId('append-close')).toBeDisabled()
  await shot(page, 'append-4-409-closed')

  // Deleted under the editor: the 404 is named once.
  await quickCreate(page, 'append/gone', 'text/plain')
  await openTool(page, 'append')
  await typeInEditor(page, 'late')
  expect((await fetch(`${base}/append/gone`, { method: 'DELETE' })).status).toBeLessThan(300)
  await page.getByTestId('append').click()
  await expect(page.getByTestId('append-error')).toContainText('Stream not found (404)')
  expect((await page.getByTestId('append-error').innerText()).match(/not found/gi)).toHaveLength(1)
})

test('pasting 5 MB of JSON does not freeze the tab: it bypasses the editor and appends', async ({
  page,
}) => {
  await page.goto(host.url)
  await quickCreate(page, 'append/big')
  await openTool(page, 'append')
  const editor = page.getByTestId('append-editor').locator('.monaco-editor')
  await expect(editor).toBeVisible()
  // ~5 MB: 20,000 messages of ~250 bytes, pasted as one JSON array.
  const started = Date.now()
  await page.getByTestId('append-editor').evaluate((el) => {
    const big = JSON.stringify(
      Array.from({ length: 20_000 }, (_, n) => ({ n, pad: 'x'.repeat(230) })),
    )
    const data = new DataTransfer()
    data.setData('text/plain', big)
    el.querySelector('textarea')?.dispatchEvent(
      new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }),
    )
  })
  await expect(page.getByTestId('append-large')).toContainText(/Large body \(4\.8 MB\)/)
  await expect(page.getByTestId('append-preview')).toHaveText('20000 messages')
  // The page still answers at once.
  const t = Date.now()
  await page.evaluate(() => 1)
  expect(Date.now() - t).toBeLessThan(1_000)
  await shot(page, 'append-5-large-body')
  await page.getByTestId('append').click()
  await expect(page.getByTestId('append-result')).toContainText('Appended 20000 messages', {
    timeout: 30_000,
  })
  expect(Date.now() - started).toBeLessThan(45_000)
  await expect(page.getByTestId('append-large')).toHaveCount(0)
  await expect(page.getByTestId('message-list')).toHaveAttribute('data-total', '20000', {
    timeout: 20_000,
  })
})
