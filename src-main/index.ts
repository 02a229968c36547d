/**
 * Electron main: thin shell around the Electron-free services. The renderer is served from the
 * privileged app:// scheme (out/renderer only), every webContents is guarded (navigation,
 * redirects, new windows, webviews), permissions are denied, the shared CSP is sent with every
 * page, IPC senders are checked; single-instance lock, standard menu, clean shutdown.
 */
import { app, BrowserWindow, protocol, session, type IpcMainInvokeEvent } from 'electron'
import { devCsp } from '../src-shared/csp.js'
import { parseArgs, UsageError } from './args.js'
import { loadAppResource } from './electron/app-protocol.js'
import { installDeepLinks } from './electron/deeplinks.js'
import { guardWebContents } from './electron/guards.js'
import { registerIpc } from './electron/ipc.js'
import { installMenu } from './electron/menu.js'
import { desktopSecretStore } from './electron/secrets.js'
import {
  APP_SCHEME,
  isAppUrl,
  isTrustedSender,
  permissionAllowed,
  rendererPaths,
} from './electron/trust.js'
import { createMainWindow } from './electron/window.js'
import { startApp, type RunningApp } from './core/app.js'

// Must happen before 'ready': a standard, secure origin (app://dsi) for the renderer, so it gets
// a real origin for workers and fetch of its own assets, without file:// and its privileges.
protocol.registerSchemesAsPrivileged([
  {
    scheme: APP_SCHEME,
    privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true },
  },
])
const paths = rendererPaths(import.meta.dirname, process.env, { isPackaged: app.isPackaged })
// Guards go on every webContents at creation, before it can load anything.
app.on('web-contents-created', (_event, wc) => guardWebContents(wc, paths))

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
  installDeepLinks(() => running?.deepLinks ?? null)
  await app.whenReady()
  const ses = session.defaultSession
  ses.protocol.handle(APP_SCHEME, async (request) => {
    const r = await loadAppResource(request.url, request.method, paths.rendererDir)
    const body = r.body === null ? null : new Uint8Array(r.body).buffer
    return new Response(body, { status: r.status, headers: r.headers })
  })
  const devUrl = paths.devUrl
  if (devUrl) {
    // `npm run dev` only: the dev server's pages get the dev variant of the shared CSP.
    const policy = devCsp(new URL(devUrl).origin)
    ses.webRequest.onHeadersReceived((details, callback) => {
      callback({
        responseHeaders: isAppUrl(details.url, paths)
          ? { ...details.responseHeaders, 'Content-Security-Policy': [policy] }
          : (details.responseHeaders ?? {}),
      })
    })
  }
  ses.setPermissionRequestHandler((wc, permission, callback, details) =>
    callback(permissionAllowed(permission, details.requestingUrl || wc.getURL(), paths)),
  )
  ses.setPermissionCheckHandler((_wc, permission, requestingOrigin, details) =>
    permissionAllowed(permission, details.requestingUrl || requestingOrigin, paths),
  )
  ses.setDevicePermissionHandler(() => false)

  const userDataDir = app.getPath('userData')
  running = await startApp({
    userDataDir,
    host: 'electron',
    version: app.getVersion(),
    serverUrl: opts.serverUrl,
    secrets: desktopSecretStore(userDataDir),
  })
  const trusted = (e: IpcMainInvokeEvent): boolean =>
    isTrustedSender(
      appWindowIds,
      {
        windowId: BrowserWindow.fromWebContents(e.sender)?.id ?? null,
        // A top-level frame has no parent; comparing with e.sender.mainFrame would rely on
        // Electron returning the same WebFrameMain wrapper object for both.
        isMainFrame: e.senderFrame !== null && e.senderFrame.parent === null,
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
