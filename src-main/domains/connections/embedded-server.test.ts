import { request } from 'node:http'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { tempDir } from '../../testing/harness.js'
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

/** A request whose target is sent exactly as given (no URL parsing on the way out). */
function rawTarget(
  method: string,
  target: string,
  body: string,
): Promise<{ status: number; text: string }> {
  const { hostname, port } = new URL(base)
  return new Promise((ok, fail) => {
    const req = request(
      {
        host: hostname,
        port,
        method,
        path: target,
        headers: { 'content-type': 'application/json' },
      },
      (res) => {
        let text = ''
        res.setEncoding('utf8')
        res.on('data', (c: string) => (text += c))
        res.on('end', () => ok({ status: res.statusCode ?? 0, text }))
      },
    )
    req.on('error', fail)
    req.end(body)
  })
}

describe('embedded server guard: the path the server acts on', () => {
  it('refuses every spelling of the fault-injection endpoint, so no fault reaches a stream', async () => {
    const path = `${new URL(base).pathname}/spelled`
    const put = await fetch(`${base}/spelled`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
    })
    expect(put.status).toBe(201)
    const { host } = new URL(base)
    const spellings = [
      '/_test/inject-error',
      '/./_test/inject-error',
      '/v1/../_test/inject-error',
      '/%2e/_test/inject-error',
      '/v1/stream/%2e%2e/%2E%2e/_test/inject-error',
      '/v1/.%2e/_test/inject-error',
      '/v1\\..\\_test/inject-error',
      '/_TEST/inject-error',
      `http://${host}/_test/inject-error`,
      'http://elsewhere.example/_test/inject-error',
    ]
    const fault = JSON.stringify({ path, status: 503, count: 100 })
    for (const target of spellings) {
      const res = await rawTarget('POST', target, fault)
      expect({ target, status: res.status }).toEqual({ target, status: 403 })
    }
    // No fault was registered: the stream still answers normally.
    const read = await fetch(`${base}/spelled?offset=-1`)
    expect(read.status).toBe(200)
    await read.arrayBuffer()
  })

  it('refuses a target the server could not parse instead of failing inside it', async () => {
    const res = await rawTarget('GET', 'http://[::1/x', '')
    expect(res.status).toBe(403)
    expect(res.text).toBe('Bad request target')
  })
})

describe('embedded server: a stream deleted under an open SSE response', () => {
  it('ends the response (the reader reconnects and gets 404) without ERR_HTTP_HEADERS_SENT', async () => {
    const errors = vi.spyOn(console, 'error')
    try {
      const put = await fetch(`${base}/deleted-under-sse`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: '{"n":1}',
      })
      expect(put.status).toBe(201)
      const res = await fetch(`${base}/deleted-under-sse?offset=-1&live=sse`)
      expect(res.status).toBe(200)
      const body = res.body!.getReader()
      let text = ''
      while (!text.includes('event: control')) {
        const { value } = await body.read()
        text += new TextDecoder().decode(value)
      }
      expect((await fetch(`${base}/deleted-under-sse`, { method: 'DELETE' })).status).toBe(204)
      // Without the fix the response stays open: bounded wait for its end.
      const ended = await Promise.race([
        (async () => {
          while (!(await body.read()).done);
          return 'ended'
        })(),
        new Promise((r) => setTimeout(() => r('still open after 3 s'), 3000)),
      ])
      expect(ended).toBe('ended')
      const again = await fetch(`${base}/deleted-under-sse?offset=-1&live=sse`)
      expect(again.status).toBe(404)
      await again.arrayBuffer()
      const logged = errors.mock.calls.map((c) => c.map(String).join(' ')).join('\n')
      expect(logged).not.toMatch(/ERR_HTTP_HEADERS_SENT|Request error/)
    } finally {
      errors.mockRestore()
    }
  })
})
