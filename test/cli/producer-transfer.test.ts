/**
 * `dsi produce`, `export`, `import`, `replay` against a real server: exactly-once re-runs,
 * fencing, the app's NDJSON format byte for byte, idempotent imports, bad files.
 */
import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Client } from '../../src-shared/client/node.js'
import { TransferService } from '../../src-main/domains/transfer/transfer.js'
import { startServer, type TestServer } from '../helpers/server.js'
import { dsi } from './run-dsi.js'

let srv: TestServer
let client: Client
let dir: string
let n = 0
const path = (name: string): string => `/cli-p/${name}-${process.pid}-${++n}`
const env = (): Record<string, string> => ({ DSI_SERVER_URL: srv.url })

beforeAll(async () => {
  srv = await startServer()
  client = new Client({ baseUrl: srv.url })
  dir = mkdtempSync(join(tmpdir(), 'dsi-test-'))
})
afterAll(async () => {
  await client.close()
  await srv.stop()
  rmSync(dir, { recursive: true, force: true })
})

const lines = (count: number, from = 0): string =>
  Array.from({ length: count }, (_, i) =>
    JSON.stringify({ i: from + i, pad: 'x'.repeat(40) }),
  ).join('\n') + '\n'

describe('dsi produce', () => {
  it('writes every line once; a re-run of the same input with the same id writes nothing', async () => {
    const p = path('produce')
    await client.create(p, { contentType: 'application/json' })
    const input = lines(5000)
    // Small batches: many seqs, several in flight.
    const args = ['produce', p, '--producer-id', 'loader', '--batch-bytes', '4096', '--json']
    const first = await dsi(args, { env: env(), input })
    expect(first.stderr).toMatch(/^produced 5000 messages/)
    expect(first.code).toBe(0)
    expect(JSON.parse(first.stdout)).toMatchObject({ messages: 5000, written: 5000, duplicates: 0 })
    const second = await dsi(args, { env: env(), input })
    expect(second.code).toBe(0)
    expect(JSON.parse(second.stdout)).toMatchObject({
      messages: 5000,
      written: 0,
      duplicates: 5000,
    })
    const stored = (await client.stream(p).readAll()) as Array<{ i: number }>
    expect(stored.map((m) => m.i)).toEqual(Array.from({ length: 5000 }, (_, i) => i))
  })

  it('text streams: lines go in groups; bytes identical, a re-run writes nothing', async () => {
    const p = path('produce-text')
    await client.create(p, { contentType: 'text/plain' })
    const input = Array.from({ length: 20_000 }, (_, i) => `line ${i} ${'z'.repeat(i % 50)}`).join(
      '\n',
    )
    const args = ['produce', p, '-p', 'text', '--batch-bytes', '8192', '--json']
    const first = await dsi(args, { env: env(), input })
    expect(first.code).toBe(0)
    expect(JSON.parse(first.stdout)).toMatchObject({ messages: 20_000, written: 20_000 })
    const second = await dsi(args, { env: env(), input })
    expect(JSON.parse(second.stdout)).toMatchObject({ written: 0, duplicates: 20_000 })
    expect((await client.stream(p).readText({ live: false }).toArray()).join('')).toBe(input)
  })

  it('after a bad line: nothing past it is written; fixed, a re-run completes exactly once', async () => {
    const p = path('bad-line')
    await client.create(p, { contentType: 'application/json' })
    const good = lines(3000).split('\n')
    const broken = [...good.slice(0, 2000), '{"i": broken', ...good.slice(2001)].join('\n')
    const args = ['produce', p, '-p', 'fixer', '--batch-bytes', '2048']
    const r = await dsi(args, { env: env(), input: broken })
    expect(r.code).toBe(6)
    expect(r.stderr).toMatch(/^dsi: stdin line 2001: .*re-run with the same --producer-id/)
    const partial = ((await client.stream(p).readAll()) as Array<{ i: number }>).length
    expect(partial).toBeLessThan(2000)
    const fixed = await dsi(args, { env: env(), input: good.join('\n') })
    expect(fixed.code).toBe(0)
    const stored = (await client.stream(p).readAll()) as Array<{ i: number }>
    expect(stored.map((m) => m.i)).toEqual(Array.from({ length: 3000 }, (_, i) => i))
  })

  it('a producer fenced by a newer epoch says "fenced by epoch N" and exits 4; --auto-claim takes over', async () => {
    const p = path('fenced')
    await client.create(p, { contentType: 'text/plain' })
    const newer = await dsi(['produce', p, '-p', 'w', '--epoch', '3'], { env: env(), input: 'a\n' })
    expect(newer.code).toBe(0)
    const old = await dsi(['produce', p, '-p', 'w', '--epoch', '1'], { env: env(), input: 'b\n' })
    expect(old.code).toBe(4)
    expect(old.stderr).toMatch(/^dsi: .*fenced by epoch 3/)
    const claim = await dsi(['produce', p, '-p', 'w', '--epoch', '1', '--auto-claim', '--json'], {
      env: env(),
      input: 'c\n',
    })
    expect(claim.code).toBe(0)
    expect(JSON.parse(claim.stdout)).toMatchObject({ epoch: 4, written: 1 })
    expect((await client.stream(p).readText({ live: false }).toArray()).join('')).toBe('a\nc\n')
  })
})

describe('dsi export / import / replay', () => {
  it("export writes the app's NDJSON byte for byte; import twice appends once", async () => {
    const src = path('export')
    const s = await client.create(src, { contentType: 'application/json' })
    for (let i = 0; i < 20; i++) await s.append({ i })
    const file = join(dir, 'export.ndjson')
    const r = await dsi(['export', src, '-o', file], { env: env() })
    expect(r.code).toBe(0)
    expect(r.stderr).toMatch(/^exported 20 messages/)
    const app = await new TransferService({ client: async () => client }).exportRange(
      'x',
      src,
      'ndjson',
      '-1',
      undefined,
    )
    expect(readFileSync(file, 'utf8')).toBe(app.content)

    const dst = path('import')
    await client.create(dst, { contentType: 'application/json' })
    const first = await dsi(['import', dst, file, '--json'], { env: env() })
    expect(first.code).toBe(0)
    expect(JSON.parse(first.stdout)).toMatchObject({ appended: 20 })
    const again = await dsi(['import', dst, file], { env: env() })
    expect(again.code).toBe(0)
    expect(again.stderr).toMatch(/^imported 0 new messages into .*, 20 duplicates skipped/)
    const stored = await client.stream(dst).readAll()
    expect(stored).toEqual(Array.from({ length: 20 }, (_, i) => ({ i })))
    // The app's import of the same file is the same producer: nothing new either.
    await new TransferService({ client: async () => client }).importFile(
      'x',
      dst,
      'ndjson',
      app.content,
    )
    expect(await client.stream(dst).readAll()).toHaveLength(20)
  })

  it('export and import report progress: the services count, dsi draws it on a terminal only', async () => {
    const src = path('progress-src')
    const s = await client.create(src, { contentType: 'application/json' })
    for (let i = 0; i < 30; i++) await s.append({ i })
    const service = new TransferService({ client: async () => client })
    const read: number[] = []
    const exported = await service.exportRange(
      'x',
      src,
      'ndjson',
      '-1',
      undefined,
      undefined,
      (n) => read.push(n),
    )
    expect(read.length).toBeGreaterThan(0)
    expect(read.at(-1)).toBe(30)
    const dst = path('progress-dst')
    await client.create(dst, { contentType: 'application/json' })
    const acked: Array<[number, number]> = []
    await service.importFile('x', dst, 'ndjson', exported.content, (done, total) =>
      acked.push([done, total]),
    )
    expect(acked).toHaveLength(30)
    expect(acked.at(-1)).toEqual([30, 30])
    // On a terminal (util-linux `script` gives dsi a pty) the bar is drawn on stderr; through a
    // pipe, as in every other test here, stderr holds only the summary line.
    const file = join(dir, 'progress.ndjson')
    writeFileSync(file, exported.content)
    const dst2 = path('progress-tty')
    await client.create(dst2, { contentType: 'application/json' })
    const cmd = `stty cols 120; ${JSON.stringify(process.execPath)} bin/dsi import ${dst2} ${JSON.stringify(file)}`
    const tty = await new Promise<string>((resolve, reject) => {
      execFile(
        'script',
        ['-qec', cmd, '/dev/null'],
        { env: { ...process.env, ...env() } },
        (err: Error | null, out: string) => (err ? reject(err) : resolve(out)),
      )
    })
    expect(tty).toMatch(/import \[#+\] 30\/30 \(100%\)/)
    expect(tty).toMatch(/imported 30 new messages/)
    const dst3 = path('progress-pipe')
    await client.create(dst3, { contentType: 'application/json' })
    const piped = await dsi(['import', dst3, file], { env: env() })
    expect(piped.code).toBe(0)
    expect(piped.stderr).toMatch(/^imported 30 new messages into [^\n]*\n$/)
  })

  it('a malformed NDJSON line writes nothing and names the line (6); a missing file is 2', async () => {
    const dst = path('bad-import')
    await client.create(dst, { contentType: 'application/json' })
    const file = join(dir, 'bad.ndjson')
    writeFileSync(file, '{"offset":"1","index":0,"value":1}\n{"offset":"1","index":1,"value":\n')
    const r = await dsi(['import', dst, file], { env: env() })
    expect(r.code).toBe(6)
    expect(r.stderr).toMatch(/^dsi: import: Line 2 is not valid JSON.*nothing was imported\n$/)
    expect(await client.stream(dst).readAll()).toEqual([])
    const missing = await dsi(['import', dst, join(dir, 'nope.ndjson')], { env: env() })
    expect(missing.code).toBe(2)
    expect(missing.stderr).toMatch(/no such file/)
  })

  it('raw export of a text stream is its bytes; import from stdin', async () => {
    const src = path('raw')
    const s = await client.create(src, { contentType: 'text/plain' })
    await s.append('hello ')
    await s.append('world\n')
    const r = await dsi(['export', src, '--format', 'raw'], { env: env() })
    expect(r.stdout).toBe('hello world\n')
    const dst = path('raw-in')
    await client.create(dst, { contentType: 'text/plain' })
    const imp = await dsi(['import', dst, '-', '--format', 'raw'], { env: env(), input: r.stdout })
    expect(imp.code).toBe(0)
    expect((await client.stream(dst).readText({ live: false }).toArray()).join('')).toBe(
      'hello world\n',
    )
  })

  it('replay into a path that does not exist creates it with the source content type', async () => {
    const src = path('replay-new-src')
    const s = await client.create(src, { contentType: 'application/json' })
    for (let i = 0; i < 3; i++) await s.append({ i })
    const dst = path('replay-new-dst')
    const r = await dsi(['replay', src, '--to', dst, '--json'], { env: env() })
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    expect(JSON.parse(r.stdout)).toMatchObject({ replayed: 3, duplicates: 0 })
    const head = await client.stream(dst).head()
    expect(head.contentType).toMatch(/^application\/json/)
    expect(await client.stream(dst).readAll()).toEqual([{ i: 0 }, { i: 1 }, { i: 2 }])
  })

  it('replay copies a range exactly once; a content-type mismatch is refused (3)', async () => {
    const src = path('replay-src')
    const s = await client.create(src, { contentType: 'application/json' })
    const offsets: string[] = []
    for (let i = 0; i < 10; i++) offsets.push((await s.append({ i })).nextOffset!)
    const dst = path('replay-dst')
    await client.create(dst, { contentType: 'application/json' })
    // From after message 2, four messages: 3..6 (an end offset could not bound it: the server
    // answers the catch-up with one response up to the tail).
    const args = [
      'replay',
      src,
      '--to',
      dst,
      '--range',
      `${offsets[2]}..`,
      '--count',
      '4',
      '--json',
    ]
    const r = await dsi(args, { env: env() })
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    expect(JSON.parse(r.stdout)).toMatchObject({ replayed: 4, duplicates: 0, state: 'done' })
    const again = await dsi(args, { env: env() })
    expect(JSON.parse(again.stdout)).toMatchObject({ replayed: 4, duplicates: 4 })
    expect(await client.stream(dst).readAll()).toEqual([{ i: 3 }, { i: 4 }, { i: 5 }, { i: 6 }])
    // A..B with B at the tail: everything after A.
    const rest = await dsi(
      ['replay', src, '--to', dst, '--range', `${offsets[6]}..${offsets[9]}`],
      {
        env: env(),
      },
    )
    expect(rest.code).toBe(0)
    expect(rest.stderr).toMatch(/^replayed 3 of 3 messages/)
    expect(await client.stream(dst).readAll()).toHaveLength(7)

    const text = path('replay-text')
    await client.create(text, { contentType: 'text/plain' })
    const mismatch = await dsi(['replay', src, '--to', text], { env: env() })
    expect(mismatch.code).toBe(3)
    expect(mismatch.stderr).toMatch(/^dsi: replay: Target content type text\/plain differs/)
    const badRange = await dsi(['replay', src, '--to', dst, '--range', 'nodots'], { env: env() })
    expect(badRange.code).toBe(1)
  })
})
