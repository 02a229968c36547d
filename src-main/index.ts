/**
 * Electron main: thin shell around the Electron-free services. Hardened window, strict CSP
 * (meta tag in index.html, plus a response header for http(s) dev loads), IPC sender check,
 * single-instance lock, standard menu, clean shutdown of the embedded server.
 */
import { app, BrowserWindow, session, type IpcMainInvokeEvent } from 'electron'
import { parseArgs, UsageError } from './args.js'
import { installDeepLinks } from './electron/deeplinks.js'
import { registerIpc } from './electron/ipc.js'
import { installMenu } from './electron/menu.js'
import { safeStorageCipher } from './electron/secrets.js'
import { isAppUrl, isTrustedSender } from './electron/trust.js'
import { createMainWindow, rendererPaths } from './electron/window.js'
import { startApp, type RunningApp } from './services/app.js'
import { FileSecretStore } from './services/secret-store.js'

const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
  "font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; object-src 'none'; base-uri 'none'"

let running: RunningApp | null = null
let mainWindow: BrowserWindow | null = null
/** Ids of the windows this app created; added at creation (before loading), removed on 'closed'. */
const appWindowIds = new Set<number>()

function track(win: BrowserWindow): void {
  const id = win.id
  appWindowIds.add(id)
  mainWindow = win
  win.on('closed', () => {
    appWindowIds.delete(id)
    if (mainWindow === win) mainWindow = null
  })
}

async function boot(): Promise<void> {
  const opts = parseArgs(process.argv.slice(1), process.env)
  if (opts.userDataDir) app.setPath('userData', opts.userDataDir)
  if (!app.requestSingleInstanceLock()) {
    app.quit()
    return
  }
  installDeepLinks(() => running?.browse.deepLinks ?? null)
  await app.whenReady()
  const paths = rendererPaths(import.meta.dirname)
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CSP] } })
  })
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) =>
    callback(false),
  )

  const userDataDir = app.getPath('userData')
  running = await startApp({
    userDataDir,
    host: 'electron',
    version: app.getVersion(),
    serverUrl: opts.serverUrl,
    secrets: new FileSecretStore(userDataDir, safeStorageCipher()),
  })
  const trusted = (e: IpcMainInvokeEvent): boolean =>
    isTrustedSender(
      appWindowIds,
      {
        windowId: BrowserWindow.fromWebContents(e.sender)?.id ?? null,
        isMainFrame: e.senderFrame !== null && e.senderFrame === e.sender.mainFrame,
        frameUrl: e.senderFrame?.url ?? '',
      },
      paths,
    )
  registerIpc(running.core, trusted, (url) => isAppUrl(url, paths))
  installMenu()
  await createMainWindow(paths, running.settings, track)

  app.on('second-instance', () => {
    if (!mainWindow || mainWindow.isDestroyed()) return
    if (mainWindow.isMinimized()) mainWindow.restore()
    mainWindow.focus()
  })
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0 && running) {
      createMainWindow(paths, running.settings, track).catch((err: unknown) =>
        console.error('[window] creating the window failed:', err),
      )
    }
  })
}

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit()
})

let quitting = false
app.on('before-quit', (event) => {
  if (quitting || !running) return
  event.preventDefault()
  quitting = true
  running.stop().then(
    () => app.quit(),
    (err: unknown) => {
      console.error('Shutdown failed:', err)
      app.exit(1)
    },
  )
})

boot().catch((err: unknown) => {
  console.error(err instanceof UsageError ? `Error: ${err.message}` : err)
  app.exit(1)
})
