/**
 * The benchmark run: starts one fresh in-memory DurableStreamTestServer on 127.0.0.1 (port 0)
 * and measures every scenario for three subjects — ours (src-shared/client), official
 * (@durable-streams/client) and raw (hand-written HTTP) — each job in its own child process,
 * alternating subjects round by round (A B C A B C …) after warm-up rounds.
 */
import { DurableStreamTestServer } from '@durable-streams/server'
import type { Options } from './config.js'
import { RawHttp } from './lib/http.js'
import { SUBJECTS, type Job, type JobResult, type Sizes, type SubjectName } from './lib/protocol.js'
import { runChild } from './orchestrate.js'
import {
  checkTargets,
  formatRow,
  formatTargets,
  machine,
  rowSummary,
  summarise,
  type RowSummary,
  type SubjectSummary,
  type TargetCheck,
} from './report.js'
import { deleteStreams, ROW_DEFS, type Ctx, type RowDef } from './scenarios.js'

export interface BenchReport {
  date: string
  mode: 'quick' | 'full'
  machine: ReturnType<typeof machine>
  sizes: Sizes
  rows: RowSummary[]
  targets: TargetCheck[]
  durationS: number
}

export interface RunHooks {
  /** Called with each finished scenario table. */
  print?: (text: string) => void
}

async function runRow(
  ctx: Ctx,
  def: RowDef,
  o: Options,
  print: (t: string) => void,
): Promise<RowSummary> {
  const z = ctx.sizes
  await def.setupOnce?.(ctx)
  const results: Record<SubjectName, JobResult[]> = { ours: [], official: [], raw: [] }
  const total = z.warmupRounds + z.rounds
  for (let round = 0; round < total; round++) {
    for (const subject of SUBJECTS) {
      const hooks = await def.prepare(ctx, subject, round)
      const job: Job = {
        row: def.id,
        subject,
        round,
        serverUrl: ctx.serverUrl,
        urls: hooks.urls,
        sizes: z,
      }
      // One directory per job: Node writes one profile per thread (the tsx loader has its own).
      const execArgv = o.profile.includes(subject)
        ? ['--cpu-prof', `--cpu-prof-dir=${o.profileDir}/row${def.id}-${subject}-r${round}`]
        : []
      const result = await runChild(job, hooks, { execArgv })
      await hooks.settled()
      await def.verify?.(ctx, result)
      await deleteStreams(ctx, def.setupOnce ? [] : hooks.urls)
      if (round >= z.warmupRounds) results[subject].push(result)
    }
  }
  const subjects: Partial<Record<SubjectName, SubjectSummary>> = {}
  for (const s of SUBJECTS) subjects[s] = summarise(def, z, results[s])
  const row = rowSummary(def, subjects)
  print(formatRow(row, checkTargets(row)) + '\n')
  return row
}

/** Runs the benchmark; returns the report (used by `npm run bench` and the smoke test). */
export async function runBench(
  o: Options,
  sizes: Sizes,
  hooks: RunHooks = {},
): Promise<BenchReport> {
  const print = hooks.print ?? ((t: string) => console.log(t))
  const started = Date.now()
  const m = machine()
  const date = new Date().toISOString()
  print(
    `Durable Streams client benchmark — ${o.quick ? 'quick' : 'full'} run, ${date}\n` +
      `Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, ${m.os}, Node ${m.node}\n` +
      `Server: @durable-streams/server DurableStreamTestServer (in-memory, 127.0.0.1, defaults)\n` +
      `Subjects: ours = src-shared/client; official = @durable-streams/client 0.2.7; raw = hand-written node:http\n` +
      `Rounds: ${sizes.warmupRounds} warm-up + ${sizes.rounds} measured per subject, alternating, one child process per job\n` +
      `Columns: median/p95 of wall time; CPU = the subject process's own CPU time (user + system, all\n` +
      `threads incl. JIT and GC) per operation or run, averaged over the measured samples; other load\n` +
      `on the machine disturbs it much less than wall time.\n` +
      (o.quick
        ? `Quick run: fewer samples, so ratios are indicative; quote only full runs.\n`
        : ''),
  )
  const server = new DurableStreamTestServer({ port: 0, host: '127.0.0.1' })
  const serverUrl = await server.start()
  const http = new RawHttp(serverUrl)
  const ctx: Ctx = { serverUrl, http, sizes, runId: Math.random().toString(36).slice(2, 8) }
  const rows: RowSummary[] = []
  try {
    for (const id of o.rows) rows.push(await runRow(ctx, ROW_DEFS[id], o, print))
  } finally {
    http.close()
    await server.stop()
  }
  const targets = rows.flatMap(checkTargets)
  print(formatTargets(targets))
  const durationS = Math.round((Date.now() - started) / 100) / 10
  print(`\nTotal time ${durationS} s`)
  return { date, mode: o.quick ? 'quick' : 'full', machine: m, sizes, rows, targets, durationS }
}
