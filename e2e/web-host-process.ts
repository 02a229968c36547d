/** Spawns the web host (`npm run web` without the build step) and reads the printed URL. */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

const ROOT = resolve(import.meta.dirname, '..')

export interface WebHostProcess {
  url: string
  origin: string
  userDataDir: string
  output(): string
  stop(): Promise<void>
}

export async function startWebHostProcess(
  opts: { userDataDir?: string } = {},
): Promise<WebHostProcess> {
  const userDataDir = opts.userDataDir ?? mkdtempSync(join(tmpdir(), 'dsi-e2e-'))
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', 'src-main/web/cli.ts', '--port', '0', '--user-data', userDataDir],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, DSI_SERVER_URL: '' } },
  )
  let log = ''
  child.stdout?.on('data', (d: Buffer) => (log += d.toString()))
  child.stderr?.on('data', (d: Buffer) => (log += d.toString()))
  const url = await new Promise<string>((ok, fail) => {
    const timer = setTimeout(
      () => fail(new Error(`web host did not print its URL in 20s:\n${log}`)),
      20_000,
    )
    const check = (): void => {
      const m = /is running at (http:\/\/\S+)/.exec(log)
      if (m?.[1]) {
        clearTimeout(timer)
        ok(m[1])
      }
    }
    child.stdout?.on('data', check)
    child.once('exit', (code) => {
      clearTimeout(timer)
      fail(new Error(`web host exited with ${code}:\n${log}`))
    })
  })
  const exited = new Promise<void>((ok) => child.once('exit', () => ok()))
  return {
    url,
    origin: new URL(url).origin,
    userDataDir,
    output: () => log,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM')
      const timeout = setTimeout(() => child.kill('SIGKILL'), 5_000)
      await exited
      clearTimeout(timeout)
      if (!opts.userDataDir) rmSync(userDataDir, { recursive: true, force: true })
    },
  }
}
