import { readFileSync } from 'node:fs'
import { expect, test, useWebHost } from './fixtures.js'
import { appendViaEditor, openTool, quickCreate, shot } from './admin-helpers.js'

const host = useWebHost()

test('replay a range idempotently, export NDJSON, import it; close with a final message; fork', async ({
  page,
}) => {
  await page.goto(host.url)
  const base = await page.getByTestId('connection-url').textContent()
  await quickCreate(page, 'qa/target')
  await quickCreate(page, 'qa/source')
  await appendViaEditor(page, '[{"n":1},{"n":2},{"n":3},{"n":4}]')
  await expect(page.getByTestId('message')).toHaveCount(4)

  await openTool(page, 'replay')
  // The target starts empty (not the source); naming the source warns of duplicates.
  await expect(page.getByTestId('replay-target')).toHaveValue('')
  await page.getByTestId('replay-target').fill('qa/source')
  await expect(page.getByTestId('replay-self-warning')).toContainText('duplicates')
  // The same stream written with a leading slash (main strips it) warns too.
  await page.getByTestId('replay-target').fill('/qa/source')
  await expect(page.getByTestId('replay-self-warning')).toContainText('duplicates')
  await page.getByTestId('replay-target').fill('qa/target')
  await expect(page.getByTestId('replay-self-warning')).toHaveCount(0)
  await page.getByTestId('replay-rate').fill('20')
  await page.getByTestId('replay-start').click()
  await expect(page.getByTestId('replay-progress')).toHaveAttribute('data-state', 'done')
  // The result is brought into view in the (short) tools panel.
  await expect(page.getByTestId('replay-progress')).toBeInViewport()
  await expect(page.getByTestId('replay-status')).toContainText('4/4 (100%) · 0 duplicates')
  await shot(page, 'replay-1-done')
  // The same replay again is deduplicated by the server: nothing new is appended.
  await page.getByTestId('replay-start').click()
  await expect(page.getByTestId('replay-status')).toContainText('done · 4/4 (100%) · 4 duplicates')
  const target: unknown = await (await fetch(`${base}/qa/target?offset=-1`)).json()
  expect(target).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }, { n: 4 }])

  // Export NDJSON with offsets.
  const download = page.waitForEvent('download')
  await page.getByTestId('export').click()
  const file = await (await download).path()
  const lines = readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { offset: string; value: unknown })
  expect(lines.map((l) => l.value)).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }, { n: 4 }])
  expect(lines[0]?.offset).toMatch(/^\d+_\d+$/)
  await expect(page.getByTestId('transfer-status')).toContainText('Exported 4 messages')

  // Import it into the target; a bad file is refused with nothing appended.
  await page.getByTestId('stream-path').fill('qa/target')
  await page.getByTestId('open-stream').click()
  await openTool(page, 'replay')
  await page.getByTestId('import-file').setInputFiles({
    name: 'bad.ndjson',
    mimeType: 'application/x-ndjson',
    buffer: Buffer.from('{"value":1}\nnot json\n'),
  })
  await expect(page.getByTestId('transfer-error')).toContainText('Line 2 is not valid JSON')
  await page.getByTestId('import-file').setInputFiles(file)
  await expect(page.getByTestId('transfer-status')).toContainText('Imported 4 messages')
  await expect(page.getByTestId('message')).toHaveCount(8)
  await shot(page, 'replay-2-imported')
  // The same file again: nothing new is written, and the status says so (with the tail).
  await page.getByTestId('import-file').setInputFiles(file)
  await expect(page.getByTestId('transfer-status')).toContainText(
    '0 new, 4 duplicates skipped (already in the stream) · tail ',
  )
  await expect(page.getByTestId('transfer-status')).toHaveText(/tail \d+_\d+$/)
  await expect(page.getByTestId('message')).toHaveCount(8)

  // Close with a final message.
  await openTool(page, 'lifecycle')
  // A bad final message is named; cancelling the next confirmation leaves no stale error.
  await page.getByTestId('final-message').fill('{"type":')
  await page.getByTestId('close-stream').click()
  await expect(page.getByTestId('close-error')).toContainText('not valid JSON')
  await page.getByTestId('final-message').fill('{"type":"done"}')
  await page.getByTestId('close-stream').click()
  const confirm = page.getByRole('dialog', { name: 'Close stream' })
  await confirm.getByRole('button', { name: 'Cancel' }).click()
  await expect(confirm).toHaveCount(0)
  await expect(page.getByTestId('close-error')).toHaveCount(0)
  await expect(page.getByTestId('already-closed')).toHaveCount(0)
  await page.getByTestId('close-stream').click()
  await confirm.getByRole('button', { name: 'Close', exact: true }).click()
  await expect(page.getByTestId('already-closed')).toBeVisible()
  await expect(page.getByTestId('message')).toHaveCount(9)

  // Fork (from the tail): the fork inherits all 9 messages and is open.
  await page.getByTestId('fork-path').fill('qa/fork')
  await page.getByTestId('fork-stream').click()
  await expect(page.getByTestId('stream-title')).toHaveText('qa/fork')
  await expect(page.getByTestId('message')).toHaveCount(9)
  // A fork from an offset the server rejects is explained next to the form.
  await openTool(page, 'lifecycle')
  await page.getByTestId('fork-path').fill('qa/fork-2')
  await page.getByTestId('fork-offset').fill('not-an-offset')
  await page.getByTestId('fork-stream').click()
  await expect(page.getByTestId('fork-error')).toBeVisible()
  await shot(page, 'replay-3-fork-error')
  await page.emulateMedia({ colorScheme: 'dark' })
  await shot(page, 'replay-4-dark')
})
