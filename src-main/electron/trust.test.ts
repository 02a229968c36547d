import { describe, expect, it } from 'vitest'
import { isTrustedSender, type WindowPaths } from './trust.js'

const paths: WindowPaths = {
  preload: '/app/out/preload/index.cjs',
  rendererFile: '/app/out/renderer/index.html',
  devUrl: undefined,
}
const appUrl = 'file:///app/out/renderer/index.html'

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
    expect(isTrustedSender(ids, { ...ok, frameUrl: 'file:///tmp/other.html' }, paths)).toBe(false)
  })

  it('uses the dev server URL prefix when set', () => {
    const dev = { ...paths, devUrl: 'http://localhost:5173' }
    const ids = new Set([1])
    const s = { windowId: 1, isMainFrame: true }
    expect(isTrustedSender(ids, { ...s, frameUrl: 'http://localhost:5173/' }, dev)).toBe(true)
    expect(isTrustedSender(ids, { ...s, frameUrl: appUrl }, dev)).toBe(false)
  })
})
