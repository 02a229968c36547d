/**
 * The State view (issue #13): a generated State Protocol stream materialized per entity type,
 * live updates, time travel, key history with a diff, snapshot/reset markers, malformed
 * messages flagged, and the server's __registry__ shown as state. Screenshots at 1280×800,
 * light and dark, go to test-results/screens/ (and DSI_SHOTS_DIR when set).
 */
import { mkdirSync } from 'node:fs'
import { expect, test, useWebHost, type Page } from './fixtures.js'
import { append, createStream, openStream } from './browse-helpers.js'

const host = useWebHost()

const change = (
  type: string,
  key: string,
  operation: 'insert' | 'update' | 'delete',
  value?: unknown,
  extra: Record<string, string> = {},
): unknown => ({
  type,
  key,
  ...(value === undefined ? {} : { value }),
  headers: { operation, ...extra },
})

async function shots(page: Page, name: string): Promise<void> {
  const dirs = ['test-results/screens', process.env.DSI_SHOTS_DIR].filter((d): d is string => !!d)
  for (const theme of ['light', 'dark'] as const) {
    await page.evaluate((t) => (document.documentElement.dataset.theme = t), theme)
    for (const dir of dirs) {
      mkdirSync(dir, { recursive: true })
      await page.screenshot({ path: `${dir}/${name}-${theme}.png` })
    }
  }
  await page.evaluate(() => delete document.documentElement.dataset.theme)
}

test('State view: tables, live update, time travel, key history diff, markers, warnings', async ({
  page,
}) => {
  test.setTimeout(120_000)
  const url = await createStream(host, 'app-state')
  await append(
    url,
    JSON.stringify([
      { headers: { control: 'snapshot-start', offset: 'snap-1' } },
      change(
        'user',
        'user:1',
        'insert',
        { name: 'Alice', email: 'alice@example.com', role: { admin: true } },
        {
          txid: 'tx-1',
          timestamp: '2025-01-15T10:30:00Z',
        },
      ),
      change('user', 'user:2', 'insert', { name: 'Bob', email: 'bob@example.com' }),
      change('user', 'user:3', 'insert', { name: 'Carol', email: 'carol@example.com' }),
      change('config', 'theme', 'insert', 'dark'),
      { headers: { control: 'snapshot-end', offset: 'snap-1' } },
    ]),
  )
  await append(
    url,
    JSON.stringify([
      change(
        'user',
        'user:1',
        'update',
        { name: 'Alice Smith', email: 'alice@example.com', role: { admin: false } },
        {
          txid: 'tx-2',
        },
      ),
      change('user', 'user:3', 'delete'),
      // Malformed / protocol-violating: flagged, never crashing the view.
      { type: 'user', key: 'user:9', value: 1, headers: { operation: 'merge' } },
      { type: 'user', value: { name: 'no key' }, headers: { operation: 'insert' } },
      'just a string',
    ]),
  )
  await openStream(page, host, 'app-state')
  // Offered automatically: the first messages are State Protocol messages.
  await expect(page.getByTestId('state-hint')).toBeVisible()
  await page.getByRole('tab', { name: /^State/ }).click()

  const table = page.getByTestId('state-table')
  await expect(page.getByRole('tab', { name: /user\s*2/ })).toHaveAttribute('aria-selected', 'true')
  await expect(table.locator('tbody tr')).toHaveCount(2)
  await expect(table.locator('thead th')).toHaveText(['key', 'name', 'email', 'role'])
  await expect(table.locator('tr[data-key="user:1"]')).toContainText('Alice Smith')
  await expect(page.getByTestId('state-counters')).toContainText('+4 insert')
  await expect(page.getByTestId('state-counters')).toContainText('~1 update')
  await expect(page.getByTestId('state-counters')).toContainText('−1 delete')
  // Nested values are collapsible.
  const role = table.locator('tr[data-key="user:1"] details.state-nested')
  await expect(role.locator(':scope > summary')).toHaveText('{1 key}')
  await role.locator(':scope > summary').click()
  await expect(role.getByTestId('json-tree')).toContainText('admin: false')

  // Warnings with their message positions, markers listed.
  const warnings = page.getByTestId('state-warning')
  await expect(warnings).toHaveCount(3)
  await expect(warnings.nth(0)).toContainText('message 9')
  await expect(warnings.nth(0)).toContainText('Unknown operation "merge"')
  await expect(warnings.nth(1)).toContainText('missing-key')
  await expect(warnings.nth(2)).toContainText('not-object')
  await page.getByTestId('state-markers').locator('summary').click()
  await expect(page.getByTestId('state-markers').locator('li')).toHaveCount(2)
  await expect(page.getByTestId('state-markers')).toContainText('snapshot-start at message 1')
  await shots(page, 'state-1-tables')

  // Live update: a new row appears and flashes; counters move.
  await append(
    url,
    JSON.stringify([change('user', 'user:4', 'insert', { name: 'Dan', email: 'dan@example.com' })]),
  )
  const dan = table.locator('tr[data-key="user:4"]')
  await expect(dan).toBeVisible()
  await expect(dan).toHaveClass(/flash/)
  await expect(page.getByTestId('state-counters')).toContainText('+5 insert')

  // Time travel: one change back hides Dan; the snapshot's end shows Carol and the old Alice.
  await page.getByRole('button', { name: 'One change back' }).click()
  await expect(page.getByTestId('state-position')).toContainText('As of change 6 of 7')
  await expect(dan).toHaveCount(0)
  await page.getByTestId('state-markers').getByRole('button', { name: 'state here' }).nth(1).click()
  await expect(page.getByTestId('state-position')).toContainText('As of change 4 of 7')
  await expect(table.locator('tbody tr')).toHaveCount(3)
  await expect(table.locator('tr[data-key="user:1"]')).toContainText('Alice')
  await expect(table.locator('tr[data-key="user:1"]')).not.toContainText('Smith')
  await expect(table.locator('tr[data-key="user:3"]')).toContainText('Carol')
  // A typed offset: -1 is before everything.
  const asOf = page.getByRole('textbox', { name: 'State as of offset' })
  await asOf.fill('-1')
  await asOf.press('Enter')
  await expect(page.getByTestId('state-position')).toContainText('As of change 0 of 7')
  await expect(page.getByTestId('state-empty')).toBeVisible()
  await asOf.fill('#99')
  await asOf.press('Enter')
  await expect(page.getByTestId('state-asof-error')).toContainText('past the last change')
  await asOf.fill('#2')
  await asOf.press('Enter')
  await expect(page.getByTestId('state-position')).toContainText('As of change 2 of 7')
  await page.getByRole('button', { name: 'One change forward' }).click()
  await expect(page.getByTestId('state-position')).toContainText('As of change 3 of 7')
  await shots(page, 'state-2-time-travel')
  await page.getByRole('button', { name: 'Live', exact: true }).click()
  await expect(page.getByTestId('state-position')).toContainText('Live')
  await expect(dan).toBeVisible()

  // Key history with the diff between consecutive values.
  await table.locator('tr[data-key="user:1"]').getByRole('button', { name: 'user:1' }).click()
  const history = page.getByTestId('key-history')
  await expect(history).toContainText('History of user/user:1')
  const entries = history.getByTestId('history-entry')
  await expect(entries).toHaveCount(2)
  await expect(entries.nth(0)).toContainText('insert')
  await expect(entries.nth(0)).toContainText('txid tx-1')
  await expect(entries.nth(0)).toContainText('2025-01-15T10:30:00Z')
  await expect(entries.nth(1)).toContainText('txid tx-2')
  await expect(entries.nth(1).locator('.diff-chg')).toHaveText([
    '~ $.name: "Alice" → "Alice Smith"',
    '~ $.role.admin: true → false',
  ])

  // Filter by a value path; a bad filter is explained next to the input.
  await page.getByRole('textbox', { name: 'Filter by value path' }).fill('$.name ~ smith')
  await page.getByRole('button', { name: 'Filter', exact: true }).click()
  await expect(table.locator('tbody tr')).toHaveCount(1)
  await expect(page.getByTestId('state-row-count')).toContainText('(filtered from 3)')
  await page.getByRole('textbox', { name: 'Filter by value path' }).fill('$.name ==')
  await page.getByRole('button', { name: 'Filter', exact: true }).click()
  await expect(page.getByTestId('state-filter-error')).toContainText('Missing value')
  await page.getByRole('textbox', { name: 'Filter by value path' }).fill('')
  await page.getByRole('button', { name: 'Filter', exact: true }).click()
  await expect(table.locator('tbody tr')).toHaveCount(3)
  await shots(page, 'state-3-history')

  // Export: a download of the shown state.
  const download = page.waitForEvent('download')
  await page.getByRole('button', { name: 'Export JSON' }).click()
  const file = await download
  expect(file.suggestedFilename()).toBe('app-state-state.json')
  const chunks: Buffer[] = []
  for await (const c of await file.createReadStream()) chunks.push(c as Buffer)
  const doc = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
    state: Record<string, Record<string, unknown>>
  }
  expect(Object.keys(doc.state.user ?? {})).toEqual(['user:1', 'user:2', 'user:4'])
  expect(doc.state.config).toEqual({ theme: 'dark' })
})

test('State view: reset clears the state; the registry is a table of streams', async ({ page }) => {
  const url = await createStream(host, 'resets')
  await append(
    url,
    JSON.stringify([
      change('job', 'a', 'insert', { n: 1 }),
      change('job', 'b', 'insert', { n: 2 }),
      { headers: { control: 'reset' } },
      change('job', 'c', 'insert', { n: 3 }),
    ]),
  )
  await openStream(page, host, 'resets')
  await page.getByRole('tab', { name: /^State/ }).click()
  const table = page.getByTestId('state-table')
  await expect(table.locator('tbody tr')).toHaveCount(1)
  await expect(table.locator('tr[data-key="c"]')).toBeVisible()
  await expect(page.getByTestId('state-counters')).toContainText('1 reset')
  await page.getByTestId('state-markers').locator('summary').click()
  await expect(page.getByTestId('state-markers')).toContainText('reset at message 3')
  // Before the reset: a and b.
  await page.getByRole('textbox', { name: 'State as of offset' }).fill('#2')
  await page.getByRole('textbox', { name: 'State as of offset' }).press('Enter')
  await expect(table.locator('tbody tr')).toHaveCount(2)

  // The server's registry is itself a State Protocol stream: its streams as a table.
  await openStream(page, host, '__registry__')
  await expect(page.getByTestId('state-view')).toBeVisible()
  const registry = page.getByTestId('state-table')
  await expect(registry.locator('tr[data-key$="resets"]').first()).toBeVisible()
  await expect(registry.locator('thead th').first()).toHaveText('key')
  await shots(page, 'state-4-registry')
})
