/**
 * Command line and sizes. Full sizes match the upstream client benchmark (ADAPTER-PROTOCOL.md
 * §6) where it defines them; `--quick` keeps every scenario but shrinks counts and rounds.
 */
import { ROWS, SUBJECTS, type RowId, type Sizes, type SubjectName } from './lib/protocol.js'

export interface Options {
  quick: boolean
  rows: RowId[]
  json: string | undefined
  /** Subjects whose children run with `--cpu-prof` (profiles in `profileDir`). */
  profile: SubjectName[]
  profileDir: string
  /** Exit with status 1 when a target is missed (default: only on errors). */
  strict: boolean
  /** Override the number of measured rounds. */
  rounds: number | undefined
}

export const FULL: Sizes = {
  warmupRounds: 1,
  rounds: 5,
  latencyIters: 100,
  latencyWarmup: 20,
  liveIters: 30,
  liveWarmup: 5,
  parkMs: 25,
  smallCount: 100_000,
  smallSize: 100,
  smallRuns: 5,
  largeCount: 50,
  largeSize: 1_048_576,
  largeRuns: 3,
  readCount: 100_000,
  readRuns: 5,
  tailCount: 100_000,
  tailSize: 100,
  tailBatch: 1_000,
  tailRuns: 2,
  memCount: 1_000_000,
  memWindow: 50_000,
}

export const QUICK: Sizes = {
  warmupRounds: 0,
  rounds: 1,
  latencyIters: 40,
  latencyWarmup: 10,
  liveIters: 8,
  liveWarmup: 2,
  parkMs: 20,
  smallCount: 100_000,
  smallSize: 100,
  smallRuns: 3,
  largeCount: 20,
  largeSize: 1_048_576,
  largeRuns: 2,
  readCount: 50_000,
  readRuns: 3,
  tailCount: 50_000,
  tailSize: 100,
  tailBatch: 1_000,
  tailRuns: 2,
  memCount: 300_000,
  memWindow: 30_000,
}

const USAGE = `Usage: npm run bench -- [--quick] [--scenario N]... [--json FILE] [--rounds N]
                       [--profile SUBJECT[,SUBJECT]] [--profile-dir DIR] [--strict]

  --quick         every scenario with fewer rounds and smaller counts (< 60 s on 2 cores)
  --scenario N    run only scenario N (1-10; repeatable or comma-separated; 9 = 9a + 9b)
  --json FILE     also write the results as JSON
  --rounds N      measured rounds per subject (default: 5, quick: 1)
  --profile S     run subject S's children with --cpu-prof (ours, official, raw)
  --profile-dir D where profiles go (default /tmp/bench-notes/prof)
  --strict        exit with status 1 when a target is missed`

function rowsOf(spec: string): RowId[] {
  const out: RowId[] = []
  for (const part of spec.split(',')) {
    const p = part.trim()
    if (p === '9') out.push('9a', '9b')
    else if ((ROWS as readonly string[]).includes(p)) out.push(p as RowId)
    else throw new Error(`Unknown scenario ${JSON.stringify(p)}\n\n${USAGE}`)
  }
  return out
}

export function parseArgs(argv: readonly string[]): Options {
  const o: Options = {
    quick: false,
    rows: [],
    json: undefined,
    profile: [],
    profileDir: '/tmp/bench-notes/prof',
    strict: false,
    rounds: undefined,
  }
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!
    const value = (): string => {
      const v = argv[++i]
      if (v === undefined) throw new Error(`${a} needs a value\n\n${USAGE}`)
      return v
    }
    if (a === '--quick') o.quick = true
    else if (a === '--strict') o.strict = true
    else if (a === '--scenario') o.rows.push(...rowsOf(value()))
    else if (a.startsWith('--scenario=')) o.rows.push(...rowsOf(a.slice(11)))
    else if (a === '--json') o.json = value()
    else if (a === '--rounds') o.rounds = Number(value())
    else if (a === '--profile-dir') o.profileDir = value()
    else if (a === '--profile') {
      for (const s of value().split(',')) {
        if (!(SUBJECTS as readonly string[]).includes(s)) throw new Error(`Unknown subject ${s}`)
        o.profile.push(s as SubjectName)
      }
    } else if (a === '--help' || a === '-h') {
      console.log(USAGE)
      process.exit(0)
    } else throw new Error(`Unknown option ${a}\n\n${USAGE}`)
  }
  if (o.rows.length === 0) o.rows = [...ROWS]
  o.rows = ROWS.filter((r) => o.rows.includes(r))
  if (o.rounds !== undefined && !(Number.isInteger(o.rounds) && o.rounds >= 1)) {
    throw new Error('--rounds must be an integer >= 1')
  }
  return o
}

export function sizesFor(o: Options): Sizes {
  const base = o.quick ? QUICK : FULL
  return o.rounds === undefined ? { ...base } : { ...base, rounds: o.rounds }
}
