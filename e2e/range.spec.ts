import { expect, test, useWebHost } from './fixtures.js'
import { append, createStream, openStream, serverUrl, shot } from './browse-helpers.js'

const host = useWebHost()

test('replay range and fork offset picked in the message browser', async ({ page }) => {
  const url = await createStream(host, 'qa/picked')
  await createStream(host, 'qa/picked-copy')
  await openStream(page, host, 'qa/picked')
  const rows = page.getByTestId('message')
  // Five appends arriving live: five batches, each message with its own offsets. (A later
  // read may get them back as one response: the picked range counts messages, see below.)
  for (let n = 1; n <= 5; n++) {
    await append(url, JSON.stringify({ n }))
    await expect(rows).toHaveCount(n)
  }
  await page.getByTestId('follow').uncheck()
  const start = (i: number) => rows.nth(i).getAttribute('data-start-offset')
  const end = (i: number) => rows.nth(i).getAttribute('data-offset')

  // Click the 2nd message, shift-click the 4th: the range is 2..4 and the Replay tab opens.
  await rows.nth(1).click()
  await rows.nth(3).click({ modifiers: ['Shift'] })
  await expect(page.getByRole('tab', { name: 'Replay & export' })).toHaveAttribute(
    'aria-selected',
    'true',
  )
  await expect(page.getByTestId('replay-from')).toHaveValue((await start(1)) ?? '')
  await expect(page.getByTestId('replay-to')).toHaveValue((await end(3)) ?? '')
  await expect(page.locator('[data-testid="message"][data-in-range="true"]')).toHaveCount(3)
  await expect(page.getByTestId('replay-range-count')).toHaveText('3 messages · #2–#4')
  await shot(page, 'range-1-shift-click')

  // Replay exactly those three into another stream.
  await page.getByTestId('replay-target').fill('qa/picked-copy')
  await page.getByTestId('replay-start').click()
  await expect(page.getByTestId('replay-status')).toContainText('done · 3/3 (100%)')
  await expect(page.getByTestId('replay-status')).toContainText('0 duplicates')
  const copied = (await (
    await fetch(`${serverUrl(host)}/qa/picked-copy?offset=-1`)
  ).json()) as unknown
  expect(copied).toEqual([{ n: 2 }, { n: 3 }, { n: 4 }])

  // The detail pane sets either end too.
  await rows.nth(0).click()
  await page.getByTestId('range-start').click()
  await expect(page.getByTestId('replay-from')).toHaveValue((await start(0)) ?? '')
  await rows.nth(4).click()
  await page.getByTestId('range-end').click()
  await expect(page.getByTestId('replay-to')).toHaveValue((await end(4)) ?? '')
  await expect(page.locator('[data-testid="message"][data-in-range="true"]')).toHaveCount(5)

  // Fork from the 3rd message: the Close & fork tab opens with its offset; the fork has 1..3.
  await rows.nth(2).click()
  await page.getByTestId('fork-here').click()
  await expect(page.getByRole('tab', { name: 'Close & fork' })).toHaveAttribute(
    'aria-selected',
    'true',
  )
  await expect(page.getByTestId('fork-offset')).toHaveValue((await end(2)) ?? '')
  await shot(page, 'range-2-fork-from-here')
  await page.emulateMedia({ colorScheme: 'dark' })
  await shot(page, 'range-2-fork-from-here-dark')
  await page.getByTestId('fork-path').fill('qa/picked-fork')
  await page.getByTestId('fork-stream').click()
  await expect(page.getByTestId('stream-title')).toHaveText('qa/picked-fork')
  await expect(rows).toHaveCount(3)
  await expect(rows.last()).toContainText('{"n":3}')
})

test('fork through a message inside a large catch-up batch keeps exactly the messages up to it', async ({
  page,
}) => {
  const url = await createStream(host, 'qa/batch')
  const first = await append(url, JSON.stringify({ n: 0 }))
  await append(url, JSON.stringify([1, 2, 3].map((n) => ({ n }))))
  await append(url, JSON.stringify(Array.from({ length: 20 }, (_, k) => ({ n: 4 + k }))))
  const rows = page.getByTestId('message')
  const list = page.getByTestId('message-list')
  const cases = [
    // From the beginning: one catch-up batch of 24 read from -1 (no offset to fork at: copied).
    { start: undefined, index: 4, total: 5, last: 4, notice: 'Not a fork: a copy' },
    // From an offset: a batch of 23 over two appends; #5 lies past the first (3 messages), so
    // the server refuses the sub-offset and the rest is copied after a fork at the batch start.
    { start: first, index: 4, total: 6, last: 5, notice: 'Forked, then copied' },
    // Inside the first append of that batch: a protocol fork with Stream-Fork-Sub-Offset.
    { start: first, index: 1, total: 3, last: 2, notice: null },
  ]
  for (const [k, c] of cases.entries()) {
    await openStream(page, host, 'qa/batch', c.start)
    await expect(list).toHaveAttribute('data-total', String(c.start ? 23 : 24))
    await page.getByTestId('follow').uncheck()
    await list.focus()
    await page.keyboard.press('g')
    await page.locator(`[data-testid="message"][data-index="${c.index}"]`).click()
    await page.getByTestId('fork-here').click()
    const n = c.index + 1
    await expect(page.getByTestId('fork-contents')).toContainText(
      `messages #1–#${n} ${c.start ? 'as listed here' : 'of this stream'} (${n} messages: everything up to and including #${n})`,
    )
    if (k === 0) await shot(page, 'range-3-fork-through-message')
    await page.getByTestId('fork-path').fill(`qa/batch-fork-${k}`)
    await page.getByTestId('fork-stream').click()
    await expect(page.getByTestId('stream-title')).toHaveText(`qa/batch-fork-${k}`)
    await expect(list).toHaveAttribute('data-total', String(c.total))
    await expect(rows.last()).toContainText(`{"n":${c.last}}`)
    // A copy fallback says so after the fact (the user asked for a fork); a real fork does not.
    const banners = page.getByTestId('banner')
    if (c.notice) {
      await expect(banners).toHaveCount(1)
      await expect(banners).toContainText(c.notice)
      await expect(banners).toContainText(`copies`)
      // Information, not an error: the neutral style.
      await expect(banners).toHaveAttribute('data-tone', 'info')
      if (k === 1) await shot(page, 'range-3-fork-copied-notice')
      await page.getByTestId('banner-dismiss').click()
    }
    await expect(banners).toHaveCount(0)
  }
})
