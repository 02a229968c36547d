import { mkdirSync } from 'node:fs'
import { expect, test, useWebHost, type Page } from './fixtures.js'
import { append, createStream, openStream, shot } from './browse-helpers.js'

const host = useWebHost()
const SHOTS = '/work/notes/s3/shots'

/** Screenshots for review outside the repo (light and dark), when that folder can be made. */
async function review(page: Page, name: string): Promise<void> {
  await shot(page, name)
  try {
    mkdirSync(SHOTS, { recursive: true })
  } catch {
    return // not on the review machine
  }
  await page.screenshot({ path: `${SHOTS}/${name}-light.png` })
  await page.emulateMedia({ colorScheme: 'dark' })
  await page.screenshot({ path: `${SHOTS}/${name}-dark.png` })
  await page.emulateMedia({ colorScheme: 'light' })
}

/** The plot area of the messages chart (uPlot's overlay). */
const plot = (page: Page) => page.getByTestId('timeline-messages').locator('.u-over')

test('timeline chart: catch-up and live markers, hover, zoom, brush selects the replay range', async ({
  page,
}) => {
  const url = await createStream(host, 'tl')
  await append(url, JSON.stringify(Array.from({ length: 300 }, (_, n) => ({ n }))))
  await openStream(page, host, 'tl')
  const list = page.getByTestId('message-list')
  await expect(list).toHaveAttribute('data-total', '300')
  const chart = page.getByTestId('timeline-chart')
  await expect(chart).toHaveAttribute('data-total', '300')
  await expect(chart).toHaveAttribute('data-sessions', '1')
  await expect(page.getByTestId('timeline-catch-up')).toHaveCount(1)
  await expect(page.getByTestId('timeline-catch-up')).toHaveAttribute(
    'aria-label',
    /catch-up starts .* message 0, offset -1/,
  )
  await expect(page.getByTestId('timeline-up-to-date').first()).toBeVisible()
  await expect(
    page.getByRole('listitem').filter({ hasText: '#1 from beginning (auto)' }),
  ).toBeVisible()

  // Live messages a moment later, so they sit apart from the catch-up on the time axis.
  await page.waitForTimeout(1500)
  for (let i = 0; i < 3; i++) await append(url, JSON.stringify({ live: i }))
  await expect(list).toHaveAttribute('data-total', '303')
  await expect(chart).toHaveAttribute('data-total', '303')
  await expect(page.getByTestId('timeline-live')).toHaveCount(1)

  // Hover: time, messages, offset and the session under the cursor.
  const box = (await plot(page).boundingBox())!
  await page.mouse.move(box.x + box.width - 4, box.y + box.height / 2)
  const tip = page.getByTestId('timeline-tooltip')
  await expect(tip).toBeVisible()
  await expect(tip).toContainText('303 messages · offset')
  await expect(tip).toContainText('session #1 from beginning (auto)')
  await expect(tip).toContainText(/\d+ msg\/s/)

  // Zoom in and out with the buttons and the wheel; "Show all" returns to the whole range.
  await page.getByRole('button', { name: 'Zoom in' }).click()
  await expect(chart).toHaveAttribute('data-zoomed', 'true')
  await page.getByRole('button', { name: 'Show all' }).click()
  await expect(chart).toHaveAttribute('data-zoomed', 'false')
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2)
  await page.mouse.wheel(0, -200)
  await expect(chart).toHaveAttribute('data-zoomed', 'true')
  await page.getByRole('button', { name: 'Pan back in time' }).click()
  await page.getByRole('button', { name: 'Show all' }).click()
  await expect(chart).toHaveAttribute('data-zoomed', 'false')

  // Brush from just before the live phase to the end: the three live messages. (Panned
  // forward and back: a fixed window, where "show all" would keep growing with the clock.)
  await page.getByRole('button', { name: 'Pan forward in time' }).click()
  await page.getByRole('button', { name: 'Pan back in time' }).click()
  await expect(chart).toHaveAttribute('data-zoomed', 'true')
  const live = (await page.getByTestId('timeline-live').boundingBox())!
  const y = box.y + box.height * 0.7
  await page.mouse.move(live.x + live.width / 2 - 3, y)
  await page.mouse.down()
  await page.mouse.move(box.x + box.width - 2, y, { steps: 5 })
  await page.mouse.up()
  await expect(page.getByTestId('timeline-brush')).toHaveText(
    /Selected messages #301–#303 \(3\), also the replay\/export range\./,
  )
  // …selected in the list, marked as the range there, and the replay form's range.
  await expect(page.getByTestId('replay-range-count')).toHaveText('3 messages · #301–#303')
  await review(page, 'timeline-brush-replay')
  await page.getByTestId('tools-toggle').click()
  // The list holds the selection and marks the range (scrolled to its end to see it whole).
  await list.hover()
  await page.mouse.wheel(0, 10_000)
  await expect(page.locator('[data-testid="message"][data-index="300"]')).toHaveClass(/selected/)
  await expect(page.locator('[data-testid="message"][data-in-range]')).toHaveCount(3)
  await review(page, 'timeline-brush')

  // Click on the catch-up part: the list jumps to the last message received by then.
  await page.getByRole('button', { name: 'Clear' }).click()
  await expect(page.getByTestId('timeline-brush')).toHaveCount(0)
})

test('timeline chart: reconnect and EOF markers, one series per read session, error marker', async ({
  page,
  pageErrorGuard,
}) => {
  const url = await createStream(host, 'tl-events')
  await append(url, JSON.stringify(Array.from({ length: 5 }, (_, n) => ({ n }))))
  await openStream(page, host, 'tl-events')
  const chart = page.getByTestId('timeline-chart')
  await expect(chart).toHaveAttribute('data-total', '5')

  // Switching the live mode restarts the read from where it was: a reconnect.
  await page.getByTestId('live-mode').selectOption('long-poll')
  await expect(page.getByTestId('timeline-reconnect')).toHaveCount(1)
  await expect(page.getByTestId('timeline-reconnect')).toHaveAttribute(
    'aria-label',
    /^reconnect at .*, message 5, offset .* \(restart \(long-poll\)\)$/,
  )
  await append(url, JSON.stringify({ n: 5 }))
  await expect(chart).toHaveAttribute('data-total', '6')

  // Closing the stream: EOF.
  const r = await fetch(url, { method: 'POST', headers: { 'Stream-Closed': 'true' } })
  expect(r.status).toBeLessThan(300)
  await expect(page.getByTestId('timeline-closed')).toBeVisible()
  await expect(page.getByTestId('timeline-closed')).toHaveAttribute(
    'aria-label',
    /^closed \(EOF\) at .*, message 6, offset/,
  )

  // Reading it again is a second session: a second series, the first one kept.
  await page.getByTestId('start-apply').click()
  await expect(chart).toHaveAttribute('data-sessions', '2')
  await expect(page.getByRole('listitem').filter({ hasText: '#2 from beginning' })).toBeVisible()
  await expect(page.getByRole('listitem').filter({ hasText: '#1 from beginning' })).toBeVisible()
  await expect(chart).toHaveAttribute('data-total', '6')
  await expect(page.getByTestId('timeline-closed')).toHaveCount(2)
  await review(page, 'timeline-sessions')

  // A stream deleted under the reader: an error marker.
  pageErrorGuard.allowConsoleErrors([/404/])
  const gone = await createStream(host, 'tl-gone')
  await append(gone, JSON.stringify({ n: 0 }))
  await openStream(page, host, 'tl-gone')
  await expect(chart).toHaveAttribute('data-sessions', '1')
  await expect(chart).toHaveAttribute('data-total', '1')
  expect((await fetch(gone, { method: 'DELETE' })).status).toBeLessThan(300)
  // (One per failed attempt: the read may be retried once before it gives up.)
  const error = page.getByTestId('timeline-error').first()
  await expect(error).toBeVisible({ timeout: 20_000 })
  await expect(error).toHaveAttribute(
    'aria-label',
    /^error at .*, message 1, offset .*\(Stream not found: .*404/,
  )
  await review(page, 'timeline-error')
})

test('timeline chart: State view markers, a brushed range as the state as-of point; bytes of a text stream', async ({
  page,
}) => {
  const url = await createStream(host, 'tl-state')
  const change = (key: string, operation: string, value: unknown): unknown => ({
    type: 'user',
    key,
    value,
    headers: { operation },
  })
  await append(
    url,
    JSON.stringify([
      { headers: { control: 'snapshot-start' } },
      change('u1', 'insert', { n: 1 }),
      change('u2', 'insert', { n: 2 }),
      { headers: { control: 'snapshot-end' } },
    ]),
  )
  await openStream(page, host, 'tl-state')
  const chart = page.getByTestId('timeline-chart')
  await expect(chart).toHaveAttribute('data-total', '4')
  await page.waitForTimeout(3000)
  await append(url, JSON.stringify(change('u1', 'update', { n: 3 })))
  await expect(chart).toHaveAttribute('data-total', '5')

  // The State view finds the snapshot markers; back in the messages, the chart shows them.
  await page.getByRole('tab', { name: /State/ }).click()
  await expect(page.getByTestId('state-view')).toBeVisible()
  await page.getByRole('tab', { name: 'Messages' }).click()
  await expect(page.getByTestId('timeline-snapshot-start')).toHaveCount(1)
  await expect(page.getByTestId('timeline-snapshot-end')).toHaveAttribute(
    'aria-label',
    /^snapshot end at .*, message 3, offset/,
  )

  // Brush the catch-up (messages #1–#4: the first 30% of a window of 4–6 s, where the update
  // came after 3 s), then see the state as of the last of them.
  await page.getByRole('button', { name: 'Pan forward in time' }).click()
  await page.getByRole('button', { name: 'Pan back in time' }).click()
  const box = (await plot(page).boundingBox())!
  // (Low in the plot: the marker labels at the top take their own hover.)
  const y = box.y + box.height * 0.92
  await page.mouse.move(box.x + 2, y)
  await page.mouse.down()
  await page.mouse.move(box.x + box.width * 0.3, y, { steps: 5 })
  await page.mouse.up()
  await expect(page.getByTestId('timeline-brush')).toContainText('Selected messages #1–#4 (4)')
  await review(page, 'timeline-state-markers')
  await page.getByRole('button', { name: 'State as of #4' }).click()
  await expect(page.getByTestId('state-position')).toContainText('As of change 2 of 3')

  // A text stream: the reader knows body bytes, so hover shows them.
  await page.getByRole('tab', { name: 'Messages' }).click()
  const text = await createStream(host, 'tl-text', 'text/plain')
  await append(text, 'héllo', 'text/plain')
  await openStream(page, host, 'tl-text')
  await expect(chart).toHaveAttribute('data-total', '1')
  const tb = (await plot(page).boundingBox())!
  await page.mouse.move(tb.x + tb.width - 4, tb.y + tb.height / 2)
  await expect(page.getByTestId('timeline-tooltip')).toContainText('6 B received')
  await expect(page.getByTestId('timeline-tooltip')).toContainText(/\d+ msg\/s · \d+ B\/s/)
})
