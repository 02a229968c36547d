import { DurableStreamTestServer } from '@durable-streams/server'
import { readFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { expect, test, useWebHost } from './fixtures.js'
import { shot } from './admin-helpers.js'

const host = useWebHost()
let second: DurableStreamTestServer
let secondUrl: string
test.beforeEach(async () => {
  second = new DurableStreamTestServer({ port: 0 })
  secondUrl = (await second.start()).replace(/\/+$/, '') + '/v1/stream'
  // A stream that only exists on the second server.
  const r = await fetch(`${secondUrl}/remote-only`, {
    method: 'PUT',
    headers: { 'Content-Type': 'application/json' },
  })
  expect(r.status).toBeLessThan(300)
})
test.afterEach(async () => {
  await second.stop()
})

test('connections: add with a masked secret header, test, switch, edit, remove; Local stays', async ({
  page,
}) => {
  await page.goto(host.url)
  await expect(page.getByTestId('connection-select')).toHaveValue('local')
  await page.getByTestId('manage-connections').click()
  await expect(page.getByTestId('connection-row')).toHaveCount(1)
  await page.getByTestId('add-connection').click()

  // Bad input is named next to its field; nothing is saved.
  await page.getByTestId('conn-name').fill('Staging')
  await page.getByTestId('conn-url').fill('ftp://nope')
  await page.getByTestId('conn-save').click()
  await expect(page.getByTestId('conn-baseUrl-error')).toContainText('http:// or https://')

  await page.getByTestId('conn-url').fill(secondUrl)
  await page.getByTestId('conn-add-header').click()
  await page.getByTestId('conn-header-value').fill('Bearer s3cret-token')
  await expect(page.getByTestId('conn-header-value')).toHaveAttribute('type', 'password')
  await page.getByTestId('conn-test').click()
  await expect(page.getByTestId('test-result')).toContainText('Connected')
  await shot(page, 'connections-1-form')
  await page.getByTestId('conn-save').click()

  await expect(page.getByTestId('connection-row')).toHaveCount(2)
  const row = page.getByTestId('connection-row').nth(1)
  await expect(row.getByTestId('connection-headers')).toHaveText('Authorization: ••••••')
  await row.getByTestId('test-connection').click()
  await expect(row.getByTestId('test-result')).toContainText('Connected')
  await shot(page, 'connections-2-list')
  // The secret is in no page content and not in settings.json.
  expect(await page.content()).not.toContain('s3cret-token')
  expect(readFileSync(join(host.userDataDir, 'settings.json'), 'utf8')).not.toContain('s3cret')

  // Edit without retyping the secret keeps it; the value field shows it is saved, masked.
  await row.getByTestId('edit-connection').click()
  await expect(page.getByTestId('conn-header-value')).toHaveValue('')
  await expect(page.getByTestId('conn-header-value')).toHaveAttribute('placeholder', /saved/)
  await page.getByTestId('conn-name').fill('Staging 2')
  await page.getByTestId('conn-save').click()
  await expect(page.getByTestId('connection-row').nth(1)).toContainText('Staging 2')

  // Switch: the other server's streams are listed.
  await page.getByTestId('connection-row').nth(1).getByTestId('use-connection').click()
  await expect(page.getByTestId('connection-select')).not.toHaveValue('local')
  await page.getByTestId('stream-path').fill('remote-only')
  await page.getByTestId('open-stream').click()
  await expect(page.getByTestId('stream-title')).toHaveText('remote-only')
  await shot(page, 'connections-3-switched')

  // Back to Local, then remove the profile.
  await page.getByTestId('connection-select').selectOption('local')
  await expect(page.getByTestId('stream-list')).not.toContainText('remote-only')
  await page.getByTestId('manage-connections').click()
  await page.getByTestId('connection-row').nth(1).getByTestId('remove-connection').click()
  await page
    .getByRole('dialog', { name: 'Remove connection' })
    .getByRole('button', { name: 'Remove' })
    .click()
  await expect(page.getByTestId('connection-row')).toHaveCount(1)
  await expect(page.getByTestId('connection-row')).toContainText('Local')
})

test('Test connection: a plain 404 server is not a Durable Streams server; a silent one times out', async ({
  page,
}) => {
  // Real servers: one answers 404 to everything, one accepts and never answers.
  const plain = createServer((_req, res) => res.writeHead(404).end('not here'))
  const silent = createServer(() => undefined)
  for (const s of [plain, silent]) await new Promise<void>((r) => s.listen(0, '127.0.0.1', r))
  const url = (s: typeof plain): string => `http://127.0.0.1:${(s.address() as AddressInfo).port}`
  try {
    await page.goto(host.url)
    await page.getByTestId('manage-connections').click()
    await page.getByTestId('add-connection').click()
    await page.getByTestId('conn-name').fill('Plain')
    await page.getByTestId('conn-url').fill(url(plain))
    await page.getByTestId('conn-test').click()
    await expect(page.getByTestId('test-result')).toContainText(
      'does not look like a Durable Streams server',
    )
    await expect(page.getByTestId('test-result')).toContainText('✗')

    await page.getByTestId('conn-url').fill(url(silent))
    await page.getByTestId('conn-test').click()
    await expect(page.getByTestId('test-running')).toBeVisible()
    await expect(page.getByTestId('conn-test')).toBeDisabled()
    await shot(page, 'connections-4-testing')
    await expect(page.getByTestId('test-result')).toContainText('No answer within 5 s', {
      timeout: 8_000,
    })
    await expect(page.getByTestId('conn-test')).toBeEnabled()
  } finally {
    silent.closeAllConnections()
    for (const s of [plain, silent]) await new Promise((r) => s.close(r))
  }
})

test('a server that accepts but never answers: opening shows a state, can be cancelled, times out; the dot says so', async ({
  page,
}) => {
  const silent = createServer(() => undefined)
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r))
  const silentUrl = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`
  try {
    await page.goto(host.url)
    await expect(page.getByTestId('connection-dot')).toHaveAttribute('data-state', 'open')
    await page.getByTestId('manage-connections').click()
    await page.getByTestId('add-connection').click()
    await page.getByTestId('conn-name').fill('Silent')
    await page.getByTestId('conn-url').fill(silentUrl)
    await page.getByTestId('conn-save').click()
    await page.getByTestId('connection-row').nth(1).getByTestId('use-connection').click()
    await expect(page.getByTestId('connection-select')).not.toHaveValue('local')

    // Opening: a visible state with a cancel; Cancel gives the form back at once.
    await page.getByTestId('stream-path').fill('orders')
    await page.getByTestId('open-stream').click()
    await expect(page.getByTestId('stream-opening')).toContainText('Opening orders')
    await expect(page.getByTestId('open-stream')).toBeDisabled()
    await expect(page.getByTestId('connection-dot')).toHaveAttribute('data-state', 'waiting')
    await shot(page, 'connections-5-opening')
    await page.getByTestId('cancel-open').click()
    await expect(page.getByTestId('stream-opening')).toHaveCount(0)
    await expect(page.getByTestId('open-stream')).toBeEnabled()

    // Left to run, it gives up after 10 s with a message that says what happened.
    await page.getByTestId('stream-path').fill('orders')
    await page.getByTestId('open-stream').click()
    await expect(page.getByTestId('stream-error')).toContainText(
      'within 10 s: the server accepted the connection but did not respond',
      { timeout: 15_000 },
    )
    await expect(page.getByTestId('connection-dot')).toHaveAttribute('data-state', 'unreachable')
    await expect(page.getByTestId('open-stream')).toBeEnabled()
    await shot(page, 'connections-6-no-answer')
  } finally {
    silent.closeAllConnections()
    await new Promise((r) => silent.close(r))
  }
})

test('a server without __registry__: the sidebar says it does not list streams; opened ones are remembered', async ({
  page,
}) => {
  await page.goto(host.url)
  await page.getByTestId('manage-connections').click()
  await page.getByTestId('add-connection').click()
  await page.getByTestId('conn-name').fill('Reference')
  await page.getByTestId('conn-url').fill(secondUrl)
  await page.getByTestId('conn-save').click()
  await page.getByTestId('connection-row').nth(1).getByTestId('use-connection').click()
  // The server holds remote-only, but keeps no registry: no "No streams yet".
  await expect(page.getByTestId('streams-unlisted')).toContainText(
    'This server does not list its streams',
  )
  await expect(page.getByTestId('streams-empty')).toHaveCount(0)
  await shot(page, 'connections-7-unlisted')
  await page.getByTestId('stream-path').fill('remote-only')
  await page.getByTestId('open-stream').click()
  await expect(page.getByTestId('stream-title')).toHaveText('remote-only')
  // Remembered for this connection: still listed after going to Local and back.
  await page.getByTestId('connection-select').selectOption('local')
  await expect(page.getByTestId('stream-list')).not.toContainText('remote-only')
  await page.getByTestId('connection-select').selectOption({ label: 'Reference' })
  await expect(page.getByTestId('stream-list').locator('[data-path="remote-only"]')).toBeVisible()
})
