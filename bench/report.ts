/**
 * Aggregation of child results into per-scenario summaries, the printed tables, the
 * PASS/MISS target checks and the JSON document.
 */
import os from 'node:os'
import type { JobResult, RowId, Sizes, SubjectName } from './lib/protocol.js'
import { SUBJECTS } from './lib/protocol.js'
import { median, quantile } from './lib/stats.js'
import type { Kind, RowDef } from './scenarios.js'

const MiB = 1024 * 1024
/**
 * Row 10 is flat when, in the worst run, memory still allocated after a full GC (JS heap in
 * use + external) grows less than this from 10 % to 100 % of the read (< 9 B per message at
 * 1 M messages, < 32 B at the quick run's 300 k).
 */
export const FLAT_RETAINED_MIB = 8

export interface SubjectSummary {
  /** Number of samples (operations, runs or memory runs). */
  n: number
  /** Latency: ms per operation. Throughput: ms per run. Memory: peak RSS growth, MiB. */
  median: number
  p95: number
  /** Latency rows: operations/s at the median. Throughput rows: messages/s at the median. */
  perSecond?: number
  /** Throughput rows: MiB/s at the median. */
  mibPerSecond?: number
  /** Mean client CPU time per sample (ms): what the subject's process spent, whatever the load. */
  cpuMsPerSample?: number
  extra?: Record<string, number>
  samples: number[]
}

export interface RowSummary {
  id: RowId
  title: string
  kind: Kind
  subjects: Partial<Record<SubjectName, SubjectSummary>>
  /** Latency and memory: ours ÷ other (lower is better). Throughput: ours ÷ other rate (higher is better). */
  oursOverOfficial?: number | undefined
  oursOverRaw?: number | undefined
}

export interface TargetCheck {
  row: RowId
  target: string
  value: number
  pass: boolean
  /**
   * For "× official" throughput targets: raw / official in the same run — what the
   * hand-written ceiling itself reaches. Below the target, no client can meet it here.
   */
  ceiling?: number
}

export interface Machine {
  cpu: string
  cores: number
  node: string
  os: string
  memoryGiB: number
}

export function machine(): Machine {
  const cpus = os.cpus()
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    node: process.version,
    os: `${os.platform()} ${os.release()} ${os.arch()}`,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
  }
}

function mergeExtra(results: JobResult[], pick: (v: number[]) => number): Record<string, number> {
  const keys = new Set(results.flatMap((r) => Object.keys(r.extra ?? {})))
  const out: Record<string, number> = {}
  for (const k of keys) {
    out[k] = pick(results.map((r) => r.extra?.[k]).filter((v): v is number => v !== undefined))
  }
  return out
}

export function summarise(def: RowDef, z: Sizes, results: JobResult[]): SubjectSummary {
  const samples = results.flatMap((r) => r.samples)
  const s: SubjectSummary = {
    n: samples.length,
    median: median(samples),
    p95: quantile(samples, 0.95),
    samples,
  }
  const cpu = results.reduce((a, r) => a + (r.cpuMs ?? 0), 0)
  if (results.some((r) => r.cpuMs !== undefined)) s.cpuMsPerSample = cpu / samples.length
  if (def.kind === 'latency') s.perSecond = 1000 / s.median
  if (def.kind === 'throughput') {
    const items = results[0]?.items ?? 0
    const bytes = results[0]?.bytes ?? def.bytesPerSample?.(z) ?? 0
    s.perSecond = (items * 1000) / s.median
    if (bytes > 0) s.mibPerSecond = (bytes / MiB) * (1000 / s.median)
    const extra = mergeExtra(results, median)
    if (Object.keys(extra).length > 0) s.extra = extra
  }
  if (def.kind === 'memory') {
    s.p95 = Math.max(...samples)
    s.extra = mergeExtra(results, (v) => Math.max(...v))
  }
  return s
}

export function rowSummary(
  def: RowDef,
  subjects: Partial<Record<SubjectName, SubjectSummary>>,
): RowSummary {
  const row: RowSummary = { id: def.id, title: def.title, kind: def.kind, subjects }
  const ours = subjects.ours
  const ratio = (other: SubjectSummary | undefined): number | undefined => {
    if (!ours || !other) return undefined
    if (def.kind === 'throughput') return (ours.perSecond ?? 0) / (other.perSecond ?? 1)
    return ours.median / other.median
  }
  row.oursOverOfficial = ratio(subjects.official)
  row.oursOverRaw = ratio(subjects.raw)
  return row
}

export function checkTargets(row: RowSummary): TargetCheck[] {
  const out: TargetCheck[] = []
  const num = Number(row.id.replace(/[ab]$/, ''))
  if (row.kind === 'latency' && row.oursOverOfficial !== undefined) {
    const v = row.oursOverOfficial
    out.push({ row: row.id, target: 'ours median ≤ official median', value: v, pass: v <= 1 })
  }
  if (row.kind === 'throughput' && row.oursOverOfficial !== undefined) {
    const v = row.oursOverOfficial
    const check: TargetCheck = {
      row: row.id,
      target: 'ours ≥ 1.5 × official',
      value: v,
      pass: v >= 1.5,
    }
    if (row.oursOverRaw !== undefined && row.oursOverRaw > 0) check.ceiling = v / row.oursOverRaw
    out.push(check)
  }
  if ((num === 6 || num === 7) && row.oursOverRaw !== undefined) {
    const v = row.oursOverRaw
    out.push({ row: row.id, target: 'ours ≥ 0.8 × raw', value: v, pass: v >= 0.8 })
  }
  const ours = row.subjects.ours
  if (row.kind === 'memory' && ours?.extra) {
    const retained = ours.extra.retainedGrowthP10toP100MiB ?? Infinity
    out.push({
      row: row.id,
      target: `memory flat (retained after GC, 10→100 % of the read, ≤ +${FLAT_RETAINED_MIB} MiB)`,
      value: retained / FLAT_RETAINED_MIB,
      pass: retained <= FLAT_RETAINED_MIB,
    })
  }
  return out
}

const f = (v: number | undefined, digits = 2): string =>
  v === undefined || !Number.isFinite(v)
    ? '-'
    : v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })
const int = (v: number | undefined): string => f(v, 0)
const pad = (s: string, n: number): string => s.padStart(n)

export function formatRow(row: RowSummary, checks: TargetCheck[]): string {
  const lines: string[] = []
  const n = row.subjects.ours?.n ?? row.subjects.official?.n ?? 0
  lines.push(`── ${row.id} · ${row.title}  [${row.kind}, ${n} samples per subject]`)
  if (row.kind === 'latency') {
    lines.push(
      `  ${'subject'.padEnd(10)}${pad('median ms', 11)}${pad('p95 ms', 10)}${pad('ops/s', 11)}${pad('CPU µs/op', 11)}`,
    )
    for (const name of SUBJECTS) {
      const s = row.subjects[name]
      if (!s) continue
      lines.push(
        `  ${name.padEnd(10)}${pad(f(s.median, 3), 11)}${pad(f(s.p95, 3), 10)}${pad(int(s.perSecond), 11)}${pad(int((s.cpuMsPerSample ?? NaN) * 1000), 11)}`,
      )
    }
  } else if (row.kind === 'throughput') {
    const live = row.id.startsWith('9')
    let head = `  ${'subject'.padEnd(10)}${pad('median ms', 11)}${pad('p95 ms', 10)}${pad('msgs/s', 12)}${pad('MiB/s', 9)}${pad('CPU ms', 9)}`
    if (live) head += `${pad('e2e p50 ms', 12)}${pad('e2e p95 ms', 12)}`
    lines.push(head)
    for (const name of SUBJECTS) {
      const s = row.subjects[name]
      if (!s) continue
      let line = `  ${name.padEnd(10)}${pad(f(s.median, 1), 11)}${pad(f(s.p95, 1), 10)}${pad(int(s.perSecond), 12)}${pad(f(s.mibPerSecond, 1), 9)}${pad(f(s.cpuMsPerSample, 1), 9)}`
      if (live) line += `${pad(f(s.extra?.e2eP50, 1), 12)}${pad(f(s.extra?.e2eP95, 1), 12)}`
      lines.push(line)
    }
  } else {
    lines.push(
      `  ${'subject'.padEnd(10)}${pad('peak RSS +MiB', 14)}${pad('max', 8)}${pad('RSS after GC 50→100%', 22)}${pad('retained 10→100%', 18)}${pad('read ms', 10)}`,
    )
    for (const name of SUBJECTS) {
      const s = row.subjects[name]
      if (!s) continue
      const e = s.extra ?? {}
      lines.push(
        `  ${name.padEnd(10)}${pad(f(s.median, 1), 14)}${pad(f(s.p95, 1), 8)}${pad(f(e.rssAfterGcP50toP100MiB, 1), 22)}${pad(f(e.retainedGrowthP10toP100MiB, 1), 18)}${pad(int(e.readMs), 10)}`,
      )
    }
  }
  const what =
    row.kind === 'throughput'
      ? 'rate ratio, higher is better'
      : `${row.kind === 'latency' ? 'median latency' : 'peak RSS growth'} ratio, lower is better`
  lines.push(
    `  ours/official ${f(row.oursOverOfficial)}×   ours/raw ${f(row.oursOverRaw)}×   (${what})`,
  )
  if (row.id.startsWith('9')) {
    lines.push(
      '  (a reader that keeps up delivers at the writer + server rate; CPU ms is the reader’s own cost)',
    )
  }
  for (const c of checks) {
    lines.push(
      `  target: ${c.target}: ${c.pass ? 'PASS' : 'MISS'} (${f(c.value)})${ceilingNote(c)}`,
    )
  }
  return lines.join('\n')
}

/** For a missed "× official" target that even the raw ceiling misses, says so. */
function ceilingNote(c: TargetCheck): string {
  if (c.pass || c.ceiling === undefined || c.ceiling >= 1.5) return ''
  return `  (raw ceiling: ${c.ceiling.toFixed(3)}× official — unreachable against this server)`
}

export function formatTargets(checks: TargetCheck[]): string {
  const lines = ['── Targets (issue 4)']
  for (const c of checks) {
    lines.push(
      `  ${c.pass ? 'PASS' : 'MISS'}  ${c.row.padEnd(3)} ${c.target.padEnd(64)} ${f(c.value)}${ceilingNote(c)}`,
    )
  }
  const miss = checks.filter((c) => !c.pass).length
  lines.push(`  ${checks.length - miss} PASS, ${miss} MISS`)
  return lines.join('\n')
}
