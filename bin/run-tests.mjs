#!/usr/bin/env node
/**
 * `npm test`: runs every test runner (vitest, then Playwright e2e) and prints one closing line
 * `N passed, N failed[, N skipped]` summing all of them. Exits non-zero if anything failed or a
 * runner could not report.
 *
 * Flags: --unit (vitest only), --e2e (Playwright only).
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const outDir = join(root, 'test-results')
mkdirSync(outDir, { recursive: true })
const args = new Set(process.argv.slice(2))
const runUnit = !args.has('--e2e')
const runE2e = !args.has('--unit')
const bin = (name) => join(root, 'node_modules', '.bin', name)

const totals = { passed: 0, failed: 0, skipped: 0 }
const problems = []

function run(label, cmd, cmdArgs, env = {}) {
  console.log(`\n=== ${label}: ${[cmd, ...cmdArgs].join(' ')}`)
  const r = spawnSync(cmd, cmdArgs, {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, ...env },
  })
  if (r.error) problems.push(`${label} could not start: ${r.error.message}`)
  return r.status ?? 1
}

function readJson(file) {
  if (!existsSync(file)) return undefined
  try {
    return JSON.parse(readFileSync(file, 'utf8'))
  } catch (err) {
    problems.push(`cannot parse ${file}: ${err.message}`)
    return undefined
  }
}

if (runUnit) {
  const file = join(outDir, 'vitest.json')
  rmSync(file, { force: true })
  const code = run('vitest', bin('vitest'), [
    'run',
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${file}`,
  ])
  const report = readJson(file)
  if (!report) problems.push(`vitest wrote no report (exit ${code})`)
  else {
    totals.passed += report.numPassedTests ?? 0
    totals.failed += report.numFailedTests ?? 0
    totals.skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0)
    // Suites that failed to load count as failures even when no test inside ran.
    const brokenSuites = (report.testResults ?? []).filter(
      (s) =>
        s.status === 'failed' && (s.assertionResults ?? []).every((a) => a.status !== 'failed'),
    ).length
    totals.failed += brokenSuites
    if (code !== 0 && report.numFailedTests === 0 && brokenSuites === 0) {
      problems.push(`vitest exited ${code}`)
    }
  }
}

if (runE2e) {
  const file = join(outDir, 'playwright.json')
  rmSync(file, { force: true })
  const code = run('playwright', bin('playwright'), ['test', '--reporter=list,json'], {
    PLAYWRIGHT_JSON_OUTPUT_FILE: file,
  })
  const report = readJson(file)
  if (!report) problems.push(`playwright wrote no report (exit ${code})`)
  else {
    const s = report.stats ?? {}
    totals.passed += (s.expected ?? 0) + (s.flaky ?? 0)
    totals.failed += s.unexpected ?? 0
    totals.skipped += s.skipped ?? 0
    for (const e of report.errors ?? [])
      problems.push(`playwright: ${e.message ?? JSON.stringify(e)}`)
    if (code !== 0 && (s.unexpected ?? 0) === 0) problems.push(`playwright exited ${code}`)
  }
}

for (const p of problems) console.error(`run-tests: ${p}`)
const failed = totals.failed + problems.length
const skipped = totals.skipped > 0 ? `, ${totals.skipped} skipped` : ''
console.log(`\n${totals.passed} passed, ${failed} failed${skipped}`)
process.exit(failed > 0 ? 1 : 0)
