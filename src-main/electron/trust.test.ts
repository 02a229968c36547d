import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  APP_ENTRY_URL,
  entryUrl,
  externalLinkDecision,
  isAppUrl,
  isTrustedSender,
  permissionAllowed,
  rendererPaths,
  secretPersistence,
  shouldRegisterDsiProtocol,
  type WindowPaths,
} from './trust.js'

const paths: WindowPaths = {
  preload: '/app/out/preload/index.cjs',
  rendererDir: '/app/out/renderer',
  devUrl: undefined,
}
const appUrl = 'app://dsi/index.html#/stream/local/a'
const dev: WindowPaths = { ...paths, devUrl: 'http://localhost:5173/' }

describe('isTrustedSender', () => {
  it('accepts the main frame of a window registered at creation, before any load finished', () => {
    // The window id is registered as soon as the window exists, so the renderer's first calls
    // (made while its module script runs, before did-finish-load) are accepted.
    const ids = new Set([7])
    expect(isTrustedSender(ids, { windowId: 7, isMainFrame: true, frameUrl: appUrl }, paths)).toBe(
      true,
    )
  })

  it('accepts a second window created after the first was closed (macOS activate)', () => {
    const ids = new Set<number>([1])
    ids.delete(1) // 'closed'
    ids.add(2) // new window
    expect(isTrustedSender(ids, { windowId: 2, isMainFrame: true, frameUrl: appUrl }, paths)).toBe(
      true,
    )
    expect(isTrustedSender(ids, { windowId: 1, isMainFrame: true, frameUrl: appUrl }, paths)).toBe(
      false,
    )
  })

  it('refuses unknown windows, webContents without a window, subframes and foreign URLs', () => {
    const ids = new Set([3])
    const ok = { windowId: 3, isMainFrame: true, frameUrl: appUrl }
    expect(isTrustedSender(ids, { ...ok, windowId: 4 }, paths)).toBe(false)
    expect(isTrustedSender(ids, { ...ok, windowId: null }, paths)).toBe(false)
    expect(isTrustedSender(ids, { ...ok, isMainFrame: false }, paths)).toBe(false)
    expect(isTrustedSender(ids, { ...ok, frameUrl: 'https://evil.example/' }, paths)).toBe(false)
    // file:// is no longer the app, not even the renderer's own file.
    expect(
      isTrustedSender(ids, { ...ok, frameUrl: 'file:///app/out/renderer/index.html' }, paths),
    ).toBe(false)
  })

  it('in dev, trusts exactly the dev server origin', () => {
    const ids = new Set([1])
    const s = { windowId: 1, isMainFrame: true }
    expect(isTrustedSender(ids, { ...s, frameUrl: 'http://localhost:5173/' }, dev)).toBe(true)
    expect(isTrustedSender(ids, { ...s, frameUrl: appUrl }, dev)).toBe(false)
  })
})

describe('isAppUrl', () => {
  it('is app://dsi/… in a build, nothing else', () => {
    expect(isAppUrl('app://dsi/index.html', paths)).toBe(true)
    expect(isAppUrl('app://dsi/assets/x.js?v=1#h', paths)).toBe(true)
    for (const url of [
      'app://other/index.html',
      'app://dsi.evil/index.html',
      'file:///app/out/renderer/index.html',
      'http://dsi/index.html',
      'https://example.com/',
      'javascript:alert(1)',
      'not a url',
      '',
    ])
      expect(isAppUrl(url, paths), url).toBe(false)
  })

  it('in dev, compares the whole origin: no prefix tricks, other ports or credentials', () => {
    expect(isAppUrl('http://localhost:5173/index.html', dev)).toBe(true)
    expect(isAppUrl('http://localhost:5173/@vite/client', dev)).toBe(true)
    for (const url of [
      'http://localhost:5173.evil/', // passed the old startsWith(devUrl) check
      'http://localhost:5173.evil.example/index.html',
      'http://localhost:51730/',
      'http://localhost:5174/',
      'https://localhost:5173/',
      'http://127.0.0.1:5173/',
      'http://user:pw@localhost:5173/',
      'app://dsi/index.html',
    ])
      expect(isAppUrl(url, dev), url).toBe(false)
  })
})

describe('rendererPaths / entryUrl', () => {
  it('derives the preload and renderer directory from out/main', () => {
    const p = rendererPaths('/x/out/main', {})
    expect(p).toEqual({
      preload: join('/x/out/main', '..', 'preload', 'index.cjs'),
      rendererDir: join('/x/out/main', '..', 'renderer'),
      devUrl: undefined,
    })
    expect(entryUrl(p)).toBe(APP_ENTRY_URL)
    expect(APP_ENTRY_URL).toBe('app://dsi/index.html')
  })

  it('uses the dev server URL only when electron-vite sets it', () => {
    const p = rendererPaths('/x/out/main', { ELECTRON_RENDERER_URL: 'http://localhost:5173' })
    expect(entryUrl(p)).toBe('http://localhost:5173')
    expect(rendererPaths('/x/out/main', { ELECTRON_RENDERER_URL: '' }).devUrl).toBeUndefined()
  })

  it('a packaged app ignores ELECTRON_RENDERER_URL (it would load and trust that page)', () => {
    // Anyone who can set the environment would otherwise point the installed app at their own
    // page, with the IPC contract and a CSP that allows inline scripts; the fuses close
    // NODE_OPTIONS and RunAsNode for the same reason.
    const env = { ELECTRON_RENDERER_URL: 'http://127.0.0.1:5173' }
    const p = rendererPaths('/x/out/main', env, { isPackaged: true })
    expect(p.devUrl).toBeUndefined()
    expect(entryUrl(p)).toBe(APP_ENTRY_URL)
    expect(isAppUrl('http://127.0.0.1:5173/', p)).toBe(false)
    expect(rendererPaths('/x/out/main', env, { isPackaged: false }).devUrl).toBe(
      'http://127.0.0.1:5173',
    )
  })

  it('in development only a loopback http dev server is used', () => {
    for (const url of [
      'https://evil.example/',
      'http://192.168.1.20:5173/',
      'http://user:pw@localhost:5173/',
      'file:///tmp/index.html',
      'not a url',
    ])
      expect(rendererPaths('/x/out/main', { ELECTRON_RENDERER_URL: url }).devUrl, url).toBe(
        undefined,
      )
    for (const url of ['http://localhost:5173/', 'http://127.0.0.1:5173', 'http://[::1]:5173/'])
      expect(rendererPaths('/x/out/main', { ELECTRON_RENDERER_URL: url }).devUrl, url).toBe(url)
  })
})

describe('permissionAllowed', () => {
  it('denies everything except clipboard writes from the app itself', () => {
    expect(permissionAllowed('clipboard-sanitized-write', appUrl, paths)).toBe(true)
    expect(permissionAllowed('clipboard-sanitized-write', 'https://evil.example/', paths)).toBe(
      false,
    )
    for (const p of [
      'clipboard-read',
      'media',
      'geolocation',
      'notifications',
      'openExternal',
      'fullscreen',
      'hid',
      'serial',
      'usb',
      'unknown',
    ])
      expect(permissionAllowed(p, appUrl, paths), p).toBe(false)
  })
})

describe('externalLinkDecision', () => {
  it('asks before opening an http(s) URL, normalized', () => {
    expect(externalLinkDecision('https://example.com/a b')).toEqual({
      action: 'confirm',
      url: 'https://example.com/a%20b',
    })
    expect(externalLinkDecision('http://example.com')).toEqual({
      action: 'confirm',
      url: 'http://example.com/',
    })
  })

  it('never opens other schemes, credentials, junk or huge URLs', () => {
    for (const url of [
      'file:///etc/passwd',
      'javascript:alert(1)',
      'smb://host/share',
      'ms-settings:',
      'dsi://stream/x',
      'app://dsi/index.html',
      'data:text/html,<b>x</b>',
      'https://user:pass@example.com/',
      'not a url',
      `https://example.com/${'a'.repeat(3000)}`,
    ])
      expect(externalLinkDecision(url).action, url).toBe('deny')
    expect(externalLinkDecision('file:///etc/passwd')).toEqual({
      action: 'deny',
      reason: 'the file: scheme is never opened',
    })
  })
})

describe('secretPersistence', () => {
  it('treats Linux basic_text (a fixed key) and an unknown backend as unavailable', () => {
    expect(
      secretPersistence({
        platform: 'linux',
        encryptionAvailable: true,
        linuxBackend: 'basic_text',
      }),
    ).toEqual({
      persist: false,
      reason:
        'no keyring is available (Electron safeStorage backend "basic_text" uses a fixed key)',
    })
    expect(
      secretPersistence({ platform: 'linux', encryptionAvailable: true, linuxBackend: 'unknown' })
        .persist,
    ).toBe(false)
    expect(secretPersistence({ platform: 'linux', encryptionAvailable: true }).persist).toBe(false)
  })

  it('persists with a real keyring, on macOS and Windows; never without encryption', () => {
    for (const b of ['gnome_libsecret', 'kwallet', 'kwallet5', 'kwallet6'])
      expect(
        secretPersistence({ platform: 'linux', encryptionAvailable: true, linuxBackend: b }),
      ).toEqual({ persist: true })
    expect(secretPersistence({ platform: 'darwin', encryptionAvailable: true })).toEqual({
      persist: true,
    })
    expect(secretPersistence({ platform: 'win32', encryptionAvailable: true })).toEqual({
      persist: true,
    })
    expect(secretPersistence({ platform: 'darwin', encryptionAvailable: false }).persist).toBe(
      false,
    )
  })
})

describe('shouldRegisterDsiProtocol', () => {
  it('registers dsi:// only from a packaged app, once', () => {
    expect(shouldRegisterDsiProtocol({ isPackaged: true, alreadyDefault: false })).toBe(true)
    expect(shouldRegisterDsiProtocol({ isPackaged: true, alreadyDefault: true })).toBe(false)
    expect(shouldRegisterDsiProtocol({ isPackaged: false, alreadyDefault: false })).toBe(false)
  })
})
