/** Starts test/chaos/server-process.ts as a child process and kills it with SIGKILL. */
import { spawn, type ChildProcess } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const root = join(here, '..', '..')

export interface ServerChild {
  /** Stream base URL, e.g. http://127.0.0.1:1234/v1/stream */
  base: string
  port: number
  /** Everything the process printed (stdout and stderr), line by line. */
  log: string[]
  /** kill -9, resolved once the process is gone. */
  kill9(): Promise<void>
  /** Ends it (SIGKILL too: nothing to flush that a test relies on). */
  stop(): Promise<void>
}

export async function startServerChild(opts: {
  data: string
  mode?: 'embedded' | 'reference'
  port?: number
  killAtSeq?: number
  timeoutMs?: number
}): Promise<ServerChild> {
  const args = ['--import', 'tsx', join(here, 'server-process.ts'), '--data', opts.data]
  args.push('--mode', opts.mode ?? 'embedded', '--port', String(opts.port ?? 0))
  if (opts.killAtSeq !== undefined) args.push('--kill-at-seq', String(opts.killAtSeq))
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const log: string[] = []
  const exited = new Promise<void>((ok) => child.once('exit', () => ok()))
  const base = await new Promise<string>((ok, fail) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      fail(
        new Error(
          `server process not ready after ${opts.timeoutMs ?? 20_000} ms:\n${log.join('\n')}`,
        ),
      )
    }, opts.timeoutMs ?? 20_000)
    let pending = ''
    const onData = (chunk: Buffer): void => {
      pending += chunk.toString('utf8')
      const lines = pending.split('\n')
      pending = lines.pop() ?? ''
      for (const line of lines) {
        log.push(line)
        const m = /^READY (\S+)/.exec(line)
        if (m?.[1]) {
          clearTimeout(timer)
          ok(m[1])
        }
      }
    }
    child.stdout?.on('data', onData)
    child.stderr?.on('data', onData)
    void exited.then(() => {
      clearTimeout(timer)
      fail(new Error(`server process exited before it was ready:\n${log.join('\n')}`))
    })
  })
  const kill9 = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
    await exited
  }
  return { base, port: Number(new URL(base).port), log, kill9, stop: kill9 }
}
