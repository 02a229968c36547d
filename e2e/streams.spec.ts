import { expect, test, useWebHost } from './fixtures.js'
import { quickCreate, shot } from './admin-helpers.js'

const host = useWebHost()

test('stream list: create dialog with validation, TTL, body, closed; filter, bookmark, open by URL, delete with confirmation', async ({
  page,
}) => {
  await page.goto(host.url)
  await expect(page.getByTestId('streams-empty')).toBeVisible()
  await shot(page, 'streams-0-empty')

  await page.getByTestId('new-stream').click()
  await page.getByTestId('cs-path').fill('bad path')
  await page.getByTestId('cs-content-type').fill('json')
  await page.getByTestId('cs-expiry-ttl').check()
  await page.getByTestId('cs-ttl').fill('-5')
  await page.getByTestId('cs-body').fill('[1,2')
  await page.getByTestId('cs-submit').click()
  await expect(page.getByTestId('create-path-error')).toContainText('must not contain spaces')
  await expect(page.getByTestId('create-contentType-error')).toContainText('type/subtype')
  await expect(page.getByTestId('create-ttl-error')).toContainText('whole number')
  await page.getByTestId('cs-path').fill('orders/archive')
  await page.getByTestId('cs-content-type').fill('application/json')
  await page.getByTestId('cs-ttl').fill('3600')
  await page.getByTestId('cs-submit').click()
  await expect(page.getByTestId('create-body-error')).toContainText('Not valid JSON')
  await shot(page, 'streams-1-create-validation')
  await page.getByTestId('cs-body').fill('[{"id":1},{"id":2}]')
  await page.getByTestId('cs-closed').check()
  await page.getByTestId('cs-submit').click()
  await expect(page.getByTestId('stream-title')).toHaveText('orders/archive')
  await expect(page.getByTestId('message')).toHaveCount(2)
  await expect(
    page.locator('[data-testid=stream-row][data-path="orders/archive"] [data-testid=closed-badge]'),
  ).toBeVisible()

  await quickCreate(page, 'demo/events')
  await quickCreate(page, 'notes', 'text/plain')
  await expect(page.getByTestId('stream-row')).toHaveCount(3)
  await page.getByTestId('stream-filter').fill('ord')
  await expect(page.getByTestId('stream-row')).toHaveCount(1)
  await page.getByTestId('stream-filter').fill('')

  // Bookmarks float to the top and persist.
  await page.locator('[data-testid=stream-row][data-path="notes"] [data-testid=bookmark]').click()
  await expect(page.getByTestId('stream-row').first()).toHaveAttribute('data-path', 'notes')
  await page.reload()
  await expect(page.getByTestId('stream-row').first()).toHaveAttribute('data-path', 'notes')
  await shot(page, 'streams-2-list')

  // Open by full URL.
  const base = await page.getByTestId('connection-url').textContent()
  await page.getByTestId('stream-path').fill(`${base}/demo/events`)
  await page.getByTestId('open-stream').click()
  await expect(page.getByTestId('stream-title')).toHaveText('demo/events')

  // Delete asks first; dismissing keeps the stream.
  page.once('dialog', (d) => void d.dismiss())
  await page
    .locator('[data-testid=stream-row][data-path="demo/events"] [data-testid=delete-stream]')
    .click()
  await expect(page.getByTestId('stream-row')).toHaveCount(3)
  page.once('dialog', (d) => void d.accept())
  await page
    .locator('[data-testid=stream-row][data-path="demo/events"] [data-testid=delete-stream]')
    .click()
  await expect(page.getByTestId('stream-row')).toHaveCount(2)
  expect((await fetch(`${base}/demo/events`, { method: 'HEAD' })).status).toBe(404)
})
