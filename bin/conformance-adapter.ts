/**
 * Client-conformance adapter for the upstream Durable Streams suite
 * (packages/client-conformance-tests). It reads one JSON command per line on stdin and
 * writes exactly one JSON result line per command on stdout, running every command through
 * the public API of our client (src-shared/client). Logs go to stderr only.
 *
 * Protocol: ../shared/conformance/ADAPTER-PROTOCOL.md. Run through `bin/conformance-adapter`.
 */
import { createInterface } from 'node:readline'
import { benchmark } from './conformance/benchmark.js'
import { errorResult, toErrorResult } from './conformance/errors.js'
import {
  idempotentAppend,
  idempotentAppendBatch,
  idempotentClose,
  idempotentDetach,
} from './conformance/producer-commands.js'
import { read } from './conformance/read.js'
import { Session } from './conformance/session.js'
import { append, close, connect, create, del, head } from './conformance/stream-commands.js'
import type { Command, Result } from './conformance/types.js'
import { validate } from './conformance/validate.js'

// stdout belongs to the protocol: anything a library might print goes to stderr instead.
console.log = console.error
console.info = console.error
console.debug = console.error

const CLIENT_NAME = 'durable-streams-inspector'
const CLIENT_VERSION = '0.1.0'

const session = new Session()

/**
 * A result that arrives after the runner's per-command timeout (30 s by default) would be
 * taken as the answer to the next command and desynchronise the whole run, so a command
 * that is still running after this long answers with a TIMEOUT error instead.
 */
let commandDeadlineMs = 27_000
/** The runner's benchmark mode waits 60 s per command. */
const BENCHMARK_DEADLINE_MS = 57_000

function withDeadline(type: string, work: Promise<Result>): Promise<Result> {
  const deadline = type === 'benchmark' ? BENCHMARK_DEADLINE_MS : commandDeadlineMs
  let timer: ReturnType<typeof setTimeout> | undefined
  const late = new Promise<Result>((resolveLate) => {
    timer = setTimeout(() => {
      console.error(`[conformance-adapter] ${type} still running after ${deadline} ms`)
      resolveLate(errorResult(type, 'TIMEOUT', `${type} did not complete within ${deadline} ms`))
    }, deadline)
  })
  return Promise.race([work, late]).finally(() => clearTimeout(timer))
}

async function handle(cmd: Command): Promise<Result> {
  switch (cmd.type) {
    case 'init':
      session.init(cmd.serverUrl)
      if (typeof cmd.timeoutMs === 'number' && cmd.timeoutMs > 0) {
        commandDeadlineMs = Math.max(1_000, cmd.timeoutMs - 3_000)
      }
      return {
        type: 'init',
        success: true,
        clientName: CLIENT_NAME,
        clientVersion: CLIENT_VERSION,
        features: {
          sse: true,
          longPoll: true,
          auto: true,
          dynamicHeaders: true,
          batching: true,
          retryOptions: true,
          batchItems: true,
          strictZeroValidation: true,
          streaming: true,
        },
      }
    case 'create':
      return create(session, cmd)
    case 'connect':
      return connect(session, cmd)
    case 'append':
      return append(session, cmd)
    case 'read':
      return read(session, cmd)
    case 'head':
      return head(session, cmd)
    case 'delete':
      return del(session, cmd)
    case 'close':
      return close(session, cmd)
    case 'idempotent-append':
      return idempotentAppend(session, cmd)
    case 'idempotent-append-batch':
      return idempotentAppendBatch(session, cmd)
    case 'idempotent-close':
      return idempotentClose(session, cmd)
    case 'idempotent-detach':
      return idempotentDetach(session, cmd)
    case 'set-dynamic-header':
      session.dynamic.setHeader(cmd.name, cmd.valueType, cmd.initialValue)
      return { type: cmd.type, success: true }
    case 'set-dynamic-param':
      session.dynamic.setParam(cmd.name, cmd.valueType, cmd.initialValue)
      return { type: cmd.type, success: true }
    case 'clear-dynamic':
      session.dynamic.clear()
      return { type: cmd.type, success: true }
    case 'validate':
      return validate(session, cmd)
    case 'benchmark':
      return benchmark(session, cmd)
    case 'shutdown':
      return { type: 'shutdown', success: true }
    default: {
      const type = (cmd as { type?: unknown }).type
      return errorResult(String(type), 'NOT_SUPPORTED', `Unknown command type: ${String(type)}`)
    }
  }
}

/** One JSON line; U+2028/U+2029 escaped so no line-splitting reader can break it. */
function serialize(result: Result): string {
  return JSON.stringify(result)
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029')
}

async function execute(line: string): Promise<{ result: Result; exit: boolean }> {
  let cmd: Command
  try {
    cmd = JSON.parse(line) as Command
  } catch (err) {
    return {
      result: errorResult('unknown', 'INTERNAL_ERROR', `Invalid command line: ${String(err)}`),
      exit: false,
    }
  }
  try {
    return { result: await withDeadline(cmd.type, handle(cmd)), exit: cmd.type === 'shutdown' }
  } catch (err) {
    const path = 'path' in cmd && typeof cmd.path === 'string' ? cmd.path : undefined
    return { result: toErrorResult(cmd.type, err, path), exit: false }
  }
}

function main(): void {
  const rl = createInterface({ input: process.stdin, crlfDelay: Infinity })
  // Commands run strictly one after another, in arrival order.
  let queue: Promise<void> = Promise.resolve()
  rl.on('line', (line) => {
    if (line.trim() === '') return
    queue = queue.then(async () => {
      const { result, exit } = await execute(line)
      process.stdout.write(serialize(result) + '\n', () => {
        if (exit) process.exit(0)
      })
      if (exit) rl.close()
    })
  })
  rl.on('close', () => {
    void queue.then(() => setTimeout(() => process.exit(0), 50))
  })
}

process.on('unhandledRejection', (err) => {
  console.error('[conformance-adapter] unhandled rejection:', err)
})

main()
