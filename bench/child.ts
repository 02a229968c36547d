/**
 * Child process entry: reads its job from the BENCH_JOB environment variable, loads only
 * the subject it measures, runs the job and reports the result (or the error) over IPC.
 */
import { runJob } from './drivers.js'
import type { FromChild, Job, SubjectName } from './lib/protocol.js'
import type { Subject } from './subjects/types.js'

async function load(name: SubjectName): Promise<Subject> {
  switch (name) {
    case 'ours':
      return (await import('./subjects/ours.js')).subject
    case 'official':
      return (await import('./subjects/official.js')).subject
    case 'raw':
      return (await import('./subjects/raw.js')).subject
  }
}

function send(msg: FromChild): void {
  process.send?.(msg)
}

/** Sends the last message, then exits (so `--cpu-prof` profiles are written). */
function finish(msg: FromChild, code: number): void {
  if (!process.send) {
    console.log(JSON.stringify(msg))
    process.exit(code)
  }
  process.send(msg, () => process.exit(code))
}

async function main(): Promise<void> {
  const raw = process.env.BENCH_JOB
  if (!raw) throw new Error('BENCH_JOB is not set: run bench/run.ts, not the child directly')
  const job = JSON.parse(raw) as Job
  let subject: Subject | undefined
  let last: FromChild
  try {
    subject = await load(job.subject)
    last = { type: 'result', result: await runJob(job, subject, { send }) }
  } catch (err) {
    last = { type: 'error', message: (err as Error)?.stack ?? String(err) }
  }
  await subject?.dispose().catch(() => undefined)
  finish(last, last.type === 'result' ? 0 : 1)
}

void main()
