/**
 * The first hour with the inspector, as three users spend it, end to end through the web build
 * against the embedded server: a developer inspecting a stream, a QA engineer replaying and
 * exporting a range, an operator running a producer into fencing. The fixture fails each test on
 * any uncaught page error or console error.
 */
import { readFileSync } from 'node:fs'
import { expect, test, useWebHost, type Page } from './fixtures.js'
import { appendViaEditor, openTool, quickCreate } from './admin-helpers.js'
import { append, createStream, openStream } from './browse-helpers.js'

const host = useWebHost()
test.beforeEach(async ({ context }) => {
  test.setTimeout(180_000)
  await context.grantPermissions(['clipboard-read', 'clipboard-write'])
})

const clipboard = (page: Page): Promise<string> =>
  page.evaluate(() => navigator.clipboard.readText())

/** Rows of the list that are entirely inside its viewport (under the header). */
async function fullyVisibleRows(page: Page): Promise<number> {
  return page.getByTestId('message-list').evaluate((list) => {
    const head = list.querySelector('[data-testid="list-header"]')
    const top = (head ?? list).getBoundingClientRect().bottom
    const bottom = list.getBoundingClientRect().bottom
    return [...list.querySelectorAll('[data-testid="message"]')].filter((r) => {
      const b = r.getBoundingClientRect()
      return b.top >= top - 0.5 && b.bottom <= bottom + 0.5
    }).length
  })
}

/** A synthetic paste into the Append editor (what the browser sends for Ctrl+V). */
async function pasteIntoEditor(page: Page, text: string): Promise<void> {
  await page.getByTestId('append-editor').evaluate((el, t) => {
    const data = new DataTransfer()
    data.setData('text/plain', t)
    el.querySelector('textarea')?.dispatchEvent(
      new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }),
    )
  }, text)
}

test('developer: create a stream, append JSON, browse by keyboard, search, detail, row menu', async ({
  page,
}) => {
  await page.goto(host.url)
  await quickCreate(page, 'dev/orders')
  const orders = Array.from({ length: 40 }, (_, n) => ({
    id: n + 1,
    type: n % 4 === 0 ? 'order' : 'ping',
  }))
  await appendViaEditor(page, JSON.stringify(orders))
  const grid = page.getByRole('grid', { name: 'Messages' })
  await expect(grid).toHaveAttribute('data-total', '40')

  // With the tools open (Append) at 1280×800, the list still shows at least 20 whole rows
  // (with the timeline chart folded: open, it takes ~180 px of its own).
  await expect(page.getByTestId('tools-panel')).toBeVisible()
  const timeline = page.getByRole('region', { name: 'Timeline' }).getByRole('button', {
    name: /Timeline/,
  })
  if ((await timeline.getAttribute('aria-expanded')) === 'true') await timeline.click()
  await expect(timeline).toHaveAttribute('aria-expanded', 'false')
  await expect.poll(() => fullyVisibleRows(page)).toBeGreaterThanOrEqual(20)

  // One row per message, each with its own address (batch offset + index).
  const row = (i: number) => page.locator(`[data-testid="message"][data-index="${i}"]`)
  const compactOffset = (o: string | null): string => (o ?? '').replace(/(^|_)0+(?=\d)/g, '$1')

  // The sidebar lists the stream with its type and the tail the server reports.
  const tail = await row(39).getAttribute('data-offset')
  const listed = page.locator('[data-testid="stream-row"][data-path="dev/orders"]')
  await expect(listed).toContainText('json')
  await expect(listed.getByTestId('stream-next-offset')).toHaveText(`next ${compactOffset(tail)}`)

  await page.getByTestId('follow').uncheck()
  await grid.focus()
  await page.keyboard.press('Home')
  await expect(row(0)).toHaveAttribute('aria-selected', 'true')
  // The stream was opened when created, so its first batch was read from the creation tail.
  const start = await row(0).getAttribute('data-start-offset')
  expect(start).toMatch(/^\d+_\d+$/)
  const compact = compactOffset(start)
  await expect(row(0).getByTestId('row-address')).toHaveText(`${compact}+0`)
  await expect(row(3).getByTestId('row-address')).toHaveText(`${compact}+3`)
  await expect(row(3).getByTestId('row-address')).toHaveAttribute(
    'title',
    `Address ${start}+3: message 4 of 40 in the batch read from ${start} (batch offsets ${start} → ${await row(3).getAttribute('data-offset')})`,
  )
  // j/k and arrows move while the list has the focus; Enter opens the detail.
  await page.keyboard.press('j')
  await page.keyboard.press('ArrowDown')
  await page.keyboard.press('k')
  await expect(row(1)).toHaveAttribute('aria-selected', 'true')
  await expect(grid).toHaveAttribute('aria-activedescendant', 'msg-row-1')
  await page.keyboard.press('Enter')
  const detail = page.getByTestId('message-detail')
  await expect(detail).toContainText('#2')
  await page.getByTestId('format-collapsed').click()
  await expect(page.getByTestId('json-collapsed')).toHaveText('{"id":2,"type":"ping"}')
  await detail.getByRole('button', { name: 'Copy address' }).click()
  expect(await clipboard(page)).toBe(`${start}+1`)
  // Outside the list the keys do nothing to it (no page-wide listener).
  await page.getByTestId('jump-offset').focus()
  await page.keyboard.press('Escape')
  await page.locator('body').press('j')
  await expect(row(1)).toHaveAttribute('aria-selected', 'true')

  // The row menu: right-click, or Shift+F10 on the list.
  await row(4).click({ button: 'right' })
  const menu = page.getByRole('menu', { name: 'Message #5' })
  await expect(menu).toBeVisible()
  await menu.getByRole('menuitem', { name: 'Copy as NDJSON line' }).click()
  await expect(menu).toHaveCount(0)
  const line = JSON.parse(await clipboard(page)) as {
    offset: string
    index: number
    value: unknown
  }
  expect(line.value).toEqual(orders[4])
  expect(line.index).toBe(4)
  expect(line.offset).toMatch(/^\d+_\d+$/)
  await expect(page.getByTestId('list-note')).toHaveText(/Copied an NDJSON line/)
  await grid.focus()
  await page.keyboard.press('Shift+F10')
  await expect(menu).toBeVisible()
  await expect(menu.getByRole('menuitem', { name: 'Copy value' })).toBeFocused()
  await page.keyboard.press('ArrowDown')
  await expect(menu.getByRole('menuitem', { name: 'Copy address' })).toBeFocused()
  await page.keyboard.press('Enter')
  expect(await clipboard(page)).toBe(`${start}+4`)
  await grid.focus()
  await page.keyboard.press('Shift+F10')
  await menu.getByRole('menuitem', { name: 'Copy as curl' }).click()
  const curl = await clipboard(page)
  expect(curl).toMatch(new RegExp(`^curl -sS -i .*/dev/orders\\?offset=${start}'$`))
  expect(curl).not.toContain('live=')
  await grid.focus()
  await page.keyboard.press('Shift+F10')
  await page.keyboard.press('Escape')
  await expect(menu).toHaveCount(0)
  await expect(grid).toBeFocused()

  // Search: "/" focuses it; matches are counted and marked.
  await page.keyboard.press('/')
  await expect(page.getByRole('textbox', { name: 'Search text' })).toBeFocused()
  await page.keyboard.type('order')
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('match-count')).toHaveText('10 matches')
  await expect(grid).toHaveAttribute('data-total', '10')
  await expect(page.getByTestId('hit').first()).toHaveText('order')
})

test('developer: columns remembered, the large-paste guard, state as of a message', async ({
  page,
}) => {
  const url = await createStream(host, 'dev/events')
  await append(url, JSON.stringify(Array.from({ length: 5 }, (_, n) => ({ n }))))
  await openStream(page, host, 'dev/events')
  const grid = page.getByRole('grid', { name: 'Messages' })
  await expect(grid).toHaveAttribute('data-total', '5')
  const row = (i: number) => page.locator(`[data-testid="message"][data-index="${i}"]`)

  // Columns: hide one, and the choice is remembered.
  await page.getByRole('button', { name: 'Columns ▾' }).click()
  await page.getByRole('menuitemcheckbox', { name: 'Size' }).click()
  await expect(page.getByRole('columnheader', { name: 'Size', exact: true })).toHaveCount(0)
  await page.reload()
  await expect(page.getByTestId('stream-title')).toHaveText('dev/events')
  await expect(page.getByRole('columnheader', { name: 'Arrived', exact: true })).toBeVisible()
  await expect(page.getByRole('columnheader', { name: 'Size', exact: true })).toHaveCount(0)

  // The large-body guard counts what the editor would hold after a paste, not the paste alone.
  await openTool(page, 'append')
  await page.getByTestId('mode-text').click()
  await expect(page.getByTestId('append-editor').locator('.monaco-editor')).toBeVisible()
  const chunk = 'x'.repeat(150 * 1024)
  // 150 KB from a file goes into the editor (under the line)…
  await page.getByTestId('append-file').setInputFiles({
    name: 'body.txt',
    mimeType: 'text/plain',
    buffer: Buffer.from(chunk),
  })
  await expect(page.getByTestId('append-preview')).toHaveText('1 message')
  await expect(page.getByTestId('append-large')).toHaveCount(0)
  // …and pasting 150 KB more makes 300 KB: the whole body goes around the editor.
  await pasteIntoEditor(page, chunk)
  await expect(page.getByTestId('append-large')).toContainText('Large body (300 KB)')
  await page.getByTestId('append-large-clear').click()
  await expect(page.getByTestId('append-large')).toHaveCount(0)

  // "State as of here" switches to the State view of the stream.
  await row(2).click({ button: 'right' })
  await page.getByRole('menuitem', { name: 'State as of here' }).click()
  await expect(page.getByRole('tab', { name: /^State/ })).toHaveAttribute('aria-selected', 'true')
})

test('QA: pick a range in the list, replay it into a new stream, export NDJSON, re-import it', async ({
  page,
}) => {
  await page.goto(host.url)
  // The replay target exists first: a replay into a path that does not exist is refused (404).
  await quickCreate(page, 'qa/copy')
  await quickCreate(page, 'qa/source')
  await appendViaEditor(page, JSON.stringify(Array.from({ length: 6 }, (_, n) => ({ n }))))
  const grid = page.getByRole('grid', { name: 'Messages' })
  await expect(grid).toHaveAttribute('data-total', '6')
  const row = (i: number) => page.locator(`[data-testid="message"][data-index="${i}"]`)

  // The range from the row menu: #2 to #5.
  await row(1).click({ button: 'right' })
  await page.getByRole('menuitem', { name: 'Set as range start' }).click()
  await row(4).click({ button: 'right' })
  await page.getByRole('menuitem', { name: 'Set as range end' }).click()
  await expect(page.getByRole('tab', { name: 'Replay & export' })).toHaveAttribute(
    'aria-selected',
    'true',
  )
  await expect(page.getByTestId('replay-range-count')).toHaveText('4 messages · #2–#5')
  await expect(row(1)).toHaveAttribute('data-in-range', 'true')
  await expect(row(0)).not.toHaveAttribute('data-in-range', 'true')

  // Replay into a new stream (the target starts empty, not the source).
  await expect(page.getByTestId('replay-target')).toHaveValue('')
  await page.getByTestId('replay-target').fill('qa/copy')
  await page.getByTestId('replay-start').click()
  await expect(page.getByTestId('replay-status')).toContainText('4/4 (100%) · 0 duplicates')
  await expect(page.getByTestId('replay-progress')).toBeInViewport()

  // Export the same range as NDJSON.
  const download = page.waitForEvent('download')
  await page.getByTestId('export').click()
  const file = await (await download).path()
  const lines = readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { value: unknown })
  expect(lines.map((l) => l.value)).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }, { n: 4 }])

  // The copy holds exactly the range.
  await page.getByTestId('stream-path').fill('qa/copy')
  await page.getByTestId('open-stream').click()
  await expect(page.getByTestId('stream-title')).toHaveText('qa/copy')
  await expect(grid).toHaveAttribute('data-total', '4')
  await expect(row(0).locator('.c-value')).toHaveText('{"n":1}')

  // Import the file into another stream, then again: the second time nothing is written.
  await quickCreate(page, 'qa/imported')
  await openTool(page, 'replay')
  await page.getByTestId('import-file').setInputFiles(file)
  await expect(page.getByTestId('transfer-status')).toContainText('Imported 4 messages')
  await expect(grid).toHaveAttribute('data-total', '4')
  await page.getByTestId('import-file').setInputFiles(file)
  await expect(page.getByTestId('transfer-status')).toContainText('0 new, 4 duplicates skipped')
  await expect(grid).toHaveAttribute('data-total', '4')
})

test('operator: run a producer, see it fenced by a newer epoch, claim it back', async ({
  page,
}) => {
  await page.goto(host.url)
  await quickCreate(page, 'ops/events')
  await openTool(page, 'producers')
  await page.getByTestId('producer-id').fill('writer-1')
  await page.getByTestId('producer-create').click()
  const card = page.getByTestId('producer-card')
  await expect(card).toHaveCount(1)
  await card.getByTestId('producer-message').fill('{"event":"tick"}')
  await card.getByTestId('producer-count').fill('3')
  await card.getByTestId('producer-send').click()
  await expect(card.getByTestId('stat-acked')).toHaveText('3')
  await expect(card.getByTestId('stat-epoch')).toHaveText('0')
  const grid = page.getByRole('grid', { name: 'Messages' })
  await expect(grid).toHaveAttribute('data-total', '3')

  // Another process takes the producer id at a newer epoch: ours is fenced.
  const base = await page.getByTestId('connection-url').textContent()
  const r = await fetch(`${base}/ops/events`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      'Producer-Id': 'writer-1',
      'Producer-Epoch': '4',
      'Producer-Seq': '0',
    },
    body: '[{"from":"other"}]',
  })
  expect(r.status).toBeLessThan(300)
  await expect(grid).toHaveAttribute('data-total', '4')
  await card.getByTestId('producer-count').fill('1')
  await card.getByTestId('producer-send').click()
  await expect(card.getByTestId('producer-fenced')).toHaveText('fenced by epoch 4')
  // Claim: a higher epoch; sending works again.
  await card.getByTestId('producer-claim').click()
  await expect(card.getByTestId('stat-epoch')).toHaveText('5')
  await card.getByTestId('producer-send').click()
  await expect(card.getByTestId('producer-fenced')).toHaveCount(0)
  await expect(card.getByTestId('stat-acked')).toHaveText('4')
  await expect(grid).toHaveAttribute('data-total', '5')
  // The newest message is the producer's, listed with its own address.
  const last = page.locator('[data-testid="message"][data-index="4"]')
  await expect(last.locator('.c-value')).toHaveText('{"event":"tick"}')
  await expect(last.getByTestId('row-address')).toHaveText(/\+0$/)
})
