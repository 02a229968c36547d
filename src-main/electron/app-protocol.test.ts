import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DESKTOP_CSP_HEADER } from '../../src-shared/csp.js'
import { loadAppResource, mimeType, resolveAppPath } from './app-protocol.js'

let base: string
let root: string
beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'dsi-app-proto-'))
  root = join(base, 'renderer')
  mkdirSync(join(root, 'assets'), { recursive: true })
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>app</title>')
  writeFileSync(join(root, 'assets', 'main.js'), 'console.log(1)')
  writeFileSync(join(root, 'assets', 'a b.css'), 'body{}')
  writeFileSync(join(base, 'secret.txt'), 'outside')
  writeFileSync(join(base, 'renderer-evil.txt'), 'sibling with a shared prefix')
  symlinkSync(join(base, 'secret.txt'), join(root, 'assets', 'link.txt'))
})
afterAll(() => rmSync(base, { recursive: true, force: true }))

describe('resolveAppPath', () => {
  it('maps app://dsi/<path> into the directory; / is index.html', () => {
    expect(resolveAppPath('app://dsi/', 'GET', root)).toEqual({
      ok: true,
      file: join(root, 'index.html'),
    })
    expect(resolveAppPath('app://dsi/assets/main.js?x=1#y', 'HEAD', root)).toEqual({
      ok: true,
      file: join(root, 'assets', 'main.js'),
    })
    expect(resolveAppPath('app://dsi/assets/a%20b.css', 'GET', root)).toEqual({
      ok: true,
      file: join(root, 'assets', 'a b.css'),
    })
  })

  it('refuses traversal however it is spelled', () => {
    for (const url of [
      'app://dsi/%2e%2e/secret.txt',
      'app://dsi/assets/%2E%2E/%2E%2E/secret.txt',
      'app://dsi/..%2fsecret.txt',
      'app://dsi/..%5csecret.txt',
      'app://dsi/assets%2f..%2f..%2fsecret.txt',
      'app://dsi/index.html%00.js',
      'app://dsi/..\\secret.txt',
      'app://dsi/%E0%A4%A',
      'app://dsi/../renderer-evil.txt',
    ]) {
      const r = resolveAppPath(url, 'GET', root)
      // The URL parser already folds some of these into the root; none may leave it.
      if (r.ok) expect(r.file.startsWith(join(root, '/')), url).toBe(true)
      else expect([400, 403, 404], url).toContain(r.status)
    }
    expect(resolveAppPath('app://dsi/..%2fsecret.txt', 'GET', root)).toMatchObject({
      ok: false,
      status: 400,
    })
    expect(resolveAppPath('app://dsi/%E0%A4%A', 'GET', root)).toMatchObject({
      ok: false,
      status: 400,
      reason: 'malformed percent-encoding',
    })
  })

  it('refuses other hosts, schemes and methods', () => {
    expect(resolveAppPath('app://other/index.html', 'GET', root)).toMatchObject({ status: 404 })
    expect(resolveAppPath('file:///etc/passwd', 'GET', root)).toMatchObject({ status: 404 })
    expect(resolveAppPath('app://dsi/index.html', 'POST', root)).toMatchObject({ status: 405 })
    expect(resolveAppPath('::', 'GET', root)).toMatchObject({ status: 400 })
  })
})

describe('loadAppResource', () => {
  it('serves index.html with the shared CSP and nosniff, assets with their type', async () => {
    const html = await loadAppResource('app://dsi/index.html', 'GET', root)
    expect(html.status).toBe(200)
    expect(html.headers['content-type']).toBe('text/html; charset=utf-8')
    expect(html.headers['content-security-policy']).toBe(DESKTOP_CSP_HEADER)
    expect(html.headers['x-content-type-options']).toBe('nosniff')
    expect(html.body?.toString()).toBe('<!doctype html><title>app</title>')
    const js = await loadAppResource('app://dsi/assets/main.js', 'GET', root)
    expect(js.status).toBe(200)
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8')
    expect(js.headers['content-security-policy']).toBeUndefined()
    expect((await loadAppResource('app://dsi/assets/main.js', 'HEAD', root)).body).toBeNull()
  })

  it('refuses a symlink that leads out, directories, missing files and traversal', async () => {
    expect((await loadAppResource('app://dsi/assets/link.txt', 'GET', root)).status).toBe(403)
    expect((await loadAppResource('app://dsi/assets', 'GET', root)).status).toBe(404)
    expect((await loadAppResource('app://dsi/nope.js', 'GET', root)).status).toBe(404)
    const t = await loadAppResource('app://dsi/..%2fsecret.txt', 'GET', root)
    expect(t.status).toBe(400)
    expect(t.body?.toString()).not.toContain('outside')
  })

  it('knows the types the renderer build emits', () => {
    expect(mimeType('x.woff2')).toBe('font/woff2')
    expect(mimeType('x.CSS')).toBe('text/css; charset=utf-8')
    expect(mimeType('x.unknown')).toBe('application/octet-stream')
  })
})
