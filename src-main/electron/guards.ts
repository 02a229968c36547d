/**
 * Rules applied to every webContents the app ever creates (app.on('web-contents-created')), so a
 * window, a devtools host or anything created later gets the same treatment: no navigation or
 * redirect away from the app, no webviews, no new windows; an http(s) link opens in the system
 * browser only after the user confirms the exact URL.
 */
import { dialog, shell, type WebContents } from 'electron'
import { externalLinkDecision, isAppUrl, type WindowPaths } from './trust.js'

let confirming = false

async function openAfterConfirm(url: string): Promise<void> {
  // One dialog at a time: a page calling window.open in a loop cannot stack them.
  if (confirming) return
  confirming = true
  try {
    const { response } = await dialog.showMessageBox({
      type: 'question',
      buttons: ['Cancel', 'Open in browser'],
      defaultId: 0,
      cancelId: 0,
      title: 'Open link',
      message: 'Open this link in your browser?',
      detail: url,
    })
    if (response === 1) await shell.openExternal(url)
  } finally {
    confirming = false
  }
}

export function guardWebContents(wc: WebContents, paths: WindowPaths): void {
  wc.setWindowOpenHandler(({ url }) => {
    const decision = externalLinkDecision(url)
    if (decision.action === 'confirm')
      openAfterConfirm(decision.url).catch((err: unknown) =>
        console.error('[guard] opening a link failed:', err),
      )
    else console.warn(`[guard] refused to open ${url.slice(0, 200)}: ${decision.reason}`)
    return { action: 'deny' }
  })
  const stayInApp = (event: { preventDefault(): void }, url: string): void => {
    if (!isAppUrl(url, paths)) event.preventDefault()
  }
  wc.on('will-navigate', stayInApp)
  wc.on('will-redirect', stayInApp)
  wc.on('will-attach-webview', (event) => event.preventDefault())
}
