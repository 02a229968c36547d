import { expect, test, useWebHost } from './fixtures.js'
import { openTool } from './admin-helpers.js'
import { append, createStream, openStream, serverUrl, shot } from './browse-helpers.js'

const host = useWebHost()

test('tools panel: collapsed by default, tab strip always visible, toggled by tab or chevron, remembered; sidebar resizes', async ({
  page,
}) => {
  const url = await createStream(host, 'layout/events')
  await append(url, JSON.stringify(Array.from({ length: 40 }, (_, n) => ({ n }))))
  await openStream(page, host, 'layout/events')
  const panel = page.getByTestId('tools-panel')
  const appendTab = page.getByRole('tab', { name: 'Append' })
  const toggle = page.getByTestId('tools-toggle')
  // Collapsed: the tabs are there, the panel is not, the browser gets the room.
  await expect(page.getByRole('tablist', { name: 'Stream tools' })).toBeVisible()
  await expect(panel).toHaveCount(0)
  await expect(toggle).toHaveAttribute('aria-expanded', 'false')
  const listCollapsed = (await page.getByTestId('message-list').boundingBox())?.height ?? 0
  expect(listCollapsed).toBeGreaterThan(400)
  // The header stays compact: title line + one metadata line.
  expect((await page.getByTestId('stream-header').boundingBox())?.height ?? 999).toBeLessThan(70)
  await shot(page, 'layout-1-collapsed')
  // The main controls have accessible names (Playwright's getByRole finds them).
  await expect(page.getByRole('button', { name: 'Expand stream tools' })).toBeVisible()
  await expect(page.getByRole('button', { name: 'Copy next offset' })).toBeVisible()
  await expect(page.getByRole('button', { name: 'Refresh stream metadata' })).toBeVisible()
  await expect(page.getByRole('textbox', { name: 'Search text' })).toBeVisible()
  await expect(page.getByRole('textbox', { name: 'Jump to offset' })).toBeVisible()
  await expect(page.getByRole('combobox', { name: 'Theme' })).toBeVisible()
  await expect(page.getByRole('separator', { name: 'Resize the stream list' })).toBeVisible()

  // A tab opens it; the active tab collapses it again.
  await page.getByRole('tab', { name: 'Producers' }).click()
  await expect(panel).toBeVisible()
  await expect(page.getByRole('tab', { name: 'Producers' })).toHaveAttribute(
    'aria-selected',
    'true',
  )
  await page.getByRole('tab', { name: 'Producers' }).click()
  await expect(panel).toHaveCount(0)
  // The chevron toggles too (keeping the last tab).
  await toggle.click()
  await expect(panel).toBeVisible()
  await expect(page.getByRole('tab', { name: 'Producers' })).toHaveAttribute(
    'aria-selected',
    'true',
  )
  await openTool(page, 'append')
  await expect(page.getByTestId('append-editor')).toBeVisible()
  // The tab strip never scrolls away, even with the panel open.
  await expect(appendTab).toBeInViewport()
  await shot(page, 'layout-2-open')
  await page.emulateMedia({ colorScheme: 'dark' })
  await shot(page, 'layout-2-open-dark')
  await page.emulateMedia({ colorScheme: 'light' })

  // Keyboard: arrows move between tabs.
  await appendTab.focus()
  await page.keyboard.press('ArrowRight')
  await expect(page.getByRole('tab', { name: 'Producers' })).toBeFocused()

  // The choice (open, on Producers) survives a reload.
  await page.reload()
  await expect(page.getByTestId('stream-title')).toHaveText('layout/events')
  await expect(panel).toBeVisible()
  await expect(page.getByRole('tab', { name: 'Producers' })).toHaveAttribute(
    'aria-selected',
    'true',
  )
  await toggle.click()
  await page.reload()
  await expect(page.getByTestId('stream-title')).toHaveText('layout/events')
  await expect(panel).toHaveCount(0)

  // The sidebar is resizable like the other panes, and keeps its width.
  const sidebar = page.locator('aside.sidebar')
  const w0 = (await sidebar.boundingBox())?.width ?? 0
  const handle = page.getByRole('separator', { name: 'Resize the stream list' })
  const box = await handle.boundingBox()
  if (!box) throw new Error('no sidebar splitter')
  await page.mouse.move(box.x + 3, box.y + 200)
  await page.mouse.down()
  await page.mouse.move(box.x + 120, box.y + 200, { steps: 5 })
  await page.mouse.up()
  const w1 = (await sidebar.boundingBox())?.width ?? 0
  expect(w1).toBeGreaterThan(w0 + 80)
  await page.reload()
  await expect(page.getByTestId('stream-title')).toHaveText('layout/events')
  expect(Math.abs(((await sidebar.boundingBox())?.width ?? 0) - w1)).toBeLessThan(3)
  await shot(page, 'layout-3-wide-sidebar')
})

test('stream list follows the registry: streams created and deleted elsewhere appear and disappear', async ({
  page,
}) => {
  await page.goto(host.url)
  await expect(page.getByTestId('connection-name')).toHaveText('Local')
  const list = page.getByTestId('stream-list')
  // Another client creates streams (straight on the server): no Refresh needed.
  const first = await createStream(host, 'elsewhere/one')
  await expect(list.locator('[data-path="elsewhere/one"]')).toBeVisible()
  await createStream(host, 'elsewhere/two', 'text/plain')
  await expect(list.locator('[data-path="elsewhere/two"]')).toBeVisible()
  await shot(page, 'layout-4-registry-live')
  // …and deletes one.
  const r = await fetch(first, { method: 'DELETE' })
  expect(r.status).toBeLessThan(300)
  await expect(list.locator('[data-path="elsewhere/one"]')).toHaveCount(0)
  await expect(list.locator('[data-path="elsewhere/two"]')).toBeVisible()
  expect(serverUrl(host)).toMatch(/^http/)
})
