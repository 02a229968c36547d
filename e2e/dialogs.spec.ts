/**
 * Dialogs are native modal <dialog>s: named by their title, focus starts inside (on the first
 * field), Tab cannot leave them, Escape and the close button close them, and focus goes back
 * to the button that opened them.
 */
import { expect, test, useWebHost, type Page } from './fixtures.js'

const host = useWebHost()

/** Whether the focused element is inside the open dialog. */
async function focusInDialog(page: Page): Promise<boolean> {
  return page.evaluate(() => {
    const open = document.querySelector('dialog[open]')
    return open !== null && open.contains(document.activeElement)
  })
}

/** Tab and Shift+Tab `n` times each: focus never leaves the dialog. */
async function expectFocusTrapped(page: Page, n: number): Promise<void> {
  for (const key of ['Tab', 'Shift+Tab']) {
    for (let i = 0; i < n; i++) {
      await page.keyboard.press(key)
      expect(await focusInDialog(page), `after ${i + 1}× ${key}`).toBe(true)
    }
  }
}

test('Connections dialog: modal, focus inside and trapped, Escape closes, focus back on the opener', async ({
  page,
}) => {
  await page.goto(host.url)
  const opener = page.getByRole('button', { name: 'Connections…' })
  await opener.click()
  const dialog = page.getByRole('dialog', { name: 'Connections' })
  await expect(dialog).toBeVisible()
  // Modal: the page behind does not take focus or clicks (it is inert).
  expect(await dialog.evaluate((d) => (d as HTMLDialogElement).matches(':modal'))).toBe(true)
  expect(await focusInDialog(page)).toBe(true)
  await expectFocusTrapped(page, 12)
  await page.keyboard.press('Escape')
  await expect(dialog).toHaveCount(0)
  await expect(opener).toBeFocused()

  // The form inside: its first field has focus after "Add connection"; the ✕ button closes.
  await opener.click()
  await dialog.getByRole('button', { name: 'Add connection' }).click()
  await dialog.getByLabel('Name', { exact: true }).focus()
  await expectFocusTrapped(page, 10)
  await dialog.getByRole('button', { name: 'Close dialog' }).click()
  await expect(dialog).toHaveCount(0)
  await expect(opener).toBeFocused()
})

test('New stream dialog: the path field has focus, Tab stays inside, Escape returns focus to New…', async ({
  page,
}) => {
  await page.goto(host.url)
  const opener = page.getByRole('button', { name: 'New…' })
  await opener.click()
  const dialog = page.getByRole('dialog', { name: 'New stream' })
  await expect(dialog).toBeVisible()
  await expect(dialog.getByLabel('Path')).toBeFocused()
  await expectFocusTrapped(page, 15)
  await page.keyboard.press('Escape')
  await expect(dialog).toHaveCount(0)
  await expect(opener).toBeFocused()
  // Nothing was created.
  await expect(page.getByTestId('stream-title')).toHaveCount(0)
})
