import type { PreloadApi } from '../../src-shared/ipc/wire'

declare global {
  interface Window {
    /** Present only in Electron, exposed by the preload through contextBridge. */
    dsi?: PreloadApi
  }
}

export {}
