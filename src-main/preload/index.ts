/**
 * Sandboxed preload: exposes only the typed contract (`window.dsi`) through contextBridge.
 * No Node or Electron objects leak to the page; methods and events are checked by name.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron'
import { CALL_CHANNEL, EVENT_CHANNEL } from '../../src-shared/ipc/channels.js'
import type { PreloadApi, WireResult } from '../../src-shared/ipc/wire.js'
import {
  isEventName,
  isMethodName,
  type EventName,
  type MethodName,
} from '../../src-shared/contract/names.js'

const api: PreloadApi = {
  invoke(method: MethodName, params: unknown): Promise<WireResult> {
    if (!isMethodName(method)) {
      return Promise.resolve({
        ok: false,
        error: {
          name: 'InvalidArgumentError',
          code: 'INVALID_ARGUMENT',
          message: `Unknown method ${String(method)}`,
        },
      })
    }
    return ipcRenderer.invoke(CALL_CHANNEL, method, params) as Promise<WireResult>
  },
  subscribe(listener: (event: EventName, payload: unknown) => void): () => void {
    const handler = (_e: IpcRendererEvent, event: unknown, payload: unknown): void => {
      if (isEventName(event)) listener(event, payload)
    }
    ipcRenderer.on(EVENT_CHANNEL, handler)
    return () => {
      ipcRenderer.removeListener(EVENT_CHANNEL, handler)
    }
  },
}

contextBridge.exposeInMainWorld('dsi', api)
