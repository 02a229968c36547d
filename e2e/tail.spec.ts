import { expect, test, useWebHost } from './fixtures.js'
import { append, createStream, openStream, shot } from './browse-helpers.js'

const host = useWebHost()

test('live tail: modes, pause/resume with buffered counter, follow, rate, reconnects and EOF', async ({
  page,
}) => {
  const url = await createStream(host, 'live')
  await openStream(page, host, 'live')
  const state = page.getByTestId('browse-state')
  const list = page.getByTestId('message-list')
  await expect(state).toHaveText('live · up to date')
  await append(url, JSON.stringify({ n: 0 }))
  await expect(list).toHaveAttribute('data-total', '1')
  await expect(page.getByTestId('live-phase')).toHaveText('via sse')

  // Long-poll: the read restarts from the last offset (a visible reconnect), no duplicates.
  await page.getByTestId('live-mode').selectOption('long-poll')
  await expect(page.getByTestId('reconnects')).toHaveText('1 reconnects')
  await append(url, JSON.stringify({ n: 1 }))
  await expect(list).toHaveAttribute('data-total', '2')
  await expect(page.getByTestId('live-phase')).toHaveText('via long-poll')
  await expect(page.getByTestId('timeline-reconnect')).toHaveCount(1)

  // Pause: messages are buffered (counted), the list holds still; resume shows them all.
  await page.getByTestId('pause').click()
  await append(url, JSON.stringify(Array.from({ length: 5 }, (_, i) => ({ n: 2 + i }))))
  await expect(page.getByTestId('buffered')).toHaveText('5 buffered')
  await expect(list).toHaveAttribute('data-total', '2')
  await shot(page, 'tail-1-paused')
  await page.getByTestId('pause').click()
  await expect(list).toHaveAttribute('data-total', '7')
  await expect(page.getByTestId('buffered')).toHaveCount(0)

  // Follow tail keeps the newest message in view; without it the view stays put.
  await append(url, JSON.stringify(Array.from({ length: 60 }, (_, i) => ({ n: 7 + i }))))
  await expect(page.locator('[data-testid="message"][data-index="66"]')).toBeVisible()
  await expect(page.getByTestId('rate')).not.toHaveText('0 msg/s')
  // Traffic stops: the rate decays on the clock (no event arrives during a long-poll's wait).
  await expect(page.getByTestId('rate')).toHaveText('0 msg/s', { timeout: 4_000 })
  await page.getByTestId('follow').uncheck()
  await list.focus()
  await page.keyboard.press('g')
  await append(url, JSON.stringify(Array.from({ length: 10 }, (_, i) => ({ n: 67 + i }))))
  await expect(list).toHaveAttribute('data-total', '77')
  await expect(page.locator('[data-testid="message"][data-index="0"]')).toBeVisible()
  await expect(page.locator('[data-testid="message"][data-index="76"]')).toHaveCount(0)
  await page.getByTestId('follow').check()
  await expect(page.locator('[data-testid="message"][data-index="76"]')).toBeVisible()

  // SSE again, then closure is shown as EOF.
  await page.getByTestId('live-mode').selectOption('sse')
  await expect(page.getByTestId('reconnects')).toHaveText('2 reconnects')
  const r = await fetch(url, { method: 'POST', headers: { 'Stream-Closed': 'true' } })
  expect(r.status).toBeLessThan(300)
  await expect(state).toHaveText('closed (EOF)')
  // Nothing left to pause at EOF.
  await expect(page.getByTestId('pause')).toHaveCount(0)
  await expect(page.getByTestId('timeline-closed')).toBeVisible()
  await expect(page.getByTestId('open-state')).toHaveText('closed')
  await shot(page, 'tail-2-closed')
  await page.emulateMedia({ colorScheme: 'dark' })
  await shot(page, 'tail-2-closed-dark')
})
