/**
 * Keeps the benchmark harness (bench/) from rotting: one scenario, all three subjects, tiny
 * counts, through the real coordinator, child processes and exactly-once verification.
 */
import { DurableStreamTestServer } from '@durable-streams/server'
import { describe, expect, it } from 'vitest'
import { runBench } from '../bench/bench.js'
import { parseArgs, QUICK } from '../bench/config.js'
import { createStream, RawHttp } from '../bench/lib/http.js'
import { byteMessages, checkByteStream } from '../bench/lib/payloads.js'
import { SUBJECTS } from '../bench/lib/protocol.js'
import { ROW_DEFS } from '../bench/scenarios.js'

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

  it('fails loudly when a producer run left a duplicate on the stream', async () => {
    const server = new DurableStreamTestServer({ port: 0, host: '127.0.0.1' })
    const serverUrl = await server.start()
    const http = new RawHttp(serverUrl)
    try {
      const url = `${serverUrl}/smoke/dup`
      await createStream(http, url, 'application/octet-stream')
      const msgs = byteMessages(3, 100)
      for (const m of [...msgs, msgs[2]!]) {
        await http.request(
          'POST',
          RawHttp.pathOf(url),
          { 'content-type': 'application/octet-stream' },
          m,
        )
      }
      const ctx = { serverUrl, http, sizes: QUICK, runId: 'smoke' }
      const verify = ROW_DEFS['6'].verify!
      await expect(
        verify(ctx, { samples: [1], written: [{ url, count: 3, size: 100 }] }),
      ).rejects.toThrow(/EXACTLY-ONCE VIOLATION.*duplicates/)
      await expect(
        verify(ctx, { samples: [1], written: [{ url, count: 4, size: 100 }] }),
      ).rejects.toThrow(/EXACTLY-ONCE VIOLATION.*message 3 /)
    } finally {
      http.close()
      await server.stop()
    }
  })
})
