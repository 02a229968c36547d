/**
 * `dsi tail` / `cat --live` with real signals, `ls` on a server with a registry (the app's
 * embedded server), and targets from the app's saved connection profiles with secret headers
 * taken from the environment and never printed.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Client } from '../../src-shared/client/node.js'
import { EmbeddedServer } from '../../src-main/domains/connections/embedded-server.js'
import { SettingsStore } from '../../src-main/domains/app/settings.js'
import { startRawServer } from '../helpers/raw-server.js'
import { startServer, type TestServer } from '../helpers/server.js'
import { collect, dsi, spawnDsi, waitForOutput } from './run-dsi.js'

let srv: TestServer
let client: Client
let dir: string
let n = 0
const path = (name: string): string => `/cli-l/${name}-${process.pid}-${++n}`
const env = (): Record<string, string> => ({ DSI_SERVER_URL: srv.url })

beforeAll(async () => {
  srv = await startServer({ longPollTimeout: 500 })
  client = new Client({ baseUrl: srv.url })
  dir = mkdtempSync(join(tmpdir(), 'dsi-live-'))
})
afterAll(async () => {
  await client.close()
  await srv.stop()
  rmSync(dir, { recursive: true, force: true })
})

describe('dsi tail', () => {
  it.each(['sse', 'long-poll'])(
    'SIGINT (%s) exits cleanly with the offset to resume from on stderr; --from it resumes exactly',
    async (live) => {
      const p = path(`tail-${live}`)
      const s = await client.create(p, { contentType: 'application/json' })
      await s.append({ n: 0 })
      const child = spawnDsi(['tail', p, '--from', '-1', '--live', live], { env: env() })
      const done = collect(child, { timeoutMs: 20_000 })
      await waitForOutput(child.stdout!, /"n":0/)
      await s.append({ n: 1 })
      await waitForOutput(child.stdout!, /"n":1/)
      child.kill('SIGINT')
      const r = await done
      expect(r.code).toBe(0)
      expect(r.stdout).toBe('{"n":0}\n{"n":1}\n')
      const m = /^dsi: .*: stopped; resume with --from (\S+)\n$/.exec(r.stderr)
      expect(m, r.stderr).not.toBeNull()
      expect(m![1]).toBe((await s.head()).nextOffset)
      await s.append({ n: 2 })
      const rest = await dsi(['cat', p, '--from', m![1]!], { env: env() })
      expect(rest.stdout).toBe('{"n":2}\n')
    },
  )

  it('ends cleanly at EOF when the stream is closed while tailing', async () => {
    const p = path('eof')
    const s = await client.create(p, { contentType: 'text/plain' })
    await s.append('before\n')
    // From the tail offset (not "now", which would race with the appends below).
    const child = spawnDsi(['tail', p, '--from', (await s.head()).nextOffset!], { env: env() })
    const done = collect(child, { timeoutMs: 20_000 })
    await s.append('bye\n')
    await s.close()
    const r = await done
    expect(r.code).toBe(0)
    expect(r.stdout).toBe('bye\n')
    expect(r.stderr).toBe('')
  })

  it('--until-up-to-date stops at the tail even in live mode; --count stops after N', async () => {
    const p = path('utd')
    const s = await client.create(p, { contentType: 'application/json' })
    for (let i = 0; i < 5; i++) await s.append({ i })
    const r = await dsi(['tail', p, '--from', '-1', '--until-up-to-date'], { env: env() })
    expect(r.code).toBe(0)
    expect(r.stdout.trim().split('\n')).toHaveLength(5)
    const c = await dsi(['tail', p, '--from', '-1', '--count', '5'], { env: env() })
    expect(c.code).toBe(0)
    expect(c.stdout.trim().split('\n')).toHaveLength(5)
  })
})

describe('dsi ls', () => {
  it("lists the embedded server's registry with content type, state and size", async () => {
    const userData = mkdtempSync(join(dir, 'emb-'))
    const embedded = new EmbeddedServer({ userDataDir: userData })
    const base = await embedded.start()
    try {
      const c = new Client({ baseUrl: base })
      const a = await c.create('/alpha', { contentType: 'application/json' })
      await a.append({ x: 1 })
      await a.append({ x: 2 })
      await c.create('/beta', { contentType: 'text/plain', body: 'hello', closed: true })
      await c.create('/gone', { contentType: 'text/plain' })
      await c.stream('/gone').delete()
      await c.close()
      const r = await dsi(['ls', base, '--size', '--json'])
      expect(r.stderr).toBe('')
      const rows = JSON.parse(r.stdout) as Array<Record<string, unknown>>
      expect(rows.map((x) => [x.path, x.contentType, x.closed, x.size])).toEqual([
        ['alpha', 'application/json', false, '2 msgs'],
        ['beta', 'text/plain', true, '5 B'],
      ])
      const table = await dsi(['ls', '--server', base])
      expect(table.stdout.split('\n')[0]).toMatch(/^PATH\s+CONTENT-TYPE\s+STATE\s+NEXT-OFFSET$/)
      // The reference server on its own keeps no registry: said so, exit 2.
      const none = await dsi(['ls'], { env: env() })
      expect(none.code).toBe(2)
      expect(none.stderr).toMatch(/keeps no __registry__ stream/)
    } finally {
      await embedded.stop()
    }
  })
})

describe('dsi targets from connection profiles', () => {
  it("uses a profile of the app's settings by name; header values only from env/--header, never printed", async () => {
    const seen: Array<string | undefined> = []
    const raw = await startRawServer((req, res, info) => {
      seen.push(req.headers.authorization)
      if (info.method === 'HEAD' && req.headers.authorization === 'Bearer s3cret-token') {
        res.writeHead(200, {
          'content-type': 'application/json',
          'stream-next-offset': '0000000000000000_0000000000000000',
        })
        res.end()
      } else {
        res.writeHead(401, { 'content-type': 'text/plain' })
        res.end('who are you?')
      }
    })
    try {
      const userData = mkdtempSync(join(dir, 'ud-'))
      const settings = new SettingsStore(userData)
      await settings.update((s) => {
        s.connections.push({
          id: 'c-1',
          name: 'Staging',
          baseUrl: raw.url,
          headerNames: ['Authorization'],
        })
        return s
      })
      const noSecret = await dsi(['head', '/x', '--connection', 'staging', '--user-data', userData])
      expect(noSecret.code).toBe(1)
      expect(noSecret.stderr).toMatch(
        /^dsi: connection "Staging": header Authorization needs a value: set DSI_HEADER_Authorization/,
      )
      expect(seen).toHaveLength(0)

      const ok = await dsi(['head', '/x', '-c', 'Staging', '--json', '--debug'], {
        env: { DSI_USER_DATA: userData, DSI_HEADER_Authorization: 'Bearer s3cret-token' },
      })
      expect(ok.stderr).toBe('')
      expect(ok.code).toBe(0)
      expect(JSON.parse(ok.stdout)).toMatchObject({
        url: `${raw.url}/x`,
        contentType: 'application/json',
      })

      const wrong = await dsi(
        ['cat', '/x', '-c', 'Staging', '--debug', '--header', 'Authorization: Bearer wrong-s3cret'],
        { env: { DSI_USER_DATA: userData } },
      )
      expect(wrong.code).toBe(7)
      expect(wrong.stderr).toMatch(/^dsi: cat: .*401/)
      expect(wrong.stderr).not.toContain('wrong-s3cret')
      expect(wrong.stdout).not.toContain('wrong-s3cret')
      expect(seen).toContain('Bearer wrong-s3cret')

      const unknown = await dsi(['head', '/x', '-c', 'prod', '--user-data', userData])
      expect(unknown.code).toBe(2)
      expect(unknown.stderr).toMatch(/no such connection profile .* \(profiles: "Staging"\)/)

      const badHeader = await dsi(['head', '/x', '-H', 'no-colon-s3cret'], { env: env() })
      expect(badHeader.code).toBe(1)
      expect(badHeader.stderr).not.toContain('s3cret')
    } finally {
      await raw.stop()
    }
  })
})
