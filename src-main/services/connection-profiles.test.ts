import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ConnectionInfo } from '../../src-shared/ipc/contract.js'
import type { ConnectionTestResult } from '../../src-shared/ipc/contract-admin.js'
import { useTestApp } from '../testing/harness.js'

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
