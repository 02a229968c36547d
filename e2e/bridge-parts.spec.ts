/**
 * The web build's bridge sends a call larger than one WebSocket frame (4 MiB) in parts: an
 * import of a ~6 MiB NDJSON file goes through and the page's socket stays open.
 */
import { expect, test, useWebHost } from './fixtures.js'
import { openTool, quickCreate } from './admin-helpers.js'

const host = useWebHost()

test('imports a file larger than one bridge frame', async ({ page }) => {
  const count = 10
  const pad = 'x'.repeat(540_000)
  const lines = Array.from({ length: count }, (_, i) =>
    JSON.stringify({ offset: `o${i}`, index: i, value: { i, pad } }),
  )
  const buffer = Buffer.from(lines.join('\n') + '\n')
  expect(buffer.byteLength).toBeGreaterThan(5 * 1024 * 1024)

  await page.goto(host.url)
  const base = await page.getByTestId('connection-url').textContent()
  await quickCreate(page, 'qa/large-import')
  await openTool(page, 'replay')
  await page.getByTestId('import-file').setInputFiles({
    name: 'large.ndjson',
    mimeType: 'application/x-ndjson',
    buffer,
  })
  await expect(page.getByTestId('transfer-status')).toContainText(`Imported ${count} messages`, {
    timeout: 60_000,
  })
  await expect(page.getByTestId('transfer-error')).toHaveCount(0)
  // The embedded server answers a catch-up in bounded pieces: follow them to the tail.
  const stored: Array<{ i: number }> = []
  for (let offset = '-1', done = false; !done;) {
    const res = await fetch(`${base}/qa/large-import?offset=${offset}`)
    stored.push(...((await res.json()) as Array<{ i: number }>))
    offset = res.headers.get('stream-next-offset') ?? ''
    done = res.headers.get('stream-up-to-date') === 'true'
  }
  expect(stored.map((m) => m.i)).toEqual(Array.from({ length: count }, (_, i) => i))
})
