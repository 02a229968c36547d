/**
 * `dsi produce` fed by a live pipe (stdin kept open) against a real server: --linger on a text
 * stream, and Ctrl-C with lines not yet acknowledged.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Client } from '../../src-shared/client/node.js'
import { startServer, type TestServer } from '../helpers/server.js'
import type { ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { dsi, shell, spawnDsi } from './run-dsi.js'

let srv: TestServer
let client: Client
let n = 0
const path = (name: string): string => `/cli-live/${name}-${process.pid}-${++n}`
const env = (): Record<string, string> => ({ DSI_SERVER_URL: srv.url })

beforeAll(async () => {
  srv = await startServer()
  client = new Client({ baseUrl: srv.url })
})
afterAll(async () => {
  await client.close()
  await srv.stop()
})

/** Polls `read` until `done` holds for what it returns, for at most `ms`. */
async function until<T>(read: () => Promise<T>, done: (v: T) => boolean, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms
  let v = await read()
  while (!done(v)) {
    if (Date.now() > deadline) throw new Error(`not reached in ${ms} ms; last ${JSON.stringify(v)}`)
    await new Promise((r) => setTimeout(r, 100))
    v = await read()
  }
  return v
}

/** Output and exit of a child whose stdin stays open (run-dsi's collect() ends it), bounded. */
function finished(
  child: ChildProcess,
  ms = 30_000,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  let stdout = ''
  let stderr = ''
  child.stdout!.on('data', (b: Buffer) => (stdout += b.toString()))
  child.stderr!.on('data', (b: Buffer) => (stderr += b.toString()))
  child.stdin!.on('error', () => undefined)
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`dsi did not finish in ${ms} ms; stderr: ${stderr}`))
    }, ms)
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ code, stdout, stderr })
    })
  })
}

const text = async (p: string): Promise<string> =>
  (await client.stream(p).readText({ live: false }).toArray()).join('')

describe('dsi produce from a live pipe', () => {
  it('--linger on a text stream sends a line while stdin stays open', async () => {
    const p = path('linger')
    await client.create(p, { contentType: 'text/plain' })
    const child = spawnDsi(['produce', p, '-p', 'feed', '--linger', '20'], { env: env() })
    const done = finished(child)
    child.stdin!.write('line1\n')
    try {
      // Before the fix the line waited for 64 KiB of lines or the end of stdin.
      await until(
        () => text(p),
        (s) => s === 'line1\n',
      )
    } finally {
      child.stdin!.end('line2\n')
    }
    const r = await done
    expect(r.code).toBe(0)
    expect(await text(p)).toBe('line1\nline2\n')
  })

  it('Ctrl-C says how many lines were not acknowledged, exits 130; a re-run completes it', async () => {
    const p = path('sigint')
    await client.create(p, { contentType: 'application/json' })
    const all = Array.from({ length: 5 }, (_, i) => JSON.stringify({ i })).join('\n') + '\n'
    const args = ['produce', p, '-p', 'cut', '--batch-items', '3']
    const child = spawnDsi(args, { env: env() })
    const done = finished(child)
    // 3 lines make a full batch (sent); 2 wait in the open one, stdin stays open.
    child.stdin!.write(all)
    await until(
      async () => (await client.stream(p).readAll()).length,
      (len) => len === 3,
    )
    child.kill('SIGINT')
    const r = await done
    expect(r.code).toBe(130)
    expect(r.stdout).toBe('')
    expect(r.stderr).toMatch(
      /^dsi: http:\/\/\S+: interrupted: 3 of the 5 messages read were acknowledged, 2 not .*re-run with the same --producer-id/,
    )
    const again = await dsi([...args, '--json'], { env: env(), input: all })
    expect(again.code).toBe(0)
    expect(JSON.parse(again.stdout)).toMatchObject({ messages: 5, written: 2, duplicates: 3 })
    const stored = (await client.stream(p).readAll()) as Array<{ i: number }>
    expect(stored.map((m) => m.i)).toEqual([0, 1, 2, 3, 4])
  })

  it('stdin from a file (read straight into groups): bytes exact, long lines too; re-run writes nothing', async () => {
    const p = path('file')
    await client.create(p, { contentType: 'text/plain' })
    const dir = mkdtempSync(join(tmpdir(), 'dsi-file-'))
    try {
      const input =
        Array.from({ length: 30_000 }, (_, i) => `${i} ${'q'.repeat((i * 7) % 120)}\n`).join('') +
        'w'.repeat(10_000) + // a line longer than a group
        '\nlast line without newline'
      writeFileSync(join(dir, 'in.txt'), input)
      const script = `$DSI produce ${p} -p f --batch-bytes 4096 --json < "${join(dir, 'in.txt')}"`
      const first = await shell(script, { env: env(), timeoutMs: 60_000 })
      expect(first.code, first.stderr).toBe(0)
      expect(JSON.parse(first.stdout)).toMatchObject({ messages: 30_002, written: 30_002 })
      const again = await shell(script, { env: env(), timeoutMs: 60_000 })
      expect(JSON.parse(again.stdout)).toMatchObject({ written: 0, duplicates: 30_002 })
      expect(await text(p)).toBe(input)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
