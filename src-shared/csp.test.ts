import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  CSP_PLACEHOLDER,
  DESKTOP_CSP_HEADER,
  RENDERER_CSP,
  buildCsp,
  devCsp,
  webHostCsp,
} from './csp.js'
import { contentSecurityPolicy } from '../src-main/web/security.js'

function parse(policy: string): Map<string, string[]> {
  return new Map(
    policy.split(';').map((d) => {
      const [name = '', ...sources] = d.trim().split(/\s+/)
      return [name, sources]
    }),
  )
}

describe('the shared CSP', () => {
  it('keeps scripts to the app itself: no inline, no eval, no plugins, frames or base', () => {
    for (const policy of [RENDERER_CSP, DESKTOP_CSP_HEADER, webHostCsp(4321)]) {
      const d = parse(policy)
      expect(d.get('script-src')).toEqual(["'self'"])
      expect(d.get('default-src')).toEqual(["'self'"])
      expect(d.get('object-src')).toEqual(["'none'"])
      expect(d.get('frame-src')).toEqual(["'none'"])
      expect(d.get('base-uri')).toEqual(["'none'"])
      expect(d.get('form-action')).toEqual(["'none'"])
      expect(policy).not.toContain('unsafe-eval')
    }
  })

  it('the <meta> policy has no header-only directive; the headers add frame-ancestors', () => {
    expect(parse(RENDERER_CSP).has('frame-ancestors')).toBe(false)
    expect(parse(DESKTOP_CSP_HEADER).get('frame-ancestors')).toEqual(["'none'"])
    expect(parse(webHostCsp(1)).get('frame-ancestors')).toEqual(["'none'"])
  })

  it('the web host header is the shared policy plus its own WebSocket', () => {
    expect(contentSecurityPolicy(4321)).toBe(webHostCsp(4321))
    expect(parse(webHostCsp(4321)).get('connect-src')).toEqual([
      "'self'",
      'ws://127.0.0.1:4321',
      'ws://localhost:4321',
    ])
    // Apart from connect-src, identical to the desktop header.
    const web = parse(webHostCsp(4321))
    web.delete('connect-src')
    const desktop = parse(DESKTOP_CSP_HEADER)
    desktop.delete('connect-src')
    expect(web).toEqual(desktop)
  })

  it('the dev variant allows the dev server, its HMR socket and the inline preamble only', () => {
    const d = parse(devCsp('http://localhost:5173'))
    expect(d.get('script-src')).toEqual(["'self'", 'http://localhost:5173', "'unsafe-inline'"])
    expect(d.get('connect-src')).toEqual(["'self'", 'http://localhost:5173', 'ws://localhost:5173'])
    expect(RENDERER_CSP).not.toContain('localhost')
    expect(parse(devCsp('http://localhost:5173')).get('frame-ancestors')).toEqual(["'none'"])
    expect(parse(devCsp('http://localhost:5173', { header: false })).has('frame-ancestors')).toBe(
      false,
    )
  })

  it('index.html takes the policy from the build, not a copy of its own', () => {
    const html = readFileSync(join(import.meta.dirname, '../src-renderer/index.html'), 'utf8')
    expect(html).toContain(`http-equiv="Content-Security-Policy" content="${CSP_PLACEHOLDER}"`)
    expect(html).not.toContain('default-src')
  })

  it('adds extra sources after the base ones', () => {
    expect(parse(buildCsp({ extra: { 'img-src': ['blob:'] } })).get('img-src')).toEqual([
      "'self'",
      'data:',
      'blob:',
    ])
  })
})
