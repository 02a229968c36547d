/** The hardened BrowserWindow, with remembered size/position. Thin: no app logic here. */
import { BrowserWindow, shell, screen } from 'electron'
import { join } from 'node:path'
import type { SettingsStore, WindowState } from '../services/settings.js'
import { isAppUrl, type WindowPaths } from './trust.js'

export { isAppUrl, type WindowPaths }

/**
 * Creates and loads the main window. `onCreated` runs as soon as the window exists, before the
 * page loads, so the caller can trust its IPC from the renderer's very first call.
 */
export async function createMainWindow(
  paths: WindowPaths,
  settings: SettingsStore,
  onCreated: (win: BrowserWindow) => void,
): Promise<BrowserWindow> {
  const saved = (await settings.load()).window
  const state = visible(saved) ? saved : undefined
  const win = new BrowserWindow({
    width: state?.width ?? 1280,
    height: state?.height ?? 800,
    ...(state?.x !== undefined && state.y !== undefined ? { x: state.x, y: state.y } : {}),
    minWidth: 800,
    minHeight: 500,
    show: false,
    title: 'Durable Streams Inspector',
    webPreferences: {
      preload: paths.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
    },
  })
  if (state?.maximized) win.maximize()
  win.once('ready-to-show', () => win.show())

  // Navigation and new windows are denied; http(s) links open in the system browser.
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (/^https?:\/\//.test(url)) void shell.openExternal(url)
    return { action: 'deny' }
  })
  win.webContents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url, paths)) event.preventDefault()
  })
  win.webContents.on('will-attach-webview', (event) => event.preventDefault())

  const remember = (): void => {
    const b = win.getNormalBounds()
    const next: WindowState = {
      width: b.width,
      height: b.height,
      x: b.x,
      y: b.y,
      maximized: win.isMaximized(),
    }
    settings
      .update((s) => ({ ...s, window: next }))
      .catch((err: unknown) => console.error('[window] saving window state failed:', err))
  }
  win.on('close', remember)
  onCreated(win)

  if (paths.devUrl) await win.loadURL(paths.devUrl)
  else await win.loadFile(paths.rendererFile)
  return win
}

function visible(s: WindowState | undefined): s is WindowState {
  if (!s || s.x === undefined || s.y === undefined) return s !== undefined
  const { x, y, width } = s
  return screen.getAllDisplays().some((d) => {
    const a = d.workArea
    return (
      x + width > a.x + 50 && x < a.x + a.width - 50 && y >= a.y - 10 && y < a.y + a.height - 50
    )
  })
}

export function rendererPaths(mainDir: string): WindowPaths {
  return {
    preload: join(mainDir, '..', 'preload', 'index.cjs'),
    rendererFile: join(mainDir, '..', 'renderer', 'index.html'),
    devUrl: process.env.ELECTRON_RENDERER_URL,
  }
}
