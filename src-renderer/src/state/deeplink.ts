/**
 * Deep links to a stream at an offset. Web build: the URL hash
 * `#/stream/<connectionId>/<path>?offset=<offset>`; Electron: `dsi://stream/<connectionId>/<path>?offset=<offset>`
 * (main forwards it to the renderer, which sets the same hash).
 */
export interface DeepLink {
  connectionId: string
  path: string
  offset: string | null
}

const HASH_RE = /^#\/stream\/([^/]+)\/([^?]+)(?:\?offset=([^&]*))?$/

export function parseDeepLink(link: string): DeepLink | null {
  let hash = link
  const dsi = /^dsi:\/\/(stream\/.*)$/.exec(link)
  if (dsi?.[1]) hash = `#/${dsi[1]}`
  const m = HASH_RE.exec(hash)
  if (!m?.[1] || !m[2]) return null
  try {
    return {
      connectionId: decodeURIComponent(m[1]),
      path: decodeURIComponent(m[2]),
      offset: m[3] ? decodeURIComponent(m[3]) : null,
    }
  } catch {
    return null // malformed escapes: not a link we understand
  }
}

export function formatHash(link: DeepLink): string {
  const base = `#/stream/${encodeURIComponent(link.connectionId)}/${encodeURIComponent(link.path)}`
  return link.offset ? `${base}?offset=${encodeURIComponent(link.offset)}` : base
}

/** The `dsi://` form of a link (for copying from the app). */
export function formatDsiUrl(link: DeepLink): string {
  return `dsi://${formatHash(link).slice(2)}`
}

export function readHashLink(): DeepLink | null {
  return parseDeepLink(window.location.hash)
}

export function writeHashLink(link: DeepLink): void {
  const hash = formatHash(link)
  if (window.location.hash !== hash) window.history.replaceState(null, '', hash)
}
