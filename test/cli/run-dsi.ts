/**
 * Runs the real `dsi` executable (bin/dsi, a child process) the way a shell does, with a
 * bounded time. The environment is the test's own minus DSI_* variables, plus what a test sets.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { join, resolve } from 'node:path'

export const root = resolve(import.meta.dirname, '..', '..')
export const dsiBin = join(root, 'bin', 'dsi')

export interface DsiResult {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  /** stdout as bytes (for byte streams). */
  stdoutBytes: Buffer
  stderr: string
}

export interface DsiOptions {
  input?: string | Buffer
  env?: Record<string, string | undefined>
  timeoutMs?: number
  cwd?: string
}

export function dsiEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('DSI_')) env[k] = v
  env.NO_COLOR = '1'
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined) delete env[k]
    else env[k] = v
  }
  return env
}

export function spawnDsi(args: string[], opts: DsiOptions = {}): ChildProcess {
  return spawn(process.execPath, [dsiBin, ...args], {
    cwd: opts.cwd ?? root,
    env: dsiEnv(opts.env),
    stdio: ['pipe', 'pipe', 'pipe'],
  })
}

/** Runs dsi to completion; `input` goes to stdin (closed either way). */
export function dsi(args: string[], opts: DsiOptions = {}): Promise<DsiResult> {
  return collect(spawnDsi(args, opts), opts)
}

/** Runs a shell pipeline (`bash -c`), with `dsi` on the PATH-free form `"$DSI"`. */
export function shell(script: string, opts: DsiOptions = {}): Promise<DsiResult> {
  const child = spawn('bash', ['-o', 'pipefail', '-c', script], {
    cwd: opts.cwd ?? root,
    env: dsiEnv({ DSI: `${process.execPath} ${dsiBin}`, ...opts.env }),
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  return collect(child, opts)
}

export function collect(child: ChildProcess, opts: DsiOptions = {}): Promise<DsiResult> {
  const out: Buffer[] = []
  const err: Buffer[] = []
  child.stdout?.on('data', (b: Buffer) => out.push(b))
  child.stderr?.on('data', (b: Buffer) => err.push(b))
  child.stdin?.on('error', () => undefined) // the command may exit before reading stdin
  child.stdin?.end(opts.input ?? '')
  const timeoutMs = opts.timeoutMs ?? 20_000
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(
        new Error(
          `dsi did not finish within ${timeoutMs} ms; stderr: ${Buffer.concat(err).toString()}`,
        ),
      )
    }, timeoutMs)
    child.on('error', reject)
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      resolvePromise({
        code,
        signal,
        stdout: Buffer.concat(out).toString('utf8'),
        stdoutBytes: Buffer.concat(out),
        stderr: Buffer.concat(err).toString('utf8'),
      })
    })
  })
}

/** Resolves with everything printed so far once `pattern` appears on the stream. */
export function waitForOutput(
  stream: NodeJS.ReadableStream,
  pattern: RegExp,
  timeoutMs = 15_000,
): Promise<string> {
  let seen = ''
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`timed out waiting for ${pattern}; saw ${JSON.stringify(seen)}`)),
      timeoutMs,
    )
    const onData = (b: Buffer): void => {
      seen += b.toString('utf8')
      if (pattern.test(seen)) {
        clearTimeout(timer)
        stream.off('data', onData)
        resolvePromise(seen)
      }
    }
    stream.on('data', onData)
  })
}
