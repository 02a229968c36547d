/**
 * Drives bin/conformance-adapter (the upstream client-conformance protocol: JSON lines on
 * stdin/stdout) against a real DurableStreamTestServer, so CI exercises the adapter without
 * the upstream suite.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { once } from 'node:events'
import { tmpdir } from 'node:os'
import { dirname, resolve } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startServer, type TestServer } from './helpers/server.js'

const ADAPTER = resolve(dirname(fileURLToPath(import.meta.url)), '../bin/conformance-adapter')

type Result = Record<string, unknown> & { type: string; success: boolean }

/** The runner's side of the protocol: one command, one result line, strictly in turn. */
class AdapterProcess {
  readonly child: ChildProcessWithoutNullStreams
  readonly lines: string[] = []
  private waiting: ((line: string) => void) | undefined
  stderr = ''

  constructor() {
    // Spawned like the runner does: no arguments, no shell, someone else's cwd.
    this.child = spawn(ADAPTER, [], { cwd: tmpdir(), stdio: ['pipe', 'pipe', 'pipe'] })
    this.child.stderr.on('data', (d: Buffer) => (this.stderr += d.toString()))
    createInterface({ input: this.child.stdout, crlfDelay: Infinity }).on('line', (line) => {
      this.lines.push(line)
      const w = this.waiting
      this.waiting = undefined
      w?.(line)
    })
  }

  send(cmd: Record<string, unknown>): Promise<Result> {
    return new Promise((resolveResult, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no answer to ${JSON.stringify(cmd)}; stderr: ${this.stderr}`)),
        20_000,
      )
      this.waiting = (line) => {
        clearTimeout(timer)
        try {
          resolveResult(JSON.parse(line) as Result)
        } catch (err) {
          reject(err instanceof Error ? err : new Error(String(err)))
        }
      }
      this.child.stdin.write(JSON.stringify(cmd) + '\n')
    })
  }
}

let server: TestServer
let adapter: AdapterProcess
let sent = 0
const send = (cmd: Record<string, unknown>): Promise<Result> => {
  sent++
  return adapter.send(cmd)
}
let n = 0
const newPath = (): string => `/adapter-test-${process.pid}-${++n}`

beforeAll(async () => {
  server = await startServer({ longPollTimeout: 300 })
  adapter = new AdapterProcess()
})

afterAll(async () => {
  if (adapter.child.exitCode === null) adapter.child.kill()
  await server.stop()
})

describe('bin/conformance-adapter', () => {
  it('runs a scripted session through the client', async () => {
    const init = await send({ type: 'init', serverUrl: server.url })
    expect(init).toMatchObject({ type: 'init', success: true })
    expect(Object.values(init.features as Record<string, boolean>).every(Boolean)).toBe(true)
    expect(Object.keys(init.features as object)).toHaveLength(9)

    // create / append / read / head on a text stream
    const text = newPath()
    expect(await send({ type: 'create', path: text, contentType: 'text/plain' })).toMatchObject({
      success: true,
      status: 201,
    })
    expect(await send({ type: 'create', path: text, contentType: 'text/plain' })).toMatchObject({
      success: true,
      status: 200,
    })
    const a1 = await send({ type: 'append', path: text, data: 'hello', binary: false })
    expect(a1).toMatchObject({ type: 'append', success: true, status: 200 })
    expect(typeof a1.offset).toBe('string')

    await send({ type: 'set-dynamic-header', name: 'X-Counter', valueType: 'counter' })
    await send({ type: 'set-dynamic-param', name: 'req', valueType: 'counter' })
    const a2 = await send({
      type: 'append',
      path: text,
      data: Buffer.from(' world').toString('base64'),
      binary: true,
    })
    expect(a2).toMatchObject({
      success: true,
      headersSent: { 'X-Counter': '1' },
      paramsSent: { req: '1' },
    })
    const r1 = await send({ type: 'read', path: text, live: false })
    expect(r1).toMatchObject({
      type: 'read',
      success: true,
      status: 200,
      upToDate: true,
      streamClosed: false,
      headersSent: { 'X-Counter': '2' },
      paramsSent: { req: '2' },
    })
    expect((r1.chunks as Array<{ data: string }>).map((c) => c.data).join('')).toBe('hello world')
    expect(await send({ type: 'head', path: text })).toMatchObject({
      type: 'head',
      success: true,
      contentType: 'text/plain',
      offset: r1.offset,
      streamClosed: false,
    })

    // a long-poll at the tail times out with the server's 204
    const lp = await send({
      type: 'read',
      path: text,
      offset: r1.offset,
      live: 'long-poll',
      timeoutMs: 600,
    })
    expect(lp).toMatchObject({ success: true, status: 204, chunks: [], upToDate: true })

    // JSON streams: bodies are JSON text, reads return compact arrays per chunk
    const json = newPath()
    await send({ type: 'create', path: json, contentType: 'application/json' })
    await send({ type: 'append', path: json, data: '{"a": 1}', binary: false })
    await send({ type: 'append', path: json, data: '[2, "three"]', binary: false })
    const rj = await send({ type: 'read', path: json, live: false })
    expect(rj.chunks).toEqual([{ data: '[{"a":1},2,"three"]', offset: rj.offset }])

    // idempotent producer commands
    const idem = newPath()
    await send({ type: 'create', path: idem, contentType: 'text/plain' })
    const producer = { path: idem, producerId: 'p1', epoch: 0, autoClaim: false }
    for (const data of ['a', 'b']) {
      expect(await send({ type: 'idempotent-append', ...producer, data })).toMatchObject({
        type: 'idempotent-append',
        success: true,
        status: 200,
      })
    }
    const batch = { type: 'idempotent-append-batch', path: idem, producerId: 'p2', epoch: 0 }
    for (let i = 0; i < 2; i++) {
      expect(await send({ ...batch, autoClaim: false, items: ['c', 'd'] })).toMatchObject({
        success: true,
      })
    }
    expect(
      await send({
        type: 'idempotent-append-batch',
        path: idem,
        producerId: 'p3',
        epoch: 0,
        autoClaim: false,
        maxInFlight: 4,
        items: ['1', '2', '3', '4', '5'],
      }),
    ).toMatchObject({ success: true })
    const closed = await send({ type: 'idempotent-close', ...producer, data: 'z' })
    expect(closed).toMatchObject({ type: 'idempotent-close', success: true, status: 200 })
    expect(await send({ type: 'idempotent-close', ...producer, data: 'z' })).toMatchObject({
      success: true,
    })
    const ri = await send({ type: 'read', path: idem, live: false })
    expect((ri.chunks as Array<{ data: string }>).map((c) => c.data).join('')).toBe('abcd12345z')
    expect(ri).toMatchObject({ streamClosed: true, offset: closed.finalOffset })
    expect(await send({ type: 'append', path: idem, data: 'late', binary: false })).toMatchObject({
      type: 'error',
      success: false,
      commandType: 'append',
      errorCode: 'STREAM_CLOSED',
      status: 409,
    })

    // errors carry the code, the status and the path
    const missing = await send({ type: 'read', path: '/adapter-test-missing', live: false })
    expect(missing).toMatchObject({ success: false, errorCode: 'NOT_FOUND', status: 404 })
    expect(missing.message).toContain('/adapter-test-missing')

    // client-side validation, no network
    const badRetry = await send({
      type: 'validate',
      target: { target: 'retry-options', maxRetries: -1 },
    })
    expect(badRetry).toMatchObject({ success: false, errorCode: 'INVALID_ARGUMENT' })
    expect(badRetry.message).toContain('maxRetries')
    const badEpoch = await send({
      type: 'validate',
      target: { target: 'idempotent-producer', producerId: 'x', epoch: -1 },
    })
    expect(badEpoch).toMatchObject({ success: false, errorCode: 'INVALID_ARGUMENT' })
    expect(badEpoch.message).toContain('epoch')
    expect(
      await send({ type: 'validate', target: { target: 'idempotent-producer', producerId: 'x' } }),
    ).toEqual({ type: 'validate', success: true })

    const exited = once(adapter.child, 'exit')
    expect(await send({ type: 'shutdown' })).toEqual({ type: 'shutdown', success: true })
    const [code] = (await exited) as [number | null]
    expect(code).toBe(0)
    // exactly one stdout line per command, nothing else
    expect(adapter.lines).toHaveLength(sent)
  })
})
