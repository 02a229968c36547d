/** Shared steps of the admin-side e2e specs (append, streams, connections, producers, replay). */
import { expect, type Page } from '@playwright/test'

export { shot } from './browse-helpers.js'

/** Quick-creates a stream from the sidebar and waits for it to be live. */
export async function quickCreate(
  page: Page,
  path: string,
  contentType = 'application/json',
): Promise<void> {
  await page.getByTestId('stream-path').fill(path)
  await page.getByTestId('content-type').selectOption(contentType)
  await page.getByTestId('create-stream').click()
  await expect(page.getByTestId('stream-title')).toHaveText(path)
}

type ToolTab = 'append' | 'producers' | 'replay' | 'lifecycle'

const TOOL_LABELS: Record<ToolTab, string> = {
  append: 'Append',
  producers: 'Producers',
  replay: 'Replay & export',
  lifecycle: 'Close & fork',
}

/** Opens a tab of the (collapsible) tools panel; clicking an already open tab would collapse it. */
export async function openTool(page: Page, tab: ToolTab): Promise<void> {
  const t = page.getByRole('tab', { name: TOOL_LABELS[tab] })
  if ((await t.getAttribute('aria-selected')) !== 'true') await t.click()
  await expect(t).toHaveAttribute('aria-selected', 'true')
  await expect(page.getByTestId('tools-panel')).toBeVisible()
}

/** Replaces the append editor's content (Monaco) with `text`. */
export async function typeInEditor(page: Page, text: string): Promise<void> {
  await openTool(page, 'append')
  const editor = page.getByTestId('append-editor').locator('.monaco-editor')
  await expect(editor).toBeVisible()
  // Under load Monaco can be visible before it takes input: wait until it has focus, and check
  // that the text arrived (what it renders, spaces aside) before going on.
  const squash = (t: string): string => t.replace(/[\s\u00a0]+/g, '')
  await expect(async () => {
    await editor.click()
    await expect(editor).toHaveClass(/\bfocused\b/, { timeout: 1000 })
    await page.keyboard.press('ControlOrMeta+A')
    await page.keyboard.press('Delete')
    await page.keyboard.insertText(text)
    // Monaco renders on the next frame and may auto-close brackets after the cursor.
    await expect
      .poll(async () => squash(await editor.locator('.view-lines').innerText()), { timeout: 2000 })
      .toMatch(new RegExp(`^${squash(text).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}[\\]}"]*$`))
  }).toPass({ timeout: 15_000 })
}

/** Appends through the editor and waits for the confirmation. */
export async function appendViaEditor(page: Page, text: string): Promise<void> {
  await typeInEditor(page, text)
  await page.getByTestId('append').click()
  await expect(page.getByTestId('append-result')).toBeVisible()
}
