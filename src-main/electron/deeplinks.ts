/** `dsi://` deep links in Electron: register the scheme and route OS links to the inbox. */
import { app } from 'electron'
import { DSI_SCHEME, findDeepLink, type DeepLinkInbox } from '../domains/app/deeplinks.js'
import { shouldRegisterDsiProtocol } from './trust.js'

/**
 * Call before `app.whenReady()` (macOS delivers launch links through `open-url` early). Only an
 * installed (packaged) app registers itself as the OS handler of dsi://: a development run
 * would register the bare Electron binary (with whatever app path it was started with).
 */
export function installDeepLinks(inbox: () => DeepLinkInbox | null): void {
  if (
    shouldRegisterDsiProtocol({
      isPackaged: app.isPackaged,
      alreadyDefault: app.isDefaultProtocolClient(DSI_SCHEME),
    })
  )
    app.setAsDefaultProtocolClient(DSI_SCHEME)
  let early: string | null = findDeepLink(process.argv)
  const push = (url: string): void => {
    const target = inbox()
    if (target) target.push(url)
    else early = url
  }
  app.on('open-url', (event, url) => {
    event.preventDefault()
    push(url)
  })
  app.on('second-instance', (_event, argv) => {
    const url = findDeepLink(argv)
    if (url) push(url)
  })
  // Once the services run, hand over a link that came before them.
  void app.whenReady().then(() => {
    const timer = setInterval(() => {
      const target = inbox()
      if (!target) return
      clearInterval(timer)
      if (early) target.push(early)
      early = null
    }, 50)
  })
}
