/**
 * The one Content-Security-Policy of the renderer. Used by the Electron main process (header on
 * app:// responses and on the dev server), by the web host (response header) and, through a vite
 * transform in electron.vite.config.ts, by the <meta> tag of src-renderer/index.html; the
 * build-output test checks that the built index.html carries exactly RENDERER_CSP.
 *
 * style-src keeps 'unsafe-inline': Monaco creates <style> elements (no nonce support) and renders
 * its lines as HTML with style="" attributes, which a nonce or hash cannot allow. Without it the
 * Append editor logged ~40 CSP violations in Chromium and lost its layout (tried 2026-12-04).
 * Scripts stay strict: 'self' only, no inline, no eval.
 */

type Directives = ReadonlyArray<readonly [name: string, sources: readonly string[]]>

const BASE: Directives = [
  ['default-src', ["'self'"]],
  ['script-src', ["'self'"]],
  ['style-src', ["'self'", "'unsafe-inline'"]],
  ['img-src', ["'self'", 'data:']],
  ['font-src', ["'self'", 'data:']],
  ['connect-src', ["'self'"]],
  ['worker-src', ["'self'", 'blob:']],
  ['frame-src', ["'none'"]],
  ['object-src', ["'none'"]],
  ['base-uri', ["'none'"]],
  ['form-action', ["'none'"]],
]

/** Directives a <meta> tag cannot carry (browsers ignore them there, with a console warning). */
const HEADER_ONLY: Directives = [['frame-ancestors', ["'none'"]]]

export interface CspOptions {
  /** Extra sources per directive (e.g. the web host's WebSocket URLs). */
  extra?: Readonly<Record<string, readonly string[]>>
  /** Add the header-only directives (for a response header, not the <meta> tag). */
  header?: boolean
}

export function buildCsp(opts: CspOptions = {}): string {
  const all = opts.header ? [...BASE, ...HEADER_ONLY] : BASE
  return all
    .map(([name, sources]) => [name, ...sources, ...(opts.extra?.[name] ?? [])].join(' '))
    .join('; ')
}

/** The policy in index.html's <meta> tag (and so in every build of the renderer). */
export const RENDERER_CSP = buildCsp()

/** The header on the desktop app's app:// responses. */
export const DESKTOP_CSP_HEADER = buildCsp({ header: true })

/** The web host's header: also its same-origin WebSocket, spelled out for older engines. */
export function webHostCsp(port: number): string {
  return buildCsp({
    header: true,
    extra: { 'connect-src': [`ws://127.0.0.1:${port}`, `ws://localhost:${port}`] },
  })
}

/**
 * `npm run dev` only: the vite dev server's origin, its HMR WebSocket and the inline module
 * preamble @vitejs/plugin-react injects for fast refresh. Never used by a built app.
 */
export function devCsp(devOrigin: string, opts: { header?: boolean } = {}): string {
  const ws = devOrigin.replace(/^http/, 'ws')
  return buildCsp({
    header: opts.header ?? true,
    extra: {
      'script-src': [devOrigin, "'unsafe-inline'"],
      'connect-src': [devOrigin, ws],
    },
  })
}

/** The placeholder in src-renderer/index.html that the build replaces with the policy. */
export const CSP_PLACEHOLDER = '__DSI_CSP__'
