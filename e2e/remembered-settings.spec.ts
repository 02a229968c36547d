/**
 * Theme, tools panel and pane sizes are remembered (zustand persist); what an older build wrote
 * under the same keys (a bare "dark", a plain JSON object, one key per pane) still counts.
 */
import { expect, test, useWebHost } from './fixtures.js'
import { createStream, openStream } from './browse-helpers.js'

const host = useWebHost()

test("settings an older build remembered are kept, then stored in persist's format", async ({
  page,
}) => {
  // What the previous build left in localStorage (seeded once, before the app's first load).
  await page.addInitScript(() => {
    if (localStorage.getItem('e2e.seeded')) return
    localStorage.setItem('e2e.seeded', '1')
    localStorage.setItem('dsi.theme', 'dark')
    localStorage.setItem('dsi.tools', JSON.stringify({ open: true, tab: 'replay' }))
    localStorage.setItem('dsi.sidebarWidth', '310')
    localStorage.setItem('dsi.toolsHeight', '300')
  })
  await createStream(host, 'remembered')
  await openStream(page, host, 'remembered')

  const check = async (): Promise<void> => {
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark')
    await expect(page.getByRole('combobox', { name: 'Theme' })).toHaveValue('dark')
    await expect(page.getByRole('tab', { name: /Replay/ })).toHaveAttribute('aria-selected', 'true')
    await expect(page.getByTestId('tools-panel')).toBeVisible()
    await expect(page.getByTestId('splitter-dsi.sidebarWidth')).toHaveAttribute(
      'aria-valuenow',
      '310',
    )
  }
  await check()

  // A change is written in persist's format; a reload reads it back from there.
  await page.getByTestId('splitter-dsi.sidebarWidth').focus()
  await page.keyboard.press('ArrowRight')
  await expect(page.getByTestId('splitter-dsi.sidebarWidth')).toHaveAttribute(
    'aria-valuenow',
    '334',
  )
  const stored = await page.evaluate(() => ({
    panes: localStorage.getItem('dsi.panes'),
    theme: localStorage.getItem('dsi.theme'),
    tools: localStorage.getItem('dsi.tools'),
  }))
  expect(JSON.parse(stored.panes ?? 'null')).toEqual({
    state: { sizes: { 'dsi.sidebarWidth': 334, 'dsi.toolsHeight': 300 } },
    version: 0,
  })
  // Untouched settings keep the older build's value until they change.
  expect(stored.theme).toBe('dark')
  await page.getByRole('combobox', { name: 'Theme' }).selectOption({ label: 'Light theme' })
  await page.getByRole('combobox', { name: 'Theme' }).selectOption({ label: 'Dark theme' })
  expect(
    JSON.parse((await page.evaluate(() => localStorage.getItem('dsi.theme'))) ?? 'null'),
  ).toEqual({ state: { theme: 'dark' }, version: 0 })

  await page.reload()
  await expect(page.getByTestId('stream-title')).toHaveText('remembered')
  await expect(page.getByTestId('splitter-dsi.sidebarWidth')).toHaveAttribute(
    'aria-valuenow',
    '334',
  )
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark')
  await expect(page.getByRole('tab', { name: /Replay/ })).toHaveAttribute('aria-selected', 'true')
})
