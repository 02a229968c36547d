/**
 * The app:// protocol's file resolution, Electron-free: a request for app://dsi/<path> is
 * answered from the built renderer directory and from nowhere else. Encoded separators, NUL,
 * `..` segments and symlinks that lead out of the directory are refused.
 */
import { readFile, realpath, stat } from 'node:fs/promises'
import { extname, isAbsolute, relative, resolve, sep } from 'node:path'
import { DESKTOP_CSP_HEADER } from '../../src-shared/csp.js'
import { APP_HOST, APP_SCHEME } from './trust.js'

const MIME: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
}

export function mimeType(file: string): string {
  return MIME[extname(file).toLowerCase()] ?? 'application/octet-stream'
}

export type AppPath =
  { ok: true; file: string } | { ok: false; status: 400 | 403 | 404 | 405; reason: string }

function inside(root: string, file: string): boolean {
  const rel = relative(root, file)
  return rel !== '' && !rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel)
}

/** Maps a request to a file under `rootDir` without touching the disk. */
export function resolveAppPath(url: string, method: string, rootDir: string): AppPath {
  if (method !== 'GET' && method !== 'HEAD')
    return { ok: false, status: 405, reason: `${method} is not allowed` }
  let u: URL
  try {
    u = new URL(url)
  } catch (_err) {
    return { ok: false, status: 400, reason: 'not a valid URL' }
  }
  if (u.protocol !== `${APP_SCHEME}:` || u.host !== APP_HOST)
    return { ok: false, status: 404, reason: `not an ${APP_SCHEME}://${APP_HOST} URL` }
  const raw = u.pathname
  if (/%(2f|5c|00)/i.test(raw))
    return { ok: false, status: 400, reason: 'encoded separators or NUL in the path' }
  let decoded: string
  try {
    decoded = decodeURIComponent(raw)
  } catch (_err) {
    return { ok: false, status: 400, reason: 'malformed percent-encoding' }
  }
  if (decoded.includes('\\') || decoded.includes('\0'))
    return { ok: false, status: 400, reason: 'backslash or NUL in the path' }
  const segments = decoded.split('/').filter((s) => s !== '')
  if (segments.some((s) => s === '..' || s === '.'))
    return { ok: false, status: 403, reason: 'dot segments are not allowed' }
  const root = resolve(rootDir)
  const file = resolve(root, ...(segments.length === 0 ? ['index.html'] : segments))
  if (!inside(root, file)) return { ok: false, status: 403, reason: 'outside the app directory' }
  return { ok: true, file }
}

export interface AppResponse {
  status: number
  headers: Record<string, string>
  body: Buffer | null
}

function refuse(status: number, reason: string): AppResponse {
  return {
    status,
    headers: { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' },
    body: Buffer.from(reason),
  }
}

/** Answers an app:// request: the file (with the shared CSP on HTML) or a refusal. */
export async function loadAppResource(
  url: string,
  method: string,
  rootDir: string,
): Promise<AppResponse> {
  const target = resolveAppPath(url, method, rootDir)
  if (!target.ok) return refuse(target.status, target.reason)
  let real: string
  try {
    real = await realpath(target.file)
    if (!(await stat(real)).isFile()) return refuse(404, 'not found')
  } catch (_err) {
    return refuse(404, 'not found')
  }
  // A symlink inside the directory must not lead out of it.
  if (!inside(await realpath(resolve(rootDir)), real))
    return refuse(403, 'outside the app directory')
  const type = mimeType(real)
  const headers: Record<string, string> = {
    'content-type': type,
    'x-content-type-options': 'nosniff',
    'cache-control': 'no-cache',
  }
  if (type.startsWith('text/html')) headers['content-security-policy'] = DESKTOP_CSP_HEADER
  return { status: 200, headers, body: method === 'HEAD' ? null : await readFile(real) }
}
