import { expect, test, useWebHost } from './fixtures.js'
import { openTool } from './admin-helpers.js'
import { append, createStream, openStream, shot } from './browse-helpers.js'

const host = useWebHost()
test.beforeEach(async ({ context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'])
})

const msg = (n: number): unknown => ({
  n,
  type: n % 3 === 0 ? 'order' : 'ping',
  user: { id: n % 7 },
})

test('message browser: virtualized rows with batch ranges, detail formats, keyboard, search, jump, start positions', async ({
  page,
}) => {
  test.setTimeout(120_000) // long, and the machine is shared
  const url = await createStream(host, 'orders')
  await append(url, JSON.stringify(Array.from({ length: 200 }, (_, n) => msg(n))))
  await openStream(page, host, 'orders')
  const list = page.getByTestId('message-list')
  await expect(list).toHaveAttribute('data-total', '200')
  const rows = page.getByTestId('message')
  // Following the tail by default: the last message is in view.
  await expect(page.locator('[data-testid="message"][data-index="199"]')).toBeVisible()
  await page.getByTestId('follow').uncheck()
  // The list's keys work while it has the focus (it is a grid), not page-wide.
  await page.getByRole('grid', { name: 'Messages' }).focus()
  await page.keyboard.press('g')
  // Only the visible window is rendered.
  await expect(rows.first()).toContainText('{"n":0,"type":"order"')
  const rendered = await rows.count()
  expect(rendered).toBeGreaterThan(5)
  expect(rendered).toBeLessThan(60)
  await expect(rows.first()).toHaveAttribute('data-start-offset', '-1')
  const end = await rows.first().getAttribute('data-offset')
  expect(end).toMatch(/^\d+_\d+$/)
  await expect(page.getByTestId('browse-state')).toContainText('up to date')
  await shot(page, 'browse-1-list')

  // Keyboard: G to the end, g to the start, j/k, Enter opens the detail.
  await page.keyboard.press('G')
  await expect(page.locator('[data-testid="message"][data-index="199"]')).toBeVisible()
  await page.keyboard.press('g')
  await expect(page.locator('[data-testid="message"][data-index="0"]')).toBeVisible()
  await page.keyboard.press('j')
  await page.keyboard.press('j')
  await page.keyboard.press('k')
  await page.keyboard.press('Enter')
  const detail = page.getByTestId('message-detail')
  await expect(detail).toContainText('#2')
  await expect(detail.locator('.view-lines')).toContainText('"ping"')
  await expect(page.getByTestId('detail-meta')).toContainText(`-1 → ${end}`)
  await page.getByTestId('format-tree').click()
  await expect(page.getByTestId('json-tree')).toContainText('user')
  await expect(page.getByTestId('json-tree')).toContainText('{1 key}')
  await shot(page, 'browse-2-detail-tree')
  await page.getByTestId('format-collapsed').click()
  await expect(page.getByTestId('json-collapsed')).toHaveText(
    '{"n":1,"type":"ping","user":{"id":1}}',
  )
  await page.getByTestId('copy-message').click()
  expect(await page.evaluate(() => navigator.clipboard.readText())).toContain('"n": 1')
  // Mounting the editor again (after the JSON language loaded its features) logs no errors
  // (the fixture fails the test on any): Monaco's services are all there from the start.
  await page.getByTestId('format-pretty').click()
  await expect(detail.locator('.view-lines')).toContainText('"ping"')

  // Search: "/" focuses the search box; text and JSON path filters with a match count.
  await page.keyboard.press('/')
  await expect(page.getByTestId('search-text')).toBeFocused()
  await page.keyboard.type('order')
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('match-count')).toHaveText('67 matches')
  await expect(list).toHaveAttribute('data-total', '67')
  // The open message stays in the detail pane; matches are marked; the toolbar keeps one line.
  await expect(page.getByTestId('message-detail')).toContainText('#2')
  await expect(rows.first().getByTestId('hit').first()).toHaveText('order')
  expect((await page.locator('.browser-toolbar').boundingBox())?.height ?? 99).toBeLessThan(40)
  await page.getByTestId('search-text').fill('')
  await page.getByTestId('search-path').fill('$.user.id == 3')
  await page.getByTestId('search-go').click()
  await expect(page.getByTestId('match-count')).toHaveText('29 matches')
  await expect(rows.first()).toContainText('"id":3')
  await shot(page, 'browse-3-search')
  await page.getByTestId('search-path').fill('$.user.id == 999')
  await page.getByTestId('search-go').click()
  await expect(page.getByTestId('no-matches')).toHaveText('No message matches the search.')
  await page.getByTestId('search-path').fill('user..id')
  await page.getByTestId('search-go').click()
  await expect(page.getByTestId('search-error')).toContainText('Invalid JSON path')
  // No stale count from the previous search next to the error.
  await expect(page.getByTestId('match-count')).toHaveCount(0)
  // Comparisons and combinations.
  await page.getByTestId('search-path').fill('$.n < 10 && $.type == "order" || $.n == 199')
  await page.getByTestId('search-go').click()
  await expect(page.getByTestId('match-count')).toHaveText('5 matches')
  await page.getByTestId('search-path').fill('')
  await page.getByTestId('search-go').click()
  await expect(list).toHaveAttribute('data-total', '200')

  // A live message lands in a new batch whose start offset is the previous next offset.
  const end2 = await append(url, JSON.stringify({ n: 200, live: true }))
  await expect(list).toHaveAttribute('data-total', '201')
  await page.getByTestId('jump-offset').fill(end ?? '')
  await page.getByTestId('jump-go').click()
  const live = page.locator('[data-testid="message"][data-index="200"]')
  await expect(live).toBeVisible()
  await expect(live).toHaveAttribute('data-start-offset', end ?? '')
  await expect(live).toHaveAttribute('data-offset', end2)
  await expect(live).toHaveClass(/selected/)
  await page.getByTestId('jump-offset').fill('9999_9999')
  await page.getByTestId('jump-go').click()
  await expect(page.getByTestId('jump-error')).toContainText('not in the loaded range')

  // Start from now: nothing old; then from a pasted offset.
  await page.getByTestId('start-kind').selectOption('now')
  await page.getByTestId('start-apply').click()
  await expect(list).toHaveAttribute('data-total', '0')
  // Until main has fixed the start offset the list says so; only then is "now" a fact, and a
  // message appended after it must show up.
  await expect(page.getByTestId('no-messages')).toContainText('Waiting for new messages')
  await expect(page.getByTestId('list-loading')).toHaveCount(0)
  await shot(page, 'browse-4-from-now')
  await append(url, JSON.stringify({ n: 201 }))
  await expect(list).toHaveAttribute('data-total', '1')
  await expect(rows.first()).toContainText('"n":201')
  await page.getByTestId('start-kind').selectOption('offset')
  await page.getByTestId('start-apply').click()
  await expect(page.getByTestId('start-error')).toContainText('Paste an offset')
  await page.getByTestId('start-offset').fill(end ?? '')
  await page.getByTestId('start-apply').click()
  await expect(list).toHaveAttribute('data-total', '2')
  await expect(rows.first()).toContainText('"n":200')
  expect(page.url()).toContain(`?offset=${encodeURIComponent(end ?? '')}`)

  // Bad offsets: what cannot be an offset is refused here, nothing sent; what the server
  // refuses (400) is explained, and the list goes back to reading from the previous start.
  await page.getByTestId('start-offset').fill('a,b')
  await page.getByTestId('start-apply').click()
  await expect(page.getByTestId('start-error')).toContainText('cannot contain ","')
  await expect(list).toHaveAttribute('data-total', '2')
  await page.getByTestId('start-offset').fill('banana')
  await page.getByTestId('start-apply').click()
  await expect(page.getByTestId('start-error')).toContainText('The server refused offset "banana"')
  await expect(list).toHaveAttribute('data-total', '2')
  await expect(rows.first()).toContainText('"n":200')
  await expect(page.getByTestId('tail-error')).toHaveCount(0)
  await expect(page.getByTestId('reconnect')).toHaveCount(0)
  await shot(page, 'browse-5-bad-offset')
  await page.getByTestId('jump-offset').fill('x y')
  await page.getByTestId('jump-go').click()
  await expect(page.getByTestId('jump-error')).toContainText('no spaces')
})

test('an empty list says why: closed stream, read stopped by an error', async ({ page }) => {
  const closed = await createStream(host, 'empty/closed')
  const r = await fetch(closed, { method: 'POST', headers: { 'Stream-Closed': 'true' } })
  expect(r.status).toBeLessThan(300)
  await openStream(page, host, 'empty/closed')
  await page.getByTestId('start-kind').selectOption('now')
  await page.getByTestId('start-apply').click()
  await expect(page.getByTestId('no-messages')).toHaveText(
    'The stream is closed and holds no messages from this start offset.',
  )

  const gone = await createStream(host, 'empty/gone')
  await openStream(page, host, 'empty/gone')
  await expect(page.getByTestId('no-messages')).toContainText('No messages from this start offset')
  expect((await fetch(gone, { method: 'DELETE' })).status).toBeLessThan(300)
  // The server just stops sending on the open SSE read; the registry tells main, which reads
  // again at once and gets the 404.
  await expect(page.getByTestId('tail-error')).toContainText('404')
  await expect(page.getByTestId('timeline-reconnect')).toHaveAttribute(
    'title',
    /stream deleted \(registry\)/,
  )
  await expect(page.getByTestId('list-stopped')).toContainText('stopped with an error')
  await expect(page.getByTestId('open-state')).toHaveText('not found')
  await shot(page, 'browse-7-deleted-while-tailing')
})

test('binary as hex + ASCII, text as text; dark theme', async ({ page }) => {
  const bin = await createStream(host, 'blobs', 'application/octet-stream')
  await append(
    bin,
    new Uint8Array([72, 101, 108, 108, 111, 0, 1, 2, 255]),
    'application/octet-stream',
  )
  const txt = await createStream(host, 'notes', 'text/plain')
  await append(txt, 'hello plain text', 'text/plain')
  await openStream(page, host, 'blobs')
  await page.getByTestId('message').first().click()
  const hex = page.getByTestId('hex-dump')
  await expect(hex).toContainText('48 65 6c 6c 6f 00 01 02  |Hello...|')
  await expect(hex).toContainText('ff                       |.|')
  // The ASCII column is not cut at the default pane width, and the detail bar keeps one line.
  expect(await hex.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true)
  for (const bar of await page.locator('.detail-bar').all())
    expect((await bar.boundingBox())?.height ?? 0).toBeLessThan(40)
  await page.emulateMedia({ colorScheme: 'dark' })
  await shot(page, 'browse-4-binary-dark')
  await openStream(page, host, 'notes')
  await expect(page.getByTestId('message').first()).toContainText('hello plain text')
})

test('stream header: metadata, TTL countdown, expires-at, ETag, cache-control, refresh, copy URL and curl', async ({
  page,
}) => {
  const url = await createStream(host, 'ttl', 'application/json', { 'Stream-TTL': '3600' })
  await append(url, JSON.stringify({ a: 1 }))
  const expiresAt = new Date(Date.now() + 2 * 3600_000).toISOString()
  await createStream(host, 'deadline', 'text/plain', { 'Stream-Expires-At': expiresAt })
  await openStream(page, host, 'ttl')
  await expect(page.getByTestId('h-content-type')).toHaveText('application/json')
  await expect(page.getByTestId('open-state')).toHaveText('open')
  await expect(page.getByTestId('h-ttl')).toContainText('3600s sliding')
  const countdown = page.getByTestId('ttl-countdown')
  await expect(countdown).toContainText(/expires in 59m \d\ds/)
  const before = await countdown.textContent()
  await expect(countdown).not.toHaveText(before ?? '') // it ticks
  await expect(page.getByTestId('h-etag')).not.toHaveText('none')
  await expect(page.getByTestId('h-cache-control')).not.toBeEmpty()
  const etag = await page.getByTestId('h-etag').getAttribute('title')
  expect(etag).toBeTruthy()
  const next = await append(url, JSON.stringify({ a: 2 }))
  // Long values are truncated in the middle; the full value is in the tooltip and copyable.
  const nextOffset = page.getByTestId('next-offset')
  await expect(nextOffset).toHaveAttribute('title', next)
  await expect(nextOffset).toHaveText(`${next.slice(0, 8)}…${next.slice(-13)}`)
  await page.getByRole('button', { name: 'Copy next offset' }).click()
  await expect(page.getByTestId('copy-note')).toHaveText('Copied next offset')
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(next)
  await page.getByTestId('refresh-header').click()
  await expect(page.getByTestId('h-etag')).not.toHaveAttribute('title', etag ?? '')
  // Compact: the whole header (title line + metadata line) fits in two lines.
  const headBox = await page.getByTestId('stream-header').boundingBox()
  expect(headBox?.height ?? 999).toBeLessThan(70)

  await page.getByTestId('copy-url').click()
  await expect(page.getByTestId('copy-note')).toHaveText('Copied URL')
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(
    url.replace('localhost', '127.0.0.1'),
  )
  await page.getByTestId('copy-curl').click()
  await expect(page.getByTestId('copy-note')).toHaveText('Copied curl command')
  const curl = await page.evaluate(() => navigator.clipboard.readText())
  expect(curl).toContain(`offset=${encodeURIComponent(next)}`)
  expect(curl).toContain('live=sse')
  await shot(page, 'header-1-ttl')

  await openStream(page, host, 'deadline')
  await expect(page.getByTestId('h-expires')).toContainText(expiresAt)
  await expect(page.getByTestId('expires-countdown')).toContainText(/expires in 1h 59m/)
  await expect(page.getByTestId('h-ttl')).toContainText('none')
  await page.emulateMedia({ colorScheme: 'dark' })
  await shot(page, 'header-2-expires-dark')
})

test('deep link: the URL hash reopens a stream at an offset, also after a reload', async ({
  page,
}) => {
  const url = await createStream(host, 'linked')
  const mid = await append(url, JSON.stringify([{ n: 0 }, { n: 1 }]))
  await append(url, JSON.stringify({ n: 2 }))
  await openStream(page, host, 'linked', mid)
  const list = page.getByTestId('message-list')
  await expect(list).toHaveAttribute('data-total', '1')
  await expect(page.getByTestId('message').first()).toContainText('"n":2')
  await expect(page.getByTestId('start-kind')).toHaveValue('offset')
  await expect(page.getByTestId('start-offset')).toHaveValue(mid)
  await page.reload()
  await expect(page.getByTestId('stream-title')).toHaveText('linked')
  await expect(list).toHaveAttribute('data-total', '1')
  await page.getByTestId('message').first().click()
  await page.getByTestId('copy-link').click()
  const link = await page.evaluate(() => navigator.clipboard.readText())
  expect(link).toContain(`#/stream/local/linked?offset=${encodeURIComponent(mid)}`)
  await shot(page, 'browse-5-deeplink')
})

test('resizable panes: drag the detail divider and the tools/browser divider; sizes persist', async ({
  page,
}) => {
  const url = await createStream(host, 'panes')
  await append(url, JSON.stringify({ a: 1 }))
  await openStream(page, host, 'panes')
  await page.getByTestId('message').first().click()
  const handle = page.getByTestId('splitter-dsi.detailWidth')
  const box = await handle.boundingBox()
  if (!box) throw new Error('no splitter')
  const detail = page.getByTestId('message-detail')
  const before = (await detail.boundingBox())?.width ?? 0
  await page.mouse.move(box.x + 3, box.y + 50)
  await page.mouse.down()
  await page.mouse.move(box.x - 150, box.y + 50, { steps: 5 })
  await page.mouse.up()
  const after = (await detail.boundingBox())?.width ?? 0
  expect(after).toBeGreaterThan(before + 100)
  // Keyboard resizing of the tools pane (beside the browser), once it is open.
  await openTool(page, 'producers')
  const tools = page.getByRole('separator', { name: 'Resize the tools panel' })
  const w0 = Number(await tools.getAttribute('aria-valuenow'))
  await tools.focus()
  await page.keyboard.press('ArrowLeft')
  await expect(tools).toHaveAttribute('aria-valuenow', String(w0 + 24))
  await page.reload()
  await expect(page.getByTestId('stream-title')).toHaveText('panes')
  await expect(page.getByRole('separator', { name: 'Resize the tools panel' })).toHaveAttribute(
    'aria-valuenow',
    String(w0 + 24),
  )
  await shot(page, 'browse-6-panes')
})

test('a regex that backtracks too long is stopped with a message; the list shows every message', async ({
  page,
}) => {
  const url = await createStream(host, 'qa/redos')
  const msgs = [
    ...Array.from({ length: 50 }, (_, i) => ({ s: `aaa${i}` })),
    { s: `${'a'.repeat(31)}b` },
  ]
  await append(url, JSON.stringify(msgs))
  await openStream(page, host, 'qa/redos')
  const list = page.getByTestId('message-list')
  await expect(list).toHaveAttribute('data-total', '51')
  await page.getByTestId('search-path').fill('$.s =~ /^aaa1/')
  await page.getByTestId('search-go').click()
  await expect(page.getByTestId('match-count')).toHaveText('11 matches')
  await page.getByTestId('search-path').fill('$.s =~ /^(a+)+$/')
  await page.getByTestId('search-go').click()
  await expect(page.getByTestId('search-error')).toContainText('backtracks too much', {
    timeout: 15_000,
  })
  // Not an empty 'no message matches': main dropped the search, so every message is listed.
  await expect(list).toHaveAttribute('data-total', '51')
  await expect(page.getByTestId('no-matches')).toHaveCount(0)
  await expect(page.getByTestId('message').first()).toContainText('"s":"aaa')
  await shot(page, 'browse-redos-stopped')
})
