import { expect, test, useWebHost } from './fixtures.js'
import { createStream, openStream, shot } from './browse-helpers.js'

const host = useWebHost()

const background = (page: import('@playwright/test').Page): Promise<string> =>
  page.evaluate(() => getComputedStyle(document.body).backgroundColor)

test('theme: Auto follows the OS, Light and Dark override it and are remembered', async ({
  page,
}) => {
  await page.emulateMedia({ colorScheme: 'dark' })
  await createStream(host, 'themed')
  await openStream(page, host, 'themed')
  const theme = page.getByRole('combobox', { name: 'Theme' })
  await expect(theme).toHaveValue('system')
  const dark = await background(page)
  await page.emulateMedia({ colorScheme: 'light' })
  const light = await background(page)
  expect(dark).not.toBe(light)

  // Dark while the OS is light.
  await theme.selectOption({ label: 'Dark theme' })
  expect(await background(page)).toBe(dark)
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark')
  await shot(page, 'shell-1-forced-dark')
  // Remembered across a reload.
  await page.reload()
  await expect(page.getByTestId('stream-title')).toHaveText('themed')
  await expect(theme).toHaveValue('dark')
  expect(await background(page)).toBe(dark)

  // Light while the OS is dark.
  await page.emulateMedia({ colorScheme: 'dark' })
  await theme.selectOption({ label: 'Light theme' })
  expect(await background(page)).toBe(light)
  await shot(page, 'shell-2-forced-light')

  // Back to Auto: follows the OS again.
  await theme.selectOption({ label: 'Auto theme' })
  await expect(page.locator('html')).not.toHaveAttribute('data-theme', /./)
  expect(await background(page)).toBe(dark)
})

test('error banner: message, Details on demand, dismissed with its button', async ({ page }) => {
  const url = await createStream(host, 'doomed')
  await openStream(page, host, 'doomed')
  // Someone else deletes it while the confirmation is up (the page is blocked, so the live
  // registry cannot take the row away first): deleting it here then fails with 404.
  page.on('dialog', (d) => {
    void fetch(url, { method: 'DELETE' }).then(() => d.accept())
  })
  const row = page.getByTestId('stream-list').locator('[data-path="doomed"]')
  await row.getByRole('button', { name: 'Delete doomed' }).click()
  const banner = page.getByTestId('banner')
  await expect(banner).toBeVisible()
  await expect(banner).toContainText('Could not delete doomed')
  const details = banner.locator('details')
  await expect(details.locator('pre')).toBeHidden()
  await banner.getByText('Details').click()
  await expect(details.locator('pre')).toBeVisible()
  await expect(details.locator('pre')).toContainText('status: 404')
  await shot(page, 'shell-3-banner')
  await page.emulateMedia({ colorScheme: 'dark' })
  await shot(page, 'shell-3-banner-dark')
  await banner.getByRole('button', { name: 'Dismiss' }).click()
  await expect(page.getByTestId('banner')).toHaveCount(0)
})

test('a deep link naming an unknown connection says so, and opens nothing', async ({ page }) => {
  await createStream(host, 'linked')
  await page.goto(`${host.url}#/stream/nowhere/linked`)
  const banner = page.getByTestId('banner')
  await expect(banner).toContainText('Link not opened')
  await expect(banner).toContainText('names connection "nowhere", which this app does not have')
  await expect(page.getByTestId('stream-title')).toHaveCount(0)
  await shot(page, 'shell-4-unknown-connection-link')
  // A link on a connection the app has still opens.
  await page.getByTestId('banner-dismiss').click()
  await page.evaluate(() => (window.location.hash = '#/stream/local/linked'))
  await expect(page.getByTestId('stream-title')).toHaveText('linked')
})
