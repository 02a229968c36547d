import { EventEmitter } from 'node:events'
import { describe, expect, it, vi } from 'vitest'
import type { IpcMainInvokeEvent, WebContents } from 'electron'
import type { WireResult } from '../../src-shared/ipc/wire.js'
import type { CoreLike } from '../core/core-types.js'

type Handler = (e: IpcMainInvokeEvent, method: unknown, params: unknown) => Promise<WireResult>
const handlers = new Map<string, Handler>()
vi.mock('electron', () => ({
  ipcMain: {
    handle: (channel: string, h: Handler) => handlers.set(channel, h),
    removeHandler: (channel: string) => handlers.delete(channel),
  },
}))
const { registerIpc } = await import('./ipc.js')
const { CALL_CHANNEL } = await import('../../src-shared/ipc/channels.js')

/** Just enough of a webContents: an emitter with an id. */
class FakeWebContents extends EventEmitter {
  readonly id = 1
  isDestroyed(): boolean {
    return false
  }
  send(): void {}
}

describe('registerIpc', () => {
  it('installs the navigation listeners once per webContents, however often the page reloads', async () => {
    const attaches: string[] = []
    const detaches: string[] = []
    const core: CoreLike = {
      handle: async () => ({ ok: true, value: null }),
      attach: (owner) => void attaches.push(owner),
      detach: (owner) => void detaches.push(owner),
    }
    const dispose = registerIpc(core, () => true)
    const handle = handlers.get(CALL_CHANNEL)
    if (!handle) throw new Error('no handler')
    const wc = new FakeWebContents()
    // Only `sender` is read by registerIpc once the (stubbed) trust check passes.
    const event = { sender: wc as unknown as WebContents } as IpcMainInvokeEvent
    for (let reload = 0; reload < 15; reload++) {
      await handle(event, 'app.info', {})
      wc.emit('did-start-navigation', {
        isMainFrame: true,
        isSameDocument: false,
        url: 'file:///app/index.html',
      })
    }
    expect(attaches).toHaveLength(15)
    expect(detaches).toHaveLength(15)
    expect(wc.listenerCount('did-start-navigation')).toBe(1)
    expect(wc.listenerCount('render-process-gone')).toBe(1)
    expect(wc.listenerCount('destroyed')).toBe(1)
    dispose()
  })

  it("keeps the page's subscriptions when will-navigate is going to block the navigation", async () => {
    const detaches: string[] = []
    const core: CoreLike = {
      handle: async () => ({ ok: true, value: null }),
      attach: () => undefined,
      detach: (owner) => void detaches.push(owner),
    }
    const appUrl = 'file:///app/index.html'
    const dispose = registerIpc(
      core,
      () => true,
      (url) => url === appUrl,
    )
    const handle = handlers.get(CALL_CHANNEL)
    if (!handle) throw new Error('no handler')
    const wc = new FakeWebContents()
    const event = { sender: wc as unknown as WebContents } as IpcMainInvokeEvent
    await handle(event, 'app.info', {})
    const nav = { isMainFrame: true, isSameDocument: false }
    // A file dropped on the window, or a link: blocked by will-navigate, the page stays.
    wc.emit('did-start-navigation', { ...nav, url: 'file:///home/u/data.ndjson' })
    wc.emit('did-start-navigation', { ...nav, url: 'https://example.com/' })
    expect(detaches).toEqual([])
    // A reload of the app itself starts a new page.
    wc.emit('did-start-navigation', { ...nav, url: appUrl })
    expect(detaches).toEqual(['wc:1'])
    dispose()
  })
})
