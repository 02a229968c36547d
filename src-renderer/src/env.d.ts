import type { PreloadApi } from '../../src-shared/ipc/contract'

declare global {
  interface Window {
    /** Present only in Electron, exposed by the preload through contextBridge. */
    dsi?: PreloadApi
  }
}

export {}
