/**
 * Electron-free checks for who may call main over IPC. Kept out of window.ts/index.ts so it can be
 * unit-tested without an Electron binary.
 */

export interface WindowPaths {
  preload: string
  rendererFile: string
  /** electron-vite dev server URL, only in `electron-vite dev`. */
  devUrl: string | undefined
}

export function isAppUrl(url: string, paths: WindowPaths): boolean {
  if (paths.devUrl) return url.startsWith(paths.devUrl)
  try {
    const u = new URL(url)
    return (
      u.protocol === 'file:' &&
      decodeURIComponent(u.pathname).endsWith(paths.rendererFile.replace(/\\/g, '/'))
    )
  } catch (_err) {
    return false
  }
}

export interface SenderInfo {
  /** Id of the BrowserWindow owning the sender's webContents, or null if it has none. */
  windowId: number | null
  /** The call came from the main frame of that webContents (not a subframe). */
  isMainFrame: boolean
  /** URL of the sending frame. */
  frameUrl: string
}

/**
 * A sender is trusted when its webContents belongs to a window this app created (ids are added
 * at creation time, before the page loads, and removed on 'closed'), the call comes from its main
 * frame, and that frame shows the app itself.
 */
export function isTrustedSender(
  windowIds: ReadonlySet<number>,
  sender: SenderInfo,
  paths: WindowPaths,
): boolean {
  return (
    sender.windowId !== null &&
    windowIds.has(sender.windowId) &&
    sender.isMainFrame &&
    isAppUrl(sender.frameUrl, paths)
  )
}
