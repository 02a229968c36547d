/** Helpers for the browse/tail/timeline specs: seed streams straight on the embedded server. */
import { expect, test, type Page } from '@playwright/test'
import type { WebHostProcess } from './web-host-process.js'

export function serverUrl(host: WebHostProcess): string {
  const m = /Embedded server: (http:\/\/\S+)/.exec(host.output())
  if (!m?.[1]) throw new Error(`no embedded server URL in output:\n${host.output()}`)
  return m[1]
}

export async function createStream(
  host: WebHostProcess,
  path: string,
  contentType = 'application/json',
  extra: Record<string, string> = {},
): Promise<string> {
  const url = `${serverUrl(host)}/${path}`
  const r = await fetch(url, { method: 'PUT', headers: { 'content-type': contentType, ...extra } })
  if (r.status !== 201 && r.status !== 200) throw new Error(`create ${path}: ${r.status}`)
  return url
}

/** Appends; for JSON streams an array body becomes one message per element. */
export async function append(
  url: string,
  body: string | Uint8Array,
  contentType = 'application/json',
): Promise<string> {
  const r = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': contentType },
    body: typeof body === 'string' ? body : new Blob([new Uint8Array(body)]),
  })
  if (r.status !== 200 && r.status !== 204) throw new Error(`append: ${r.status} ${await r.text()}`)
  return r.headers.get('stream-next-offset') ?? ''
}

/** Screenshot into the test output and test-results/screens/. */
export async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: test.info().outputPath(`${name}.png`) })
  await page.screenshot({ path: `test-results/screens/${name}.png` })
}

export async function openStream(
  page: Page,
  host: WebHostProcess,
  path: string,
  offset?: string,
): Promise<void> {
  const hash = `#/stream/local/${encodeURIComponent(path)}${offset ? `?offset=${encodeURIComponent(offset)}` : ''}`
  // The launch token is single-use: once the app is loaded, navigate by hash (a deep link).
  if (page.url().startsWith(host.origin))
    await page.evaluate((h) => (window.location.hash = h), hash)
  else await page.goto(`${host.url}${hash}`)
  await expect(page.getByTestId('stream-title')).toHaveText(path)
}
