/**
 * Electron-free security decisions of the desktop shell: which URLs are the app, who may call
 * main over IPC, which permissions and external links are allowed, whether secrets may be
 * persisted. Kept out of the Electron modules so they are unit-tested without a binary.
 */
import { join } from 'node:path'

/** The renderer is served from this privileged scheme (see app-protocol.ts), never file://. */
export const APP_SCHEME = 'app'
export const APP_HOST = 'dsi'
export const APP_ENTRY_URL = `${APP_SCHEME}://${APP_HOST}/index.html`

export interface WindowPaths {
  /** The sandboxed preload (CommonJS). */
  preload: string
  /** The built renderer, the only directory app:// serves. */
  rendererDir: string
  /** electron-vite dev server URL, only in `npm run dev` (ELECTRON_RENDERER_URL). */
  devUrl: string | undefined
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]'])

/**
 * The dev server URL electron-vite passes in ELECTRON_RENDERER_URL, when it may be used: never
 * in a packaged app (anyone able to set the environment could otherwise make the installed app
 * load and trust their page, which the fuses rule out for NODE_OPTIONS and RunAsNode), and only
 * a loopback http(s) origin without credentials.
 */
function devServerUrl(raw: string | undefined, isPackaged: boolean): string | undefined {
  if (isPackaged || !raw) return undefined
  let u: URL
  try {
    u = new URL(raw)
  } catch (_err) {
    return undefined
  }
  const ok =
    (u.protocol === 'http:' || u.protocol === 'https:') &&
    LOOPBACK_HOSTS.has(u.hostname) &&
    u.username === '' &&
    u.password === ''
  return ok ? raw : undefined
}

/** Where main finds the preload and renderer, relative to its own built file (out/main). */
export function rendererPaths(
  mainDir: string,
  env: NodeJS.ProcessEnv = process.env,
  opts: { isPackaged: boolean } = { isPackaged: false },
): WindowPaths {
  return {
    preload: join(mainDir, '..', 'preload', 'index.cjs'),
    rendererDir: join(mainDir, '..', 'renderer'),
    devUrl: devServerUrl(env.ELECTRON_RENDERER_URL, opts.isPackaged),
  }
}

/** The URL the window loads. */
export function entryUrl(paths: WindowPaths): string {
  return paths.devUrl ?? APP_ENTRY_URL
}

function parse(url: string): URL | null {
  try {
    return new URL(url)
  } catch (_err) {
    return null
  }
}

/**
 * Whether `url` is the app itself: app://dsi/… in a build; in dev, exactly the dev server's
 * origin (scheme, host and port; `http://localhost:5173.evil` or `…:51730` are not it).
 */
export function isAppUrl(url: string, paths: WindowPaths): boolean {
  const u = parse(url)
  if (!u) return false
  if (paths.devUrl) {
    const dev = parse(paths.devUrl)
    return (
      dev !== null &&
      u.protocol === dev.protocol &&
      u.host === dev.host &&
      u.username === '' &&
      u.password === ''
    )
  }
  return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST
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

/**
 * Permission requests and checks: everything is denied except writing to the clipboard from
 * the app's own page (the copy buttons use navigator.clipboard.writeText).
 */
export function permissionAllowed(
  permission: string,
  requestingUrl: string,
  paths: WindowPaths,
): boolean {
  return permission === 'clipboard-sanitized-write' && isAppUrl(requestingUrl, paths)
}

export type ExternalDecision =
  { action: 'confirm'; url: string } | { action: 'deny'; reason: string }

/**
 * A link the page asks to open (window.open, target=_blank). Only http(s) URLs without
 * credentials qualify, and only after the user confirms the exact URL in a native dialog: the
 * page shows stream data, so any URL it hands over may come from a stream.
 */
export function externalLinkDecision(raw: string): ExternalDecision {
  const u = parse(raw)
  if (!u) return { action: 'deny', reason: 'not a valid URL' }
  if (u.protocol !== 'http:' && u.protocol !== 'https:')
    return { action: 'deny', reason: `the ${u.protocol} scheme is never opened` }
  if (u.username !== '' || u.password !== '')
    return { action: 'deny', reason: 'URLs with credentials are never opened' }
  if (u.href.length > 2048) return { action: 'deny', reason: 'the URL is too long' }
  return { action: 'confirm', url: u.href }
}

export type SecretPersistence = { persist: true } | { persist: false; reason: string }

/**
 * Whether secrets may be written to disk through safeStorage. On Linux the `basic_text` backend
 * (no keyring found) encrypts with a fixed, public key: that is clear text in disguise, so it
 * counts as unavailable, as does an unknown backend.
 */
export function secretPersistence(opts: {
  platform: NodeJS.Platform
  encryptionAvailable: boolean
  /** safeStorage.getSelectedStorageBackend() on Linux; ignored elsewhere. */
  linuxBackend?: string
}): SecretPersistence {
  if (!opts.encryptionAvailable)
    return { persist: false, reason: 'the OS offers no secret encryption to this app' }
  if (opts.platform === 'linux') {
    const backend = opts.linuxBackend ?? 'unknown'
    if (backend === 'basic_text' || backend === 'unknown')
      return {
        persist: false,
        reason: `no keyring is available (Electron safeStorage backend "${backend}" uses a fixed key)`,
      }
  }
  return { persist: true }
}

/** The `dsi://` handler is registered with the OS only by an installed (packaged) app. */
export function shouldRegisterDsiProtocol(opts: {
  isPackaged: boolean
  alreadyDefault: boolean
}): boolean {
  return opts.isPackaged && !opts.alreadyDefault
}
