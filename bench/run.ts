/**
 * `npm run bench [-- --quick] [--scenario N] [--json FILE]`: see bench/config.ts for options
 * and bench/bench.ts for what runs.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { runBench } from './bench.js'
import { parseArgs, sizesFor } from './config.js'

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2))
  if (o.profile.length > 0) mkdirSync(o.profileDir, { recursive: true })
  const report = await runBench(o, sizesFor(o))
  if (o.json) {
    writeFileSync(o.json, JSON.stringify(report, null, 2) + '\n')
    console.log(`JSON written to ${o.json}`)
  }
  if (o.strict && report.targets.some((t) => !t.pass)) process.exitCode = 1
}

main().catch((err: unknown) => {
  console.error(`\nBENCHMARK FAILED: ${(err as Error)?.stack ?? String(err)}`)
  process.exit(1)
})
