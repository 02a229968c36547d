/** The app itself: what it runs on and the `dsi://` deep links it was asked to open. */
import { Empty } from './common.js'

export interface AppInfo {
  version: string
  host: 'electron' | 'web'
  platform: string
  /** URL of the embedded server when it runs, else null. */
  embeddedServerUrl: string | null
}

export const appParams = {
  'app.info': Empty,
  'app.takeDeepLink': Empty,
}

export interface AppResults {
  'app.info': AppInfo
  /** A `dsi://` link the app was launched with (Electron), taken once; null otherwise. */
  'app.takeDeepLink': { url: string | null }
}

export interface AppEvents {
  /** A `dsi://` link opened while the app runs (Electron). */
  'app.deepLink': { url: string }
}
