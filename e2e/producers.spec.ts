import { expect, test } from './fixtures.js'
import { openTool, quickCreate, shot } from './admin-helpers.js'
import { startWebHostProcess, type WebHostProcess } from './web-host-process.js'

test('producers: create, send, live counters, fenced by a newer epoch, claim; survives restart', async ({
  page,
}) => {
  let host: WebHostProcess = await startWebHostProcess({
    userDataDir: `/tmp/dsi-e2e-prod-${Date.now()}`,
  })
  try {
    await page.goto(host.url)
    await quickCreate(page, 'prod/events')
    await openTool(page, 'producers')
    await expect(page.getByTestId('producers-empty')).toBeVisible()
    await page.getByTestId('producer-create').click()
    await expect(page.getByTestId('producer-error')).toContainText('Producer id is required')
    await page.getByTestId('producer-id').fill('writer-1')
    await page.getByTestId('producer-batch').fill('0')
    await page.getByTestId('producer-create').click()
    await expect(page.getByTestId('producer-error')).toContainText('Batch size must be')
    await page.getByTestId('producer-batch').fill('10')
    await page.getByTestId('producer-create').click()
    const card = page.getByTestId('producer-card')
    await expect(card).toHaveCount(1)
    await card.getByTestId('producer-message').fill('[{"n":1},{"n":2}]')
    await card.getByTestId('producer-count').fill('3')
    await card.getByTestId('producer-send').click()
    await expect(card.getByTestId('stat-acked')).toHaveText('6')
    await expect(card.getByTestId('stat-epoch')).toHaveText('0')
    await expect(page.getByTestId('message')).toHaveCount(6)

    // Another writer takes the same producer id at epoch 5: ours is fenced.
    const base = await page.getByTestId('connection-url').textContent()
    const r = await fetch(`${base}/prod/events`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'Producer-Id': 'writer-1',
        'Producer-Epoch': '5',
        'Producer-Seq': '0',
      },
      body: '[{"from":"zombie"}]',
    })
    expect(r.status).toBeLessThan(300)
    await card.getByTestId('producer-message').fill('{"n":"after"}')
    await card.getByTestId('producer-count').fill('1')
    await card.getByTestId('producer-send').click()
    await expect(card.getByTestId('producer-fenced')).toHaveText('fenced by epoch 5')
    await shot(page, 'producers-1-fenced')
    await card.getByTestId('producer-claim').click()
    await expect(card.getByTestId('stat-epoch')).toHaveText('6')
    await card.getByTestId('producer-send').click()
    await expect(card.getByTestId('producer-fenced')).toHaveCount(0)
    await expect(card.getByTestId('stat-acked')).toHaveText('7')
    await expect(page.getByTestId('message')).toHaveCount(8)
    await shot(page, 'producers-2-claimed')

    // Restart the app on the same data: the producer is back with epoch + 1.
    await host.stop()
    host = await startWebHostProcess({ userDataDir: host.userDataDir })
    await page.goto(host.url)
    await page.getByTestId('stream-path').fill('prod/events')
    await page.getByTestId('open-stream').click()
    await openTool(page, 'producers')
    await expect(page.getByTestId('producer-card').getByTestId('stat-epoch')).toHaveText('7')
    await page.emulateMedia({ colorScheme: 'dark' })
    await shot(page, 'producers-3-restarted-dark')
  } finally {
    await host.stop()
  }
})
