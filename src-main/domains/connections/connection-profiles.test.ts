import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ConnectionInfo } from '../../../src-shared/contract/index.js'
import type { ConnectionTestResult } from '../../../src-shared/contract/index.js'
import { useTestApp } from '../../testing/harness.js'

const { call, ok } = useTestApp()

/** A server that records the Authorization header of every request and answers 404. */
async function captureServer(): Promise<{ url: string; seen: string[]; server: Server }> {
  const seen: string[] = []
  const server = createServer((req, res) => {
    seen.push(req.headers.authorization ?? '(none)')
    res.writeHead(404).end()
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const { port } = server.address() as AddressInfo
  return { url: `http://127.0.0.1:${port}`, seen, server }
}

let saved: Awaited<ReturnType<typeof captureServer>>
let other: Awaited<ReturnType<typeof captureServer>>

beforeAll(async () => {
  saved = await captureServer()
  other = await captureServer()
})
afterAll(async () => {
  for (const s of [saved, other]) await new Promise((r) => s.server.close(r))
})

describe('stored secrets stay with their origin', () => {
  it('connections.test and connections.save never send a stored secret to a new origin', async () => {
    const headers = [{ name: 'Authorization', value: 'Bearer s3cret' }]
    const prod = await ok<ConnectionInfo>('connections.save', {
      name: 'Prod',
      baseUrl: `${saved.url}/v1/stream`,
      headers,
    })
    const keep = [{ name: 'Authorization' }]

    // Same origin (another path): the stored value is used.
    const same = await ok<ConnectionTestResult>('connections.test', {
      draft: { id: prod.id, name: 'Prod', baseUrl: `${saved.url}/other`, headers: keep },
    })
    expect(same.status).toBe(404)
    expect(saved.seen).toEqual(['Bearer s3cret'])

    // Another origin: refused before any request, the value must be typed again.
    const moved = await call('connections.test', {
      draft: { id: prod.id, name: 'Prod', baseUrl: other.url, headers: keep },
    })
    expect(moved).toMatchObject({ ok: false, error: { message: /needs its value again/ } })
    const movedSave = await call('connections.save', {
      id: prod.id,
      name: 'Prod',
      baseUrl: other.url,
      headers: keep,
    })
    expect(movedSave).toMatchObject({ ok: false, error: { message: /needs its value again/ } })
    expect(other.seen).toEqual([])

    // With the value re-entered it goes to the new origin.
    await ok<ConnectionTestResult>('connections.test', {
      draft: {
        id: prod.id,
        name: 'Prod',
        baseUrl: other.url,
        headers: [{ name: 'Authorization', value: 'Bearer typed' }],
      },
    })
    expect(other.seen).toEqual(['Bearer typed'])
  })
})

describe('Test connection checks the protocol, within a bounded wait', () => {
  it('a plain HTTP server answering 404 is reachable but not called a Durable Streams server', async () => {
    const r = await ok<ConnectionTestResult>('connections.test', {
      draft: { name: 'Plain', baseUrl: saved.url, headers: [] },
    })
    expect(r).toMatchObject({ ok: false, status: 404, registry: false })
    expect(r.message).toMatch(/does not look like a Durable Streams server/)
  })

  it('the embedded server passes', async () => {
    const r = await ok<ConnectionTestResult>('connections.test', { id: 'local' })
    expect(r.ok).toBe(true)
    expect(r.message).toMatch(/^Connected/)
  })

  it('a server that accepts but never answers is reported after 5 s, not 30', async () => {
    const silent = createServer(() => undefined) // takes the request, never answers
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r))
    const { port } = silent.address() as AddressInfo
    try {
      const started = Date.now()
      const r = await ok<ConnectionTestResult>('connections.test', {
        draft: { name: 'Silent', baseUrl: `http://127.0.0.1:${port}`, headers: [] },
      })
      expect(Date.now() - started).toBeLessThan(9_000)
      expect(r).toMatchObject({ ok: false, status: null })
      expect(r.message).toMatch(/No answer within 5 s/)
    } finally {
      silent.closeAllConnections()
      await new Promise((r) => silent.close(r))
    }
  })
})

describe('test connection: a base URL without the streams prefix (review of #15/6)', () => {
  it('says where the streams are instead of "Connected"', async () => {
    const local = (await ok<ConnectionInfo[]>('connections.list', {}))[0]
    if (!local) throw new Error('no local connection')
    expect(local.baseUrl).toMatch(/\/v1\/stream$/)
    // A server with streams keeps a registry (the reference server makes it with the first).
    await ok('streams.create', {
      connectionId: local.id,
      path: 'prefix-probe',
      contentType: 'application/json',
    })
    const root = local.baseUrl.replace(/\/v1\/stream$/, '')
    const r = await ok<ConnectionTestResult>('connections.test', {
      draft: { name: 'Root', baseUrl: root, headers: [] },
    })
    expect(r).toMatchObject({ ok: false, status: 404 })
    expect(r.message).toContain(`this server's streams are at ${local.baseUrl}`)
    // The right base URL still connects.
    const right = await ok<ConnectionTestResult>('connections.test', {
      draft: { name: 'Right', baseUrl: local.baseUrl, headers: [] },
    })
    expect(right).toMatchObject({ ok: true, registry: true })
  })
})
