/**
 * Keeps the benchmark harness (bench/) from rotting: one scenario, all three subjects, tiny
 * counts, through the real coordinator, child processes and exactly-once verification.
 */
import { describe, expect, it } from 'vitest'
import { runBench } from '../bench/bench.js'
import { parseArgs, QUICK } from '../bench/config.js'
import { byteMessages, checkByteStream } from '../bench/lib/payloads.js'
import { SUBJECTS } from '../bench/lib/protocol.js'

describe('benchmark harness', () => {
  it('runs the producer scenario for ours, official and raw and verifies exactly-once', async () => {
    const options = parseArgs(['--scenario', '6'])
    const sizes = { ...QUICK, warmupRounds: 0, rounds: 1, smallCount: 2_000, smallRuns: 1 }
    const printed: string[] = []
    const report = await runBench(options, sizes, { print: (t) => printed.push(t) })

    expect(report.rows.map((r) => r.id)).toEqual(['6'])
    const row = report.rows[0]!
    for (const s of SUBJECTS) {
      expect(row.subjects[s]?.n).toBe(1)
      expect(row.subjects[s]?.perSecond).toBeGreaterThan(0)
    }
    expect(row.oursOverOfficial).toBeGreaterThan(0)
    expect(report.targets.map((t) => t.target)).toEqual([
      'ours ≥ 1.5 × official',
      'ours ≥ 0.8 × raw',
    ])
    const text = printed.join('\n')
    expect(text).toContain('Machine:')
    expect(text).toMatch(/(PASS|MISS) {2}6 /)
  }, 20_000)

  it('the exactly-once check rejects duplicates, losses and reordering', () => {
    const msgs = byteMessages(5, 20)
    const join = (parts: Uint8Array[]): Uint8Array => Buffer.concat(parts)
    expect(checkByteStream(join(msgs), 5, 20)).toBeUndefined()
    expect(checkByteStream(join([...msgs, msgs[4]!]), 5, 20)).toMatch(/duplicates/)
    expect(checkByteStream(join(msgs.slice(0, 4)), 5, 20)).toMatch(/lost/)
    expect(
      checkByteStream(join([msgs[0]!, msgs[2]!, msgs[1]!, msgs[3]!, msgs[4]!]), 5, 20),
    ).toMatch(/message 1 /)
  })
})
