/** Electron IPC wiring: sender checks, per-window owners, disposal on reload/close. */
import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron'
import { CALL_CHANNEL, EVENT_CHANNEL } from '../../src-shared/ipc/channels.js'
import type { WireResult } from '../../src-shared/ipc/wire.js'
import type { CoreLike } from '../core/core-types.js'

export function registerIpc(
  core: CoreLike,
  isTrustedSender: (e: IpcMainInvokeEvent) => boolean,
  /**
   * Whether a navigation to `url` will go ahead (the window's will-navigate blocks the others).
   * A blocked navigation keeps the page, so its reading sessions must stay.
   */
  navigationAllowed: (url: string) => boolean = () => true,
): () => void {
  const attached = new Set<number>()
  /** webContents whose listeners are installed: once per webContents, not once per page. */
  const wired = new WeakSet<WebContents>()
  const ownerOf = (wc: WebContents): string => `wc:${wc.id}`

  const attach = (wc: WebContents): void => {
    if (attached.has(wc.id)) return
    attached.add(wc.id)
    const owner = ownerOf(wc)
    core.attach(owner, (event, payload) => {
      if (!wc.isDestroyed()) wc.send(EVENT_CHANNEL, event, payload)
    })
    if (wired.has(wc)) return
    wired.add(wc)
    const release = (): void => {
      if (!attached.delete(wc.id)) return
      core.detach(owner)
    }
    // A reload or navigation starts a new page: everything the old one subscribed to goes.
    wc.on('did-start-navigation', (details) => {
      if (details.isMainFrame && !details.isSameDocument && navigationAllowed(details.url))
        release()
    })
    wc.on('render-process-gone', release)
    wc.once('destroyed', release)
  }

  ipcMain.handle(
    CALL_CHANNEL,
    async (event, method: unknown, params: unknown): Promise<WireResult> => {
      if (!isTrustedSender(event)) {
        return {
          ok: false,
          error: {
            name: 'ForbiddenError',
            code: 'FORBIDDEN',
            message: 'IPC from an untrusted frame was refused',
          },
        }
      }
      attach(event.sender)
      return core.handle(ownerOf(event.sender), method, params)
    },
  )
  return () => ipcMain.removeHandler(CALL_CHANNEL)
}
