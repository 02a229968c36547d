/**
 * Runs one job in a fresh child process (`node --import tsx bench/child.ts`) and relays its
 * IPC messages to the row's hooks.
 */
import { fork } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import type { FromChild, Job, JobResult } from './lib/protocol.js'
import type { JobHooks } from './scenarios.js'

const CHILD = fileURLToPath(new URL('./child.ts', import.meta.url))
const JOB_TIMEOUT_MS = 300_000

export interface ChildOptions {
  /** Extra Node flags, e.g. `--cpu-prof`. */
  execArgv: string[]
}

export function runChild(job: Job, hooks: JobHooks, opts: ChildOptions): Promise<JobResult> {
  return new Promise((resolve, reject) => {
    const child = fork(CHILD, [], {
      execArgv: ['--import', 'tsx', '--expose-gc', ...opts.execArgv],
      env: { ...process.env, BENCH_JOB: JSON.stringify(job) },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    })
    let outcome: { ok: true; result: JobResult } | { ok: false; error: Error } | undefined
    const fail = (error: Error): void => {
      outcome ??= { ok: false, error }
      hooks.abort?.()
      child.kill('SIGKILL')
    }
    const timer = setTimeout(
      () => fail(new Error(`row ${job.row} ${job.subject}: no result after ${JOB_TIMEOUT_MS} ms`)),
      JOB_TIMEOUT_MS,
    )
    child.on('message', (msg: FromChild) => {
      if (msg.type === 'result') outcome ??= { ok: true, result: msg.result }
      else if (msg.type === 'error') {
        fail(new Error(`row ${job.row} ${job.subject} round ${job.round} failed:\n${msg.message}`))
      } else {
        try {
          hooks.onMessage?.(msg)
        } catch (err) {
          fail(err as Error)
        }
      }
    })
    child.on('error', (err) => fail(err))
    child.on('exit', (code, signal) => {
      clearTimeout(timer)
      if (!outcome) {
        hooks.abort?.()
        outcome = {
          ok: false,
          error: new Error(
            `row ${job.row} ${job.subject}: child exited (${signal ?? code}) without a result`,
          ),
        }
      }
      if (outcome.ok) resolve(outcome.result)
      else reject(outcome.error)
    })
  })
}
