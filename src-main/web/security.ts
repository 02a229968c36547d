/** Request checks for the web host: Host and Origin pinning plus the per-launch token. */
import { timingSafeEqual } from 'node:crypto'
import { webHostCsp } from '../../src-shared/csp.js'

export function allowedHosts(port: number): Set<string> {
  return new Set([`127.0.0.1:${port}`, `localhost:${port}`])
}

export function allowedOrigins(port: number): Set<string> {
  return new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`])
}

export function tokenMatches(expected: string, given: string | null): boolean {
  if (given === null) return false
  const a = Buffer.from(expected)
  const b = Buffer.from(given)
  return a.length === b.length && timingSafeEqual(a, b)
}

/** CSP header for the served renderer: the shared policy (src-shared/csp.ts) plus the WebSocket. */
export function contentSecurityPolicy(port: number): string {
  return webHostCsp(port)
}
