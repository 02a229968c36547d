/**
 * Stream paths are checked as the URL will read them: a path that resolves outside the
 * connection's base path (`..` also as `%2e%2e`, backslashes, encoded slashes) is refused before
 * anything is sent, so a remote profile's stored headers never reach other paths of its origin.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ConnectionInfo } from '../../../src-shared/contract/index.js'
import { StreamPathSchema, streamPathProblem } from '../../../src-shared/contract/index.js'
import { startRawServer, type RawServer } from '../../../test/helpers/raw-server.js'
import { useTestApp } from '../../testing/harness.js'

const { call, ok } = useTestApp()

let remote: RawServer
let connectionId = ''

beforeAll(async () => {
  // Answers like a stream that does not exist; records every request it gets.
  remote = await startRawServer((_req, res) => {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('Stream not found')
  })
  const saved = await ok<ConnectionInfo>('connections.save', {
    name: 'Remote',
    baseUrl: `${remote.url}/v1/stream`,
    headers: [{ name: 'Authorization', value: 'Bearer s3cret' }],
  })
  connectionId = saved.id
})
afterAll(async () => {
  await remote.stop()
})

const escaping = [
  '%2e%2e/%2e%2e/_test/inject-error',
  '%2E%2E/%2e%2E/_test/inject-error',
  'a/%2e%2e/%2e%2e/%2e%2e/admin',
  '.%2e/other',
  '%2e./other',
  '%2e/x',
  'a/%2e',
  'a\\..\\..\\_test',
  'a%2f..%2f..%2fadmin',
  'a%5c..%5cadmin',
  'a/%2F/b',
  '..',
  'a/../../b',
  'a//b',
  'bad%zzescape',
  'trailing%',
]

describe('stream paths are judged decoded', () => {
  it.each(escaping)('%s is refused with a specific message', (path) => {
    const parsed = StreamPathSchema.safeParse(path)
    expect(parsed.success).toBe(false)
    expect(parsed.error?.issues[0]?.message).toMatch(/stream path/)
  })

  it('ordinary and %-encoded names still pass', () => {
    for (const path of ['orders', 'tenants/a/events', 'a%20b', 'caf%C3%A9', 'v1.2/x..y', '...']) {
      expect({ path, problem: streamPathProblem(path) }).toEqual({ path, problem: null })
      expect(StreamPathSchema.parse(path)).toBe(path)
    }
  })

  it('the app refuses them before sending anything, so stored headers stay on the base path', async () => {
    for (const path of escaping) {
      for (const method of ['streams.head', 'streams.delete', 'streams.head']) {
        const r = await call(method, { connectionId, path })
        expect({ path, method, ok: r.ok }).toEqual({ path, method, ok: false })
        if (!r.ok) expect(r.error.message).toMatch(/stream path/)
      }
    }
    expect(remote.requests).toEqual([])
    // A valid path does go out, under the base path.
    const r = await call('streams.head', { connectionId, path: 'a%20b' })
    expect(r.ok).toBe(false)
    expect(remote.requests.map((q) => q.url.pathname)).toEqual(['/v1/stream/a%20b'])
  })
})
