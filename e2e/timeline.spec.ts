import { expect, test, useWebHost } from './fixtures.js'
import { append, createStream, openStream, shot } from './browse-helpers.js'

const host = useWebHost()

test('timeline: catch-up and live segments with offset ranges, up-to-date points; click scrolls the browser', async ({
  page,
}) => {
  const url = await createStream(host, 'tl')
  const end = await append(url, JSON.stringify(Array.from({ length: 300 }, (_, n) => ({ n }))))
  await openStream(page, host, 'tl')
  const list = page.getByTestId('message-list')
  await expect(list).toHaveAttribute('data-total', '300')
  const catchUp = page.locator('[data-testid="timeline-segment"][data-kind="catch-up"]')
  await expect(catchUp).toHaveCount(1)
  await expect(catchUp).toHaveAttribute('data-count', '300')
  await expect(catchUp).toHaveAttribute('title', new RegExp(`-1 → ${end}`))
  await expect(page.getByTestId('timeline-up-to-date').first()).toBeVisible()
  for (let i = 0; i < 3; i++) await append(url, JSON.stringify({ live: i }))
  await expect(list).toHaveAttribute('data-total', '303')
  const liveSeg = page.locator('[data-testid="timeline-segment"][data-kind="live"]').first()
  await expect(liveSeg).toHaveAttribute('data-first', '300')
  await expect(liveSeg).toHaveAttribute('data-count', '3')
  await expect(page.getByTestId('sparkline')).toBeVisible()
  // Following the tail, the first message is out of view; clicking catch-up brings it back.
  await expect(page.locator('[data-testid="message"][data-index="0"]')).toHaveCount(0)
  await catchUp.click()
  const first = page.locator('[data-testid="message"][data-index="0"]')
  await expect(first).toBeVisible()
  await expect(first).toHaveClass(/selected/)
  await liveSeg.click()
  await expect(page.locator('[data-testid="message"][data-index="300"]')).toHaveClass(/selected/)
  await shot(page, 'timeline-1')
  await page.emulateMedia({ colorScheme: 'dark' })
  await shot(page, 'timeline-1-dark')
})
