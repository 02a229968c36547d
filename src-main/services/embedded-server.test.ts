import { request } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { tempDir } from '../testing/harness.js'
import { EmbeddedServer } from './embedded-server.js'

const dir = tempDir()
const server = new EmbeddedServer({ userDataDir: dir.path })
let base = ''

beforeAll(async () => {
  base = await server.start()
})
afterAll(async () => {
  await server.stop()
  dir.remove()
})

/** A raw request, so Host can be set freely. */
function raw(
  method: string,
  url: string,
  headers: Record<string, string>,
): Promise<{ status: number; acao: string | undefined }> {
  return new Promise((ok, fail) => {
    const req = request(url, { method, headers }, (res) => {
      res.resume()
      ok({ status: res.statusCode ?? 0, acao: res.headers['access-control-allow-origin'] })
    })
    req.on('error', fail)
    req.end()
  })
}

describe('embedded server guard', () => {
  it('serves main (no Origin, own Host) but refuses browser pages, rebinding and fault injection', async () => {
    const put = await fetch(`${base}/guarded`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
    })
    expect(put.status).toBe(201)
    expect((await fetch(`${base}/guarded?offset=-1`)).status).toBe(200)

    const evil = { origin: 'https://evil.example' }
    const preflight = await raw('OPTIONS', `${base}/guarded`, {
      ...evil,
      'access-control-request-method': 'DELETE',
    })
    expect(preflight).toEqual({ status: 403, acao: undefined })
    expect((await raw('GET', `${base}/guarded?offset=-1`, evil)).status).toBe(403)
    expect((await raw('DELETE', `${base}/guarded`, evil)).status).toBe(403)
    const port = new URL(base).port
    const rebound = await raw('GET', `${base}/guarded?offset=-1`, {
      host: `rebind.evil.example:${port}`,
    })
    expect(rebound.status).toBe(403)
    const inject = await fetch(new URL('/_test/inject-error', base), {
      method: 'POST',
      body: '{}',
    })
    expect(inject.status).toBe(403)
    // Still there: nothing above reached the store.
    expect((await fetch(`${base}/guarded?offset=-1`)).status).toBe(200)
  })
})
