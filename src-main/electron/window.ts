/** The hardened BrowserWindow, with remembered size/position. Thin: no app logic here. */
import { BrowserWindow, screen } from 'electron'
import type { SettingsStore, WindowState } from '../domains/app/settings.js'
import { entryUrl, type WindowPaths } from './trust.js'

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

  // Navigation, redirects, new windows and webviews are handled by guardWebContents, which
  // index.ts applies to every webContents when it is created (this one included).

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

  // app://dsi/ in a build (served from out/renderer only), the dev server in `npm run dev`.
  await win.loadURL(entryUrl(paths))
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
