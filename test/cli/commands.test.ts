/**
 * `dsi` end to end: the real executable (child process) against a real server, for every
 * metadata and read/write command, their --json output, bad input and exit codes, and pipes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Client } from '../../src-shared/client/node.js'
import { startServer, type TestServer } from '../helpers/server.js'
import { dsi, shell } from './run-dsi.js'

let srv: TestServer
let client: Client
let n = 0
/** A fresh stream path on the server. */
const path = (name: string): string => `/cli/${name}-${process.pid}-${++n}`
const env = (): Record<string, string> => ({ DSI_SERVER_URL: srv.url })

beforeAll(async () => {
  srv = await startServer()
  client = new Client({ baseUrl: srv.url })
})
afterAll(async () => {
  await client.close()
  await srv.stop()
})

describe('dsi metadata commands', () => {
  it('create, head, close, delete with --json, and a full stream URL as target', async () => {
    const p = path('meta')
    const created = await dsi(['create', p, '-t', 'application/json', '--ttl', '600', '--json'], {
      env: env(),
    })
    expect(created.stderr).toBe('')
    expect(created.code).toBe(0)
    expect(JSON.parse(created.stdout)).toMatchObject({ url: `${srv.url}${p}`, created: true })

    const head = await dsi(['head', `${srv.url}${p}`, '--json'])
    expect(head.code).toBe(0)
    const info = JSON.parse(head.stdout) as Record<string, unknown>
    expect(info).toMatchObject({ contentType: 'application/json', closed: false, ttlSeconds: 600 })
    expect(info.nextOffset).toBe((await client.stream(p).head()).nextOffset)

    const closed = await dsi(['close', p, '--data', '{"type":"done"}', '--json'], { env: env() })
    expect(closed.code).toBe(0)
    expect(await client.stream(p).readJson({ live: false }).toArray()).toEqual([{ type: 'done' }])
    expect((await client.stream(p).head()).closed).toBe(true)

    const refused = await dsi(['delete', p], { env: env() })
    expect(refused.code).toBe(1)
    expect(refused.stderr).toMatch(/^dsi: .*refusing to delete without --yes/)
    expect(await client.stream(p).exists()).toBe(true)

    const deleted = await dsi(['delete', p, '--yes', '--json'], { env: env() })
    expect(deleted.code).toBe(0)
    expect(JSON.parse(deleted.stdout)).toEqual({ url: `${srv.url}${p}`, deleted: true })
    expect(await client.stream(p).exists()).toBe(false)
  })

  it('create with an initial body, closed; a different configuration is a conflict (3)', async () => {
    const p = path('body')
    const r = await dsi(['create', p, '-t', 'application/json', '--closed', '-d', '[1,2,3]'], {
      env: env(),
    })
    expect(r.code).toBe(0)
    expect(r.stdout).toBe(`created ${srv.url}${p}\n`)
    expect(await client.stream(p).readJson({ live: false }).toArray()).toEqual([1, 2, 3])
    const again = await dsi(['create', p, '-t', 'text/plain'], { env: env() })
    expect(again.code).toBe(3)
    expect(again.stderr).toMatch(/^dsi: create: .+\n$/)
    const bad = await dsi(['create', path('bad'), '-t', 'application/json', '-d', '{nope'], {
      env: env(),
    })
    expect(bad.code).toBe(6)
    expect(bad.stderr).toMatch(/^dsi: --data: not valid JSON/)
  })

  it('fork --from an offset holds the source up to there', async () => {
    const src = path('src')
    const s = await client.create(src, { contentType: 'application/json' })
    await s.append({ n: 1 })
    const { nextOffset } = await s.append({ n: 2 })
    await s.append({ n: 3 })
    const dst = path('fork')
    const r = await dsi(['fork', src, dst, '--from', nextOffset!, '--json'], { env: env() })
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    expect(await client.stream(dst).readJson({ live: false }).toArray()).toEqual([
      { n: 1 },
      { n: 2 },
    ])
  })

  it('errors are one line with a distinct exit code: unknown stream, missing target, bad offset', async () => {
    const missing = await dsi(['head', path('nope')], { env: env() })
    expect(missing.code).toBe(2)
    expect(missing.stderr.trimEnd().split('\n')).toHaveLength(1)
    expect(missing.stderr).toMatch(/^dsi: head: .*not found/i)

    const noTarget = await dsi(['cat', '/x'])
    expect(noTarget.code).toBe(1)
    expect(noTarget.stderr).toMatch(/^dsi: target: no server given: .*--server.*npm run web/)

    const p = path('offsets')
    await client.create(p, { contentType: 'application/json' })
    const badOffset = await dsi(['cat', p, '--from', 'not-an-offset'], { env: env() })
    expect(badOffset.code).toBe(6)
    expect(badOffset.stderr).toMatch(/^dsi: cat: .*400/)

    const unknownOption = await dsi(['cat', p, '--frm', 'x'], { env: env() })
    expect(unknownOption.code).toBe(1)
    expect(unknownOption.stderr).toMatch(/^dsi: usage: unknown option '--frm'/)

    const down = await dsi(['head', '/x'], { env: { DSI_SERVER_URL: 'http://127.0.0.1:9' } })
    expect(down.code).toBe(5)
  })

  it('every command has --help with examples', async () => {
    const commands = ['ls', 'head', 'create', 'delete', 'close', 'fork', 'cat', 'tail']
    commands.push('append', 'produce', 'export', 'import', 'replay')
    const results = await Promise.all(commands.map((c) => dsi([c, '--help'])))
    results.forEach((r, i) => {
      expect(r.code, commands[i]).toBe(0)
      expect(r.stdout, commands[i]).toContain(`Usage: dsi ${commands[i]}`)
      expect(r.stdout, commands[i]).toContain('Examples:')
    })
    const top = await dsi(['--help'])
    expect(top.stdout).toContain('Exit codes: 0 ok, 1 usage, 2 not found, 3 conflict')
  })
})

describe('dsi append and cat', () => {
  it('appends arguments and stdin lines; cat prints them in every format', async () => {
    const p = path('orders')
    await client.create(p, { contentType: 'application/json' })
    const a = await dsi(['append', p, '{"id":1}', '[2,3]', '--json'], { env: env() })
    expect(a.code).toBe(0)
    expect(JSON.parse(a.stdout)).toMatchObject({
      messages: 2,
      nextOffset: (await client.stream(p).head()).nextOffset,
    })
    const b = await dsi(['append', p, '--lines'], { env: env(), input: '{"id":4}\n\n{"id":5}\n' })
    expect(b.code).toBe(0)

    const ndjson = await dsi(['cat', p], { env: env() })
    expect(ndjson.stdout).toBe('{"id":1}\n[2,3]\n{"id":4}\n{"id":5}\n')
    const json = await dsi(['cat', p, '--format', 'json'], { env: env() })
    expect(JSON.parse(json.stdout)).toEqual([{ id: 1 }, [2, 3], { id: 4 }, { id: 5 }])
    const pretty = await dsi(['cat', p, '--format', 'pretty', '--count', '1'], { env: env() })
    expect(pretty.stdout).toBe('{\n  "id": 1\n}\n')
    const filtered = await dsi(['cat', p, '--filter', '$.id == 4'], { env: env() })
    expect(filtered.stdout).toBe('{"id":4}\n')
    const badFilter = await dsi(['cat', p, '--filter', 'a..b'], { env: env() })
    expect(badFilter.code).toBe(1)
    expect(badFilter.stderr).toMatch(/^dsi: --filter: Invalid JSON path/)

    const offsets = await dsi(['cat', p, '--with-offsets'], { env: env() })
    const lines = offsets.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { offset: string; index: number; value: unknown })
    expect(lines.map((l) => l.value)).toEqual([{ id: 1 }, [2, 3], { id: 4 }, { id: 5 }])
    expect(lines.at(-1)!.offset).toBe((await client.stream(p).head()).nextOffset)
  })

  it('refuses invalid JSON before sending anything (6), and appends to a closed stream (3)', async () => {
    const p = path('strict')
    await client.create(p, { contentType: 'application/json' })
    const r = await dsi(['append', p, '--lines'], { env: env(), input: '{"ok":1}\n{oops\n' })
    expect(r.code).toBe(6)
    expect(r.stderr).toMatch(/^dsi: line 2: not valid JSON.*nothing was appended\n$/)
    expect(await client.stream(p).readJson({ live: false }).toArray()).toEqual([])

    const closed = await dsi(['append', p, '{"last":true}', '--close'], { env: env() })
    expect(closed.code).toBe(0)
    const after = await dsi(['append', p, '{"late":true}'], { env: env() })
    expect(after.code).toBe(3)
    expect(after.stderr).toMatch(/^dsi: append: .*closed/i)
    // --seq: the server refuses a seq that does not grow.
    const q = path('seq')
    await client.create(q, { contentType: 'text/plain' })
    expect((await dsi(['append', q, 'a', '--seq', '002'], { env: env() })).code).toBe(0)
    const stale = await dsi(['append', q, 'b', '--seq', '001'], { env: env() })
    expect(stale.code).toBe(3)
  })

  it('cat … | append --lines reproduces a JSON stream and a text stream exactly', async () => {
    const json = path('pipe-json')
    const s = await client.create(json, { contentType: 'application/json' })
    const values = [{ a: 1 }, 'two', [3, { x: null }], 4.5, { nested: { s: 'line\nbreak' } }]
    for (const v of values) await s.append(v)
    const copy = path('pipe-json-copy')
    await client.create(copy, { contentType: 'application/json' })
    const r = await shell(`$DSI cat ${json} | $DSI append --lines ${copy}`, { env: env() })
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    expect(await client.stream(copy).readJson({ live: false }).toArray()).toEqual(values)

    const text = path('pipe-text')
    const t = await client.create(text, { contentType: 'text/plain' })
    const body = 'first line\nsecond, ünïcode ✓\n\nno newline at the end'
    await t.append(body.slice(0, 15))
    await t.append(body.slice(15))
    const textCopy = path('pipe-text-copy')
    await client.create(textCopy, { contentType: 'text/plain' })
    const r2 = await shell(`$DSI cat ${text} | $DSI append --lines ${textCopy}`, { env: env() })
    expect(r2.code).toBe(0)
    expect((await client.stream(textCopy).readText({ live: false }).toArray()).join('')).toBe(body)
  })

  it('cat of a byte stream prints the bytes as stored; --count stops and tells where to resume', async () => {
    const p = path('bytes')
    const s = await client.create(p, { contentType: 'application/octet-stream' })
    await s.append(new Uint8Array([0, 1, 2, 255]))
    const r = await dsi(['cat', p], { env: env() })
    expect(r.code).toBe(0)
    expect([...r.stdoutBytes]).toEqual([0, 1, 2, 255])
    const hex = await dsi(['cat', p, '--format', 'pretty'], { env: env() })
    expect(hex.stdout).toBe('00000000  00 01 02 ff' + ' '.repeat(36) + '  ....\n')

    const j = path('count')
    const js = await client.create(j, { contentType: 'application/json' })
    await js.append(new TextEncoder().encode('[1,2,3]'))
    const first = await dsi(['cat', j, '--count', '2'], { env: env() })
    expect(first.stdout).toBe('1\n2\n')
    expect(first.stderr).toBe(`dsi: ${srv.url}${j}: stopped; resume with --from -1\n`)
  })
})
