/**
 * `dsi produce` on byte/text streams groups stdin lines; a re-run is deduplicated only if the
 * same input always makes the same groups, however stdin happened to be read.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { LineGrouper, type LineGroup } from '../../src-main/cli/line-groups.js'

function groups(input: Buffer, cuts: number[], target: number): LineGroup[] {
  const g = new LineGrouper(target)
  const out: LineGroup[] = []
  let at = 0
  for (const c of [...new Set(cuts.map((x) => x % (input.length + 1)))].sort((a, b) => a - b)) {
    out.push(...g.push(input.subarray(at, c)))
    at = c
  }
  out.push(...g.push(input.subarray(at)), ...g.end())
  return out
}

const text = (gs: LineGroup[]): string[] => gs.map((g) => Buffer.from(g.bytes).toString('latin1'))

describe('LineGrouper', () => {
  it('makes the same groups of whole lines whatever the read sizes, losing no byte', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: fc.constantFrom('a', 'b', '\n'), maxLength: 30 }), {
          maxLength: 40,
        }),
        fc.array(fc.nat(), { maxLength: 8 }),
        fc.integer({ min: 1, max: 24 }),
        (parts, cuts, target) => {
          const input = Buffer.from(parts.join(''), 'latin1')
          const once = groups(input, [], target)
          const split = groups(input, cuts, target)
          expect(text(split)).toEqual(text(once))
          expect(split.map((g) => g.lines)).toEqual(once.map((g) => g.lines))
          expect(text(once).join('')).toBe(input.toString('latin1'))
          const lines =
            input.length === 0
              ? 0
              : input.toString('latin1').split('\n').length - (input.at(-1) === 10 ? 1 : 0)
          expect(once.reduce((n, g) => n + g.lines, 0)).toBe(lines)
          for (const g of text(once).slice(0, -1)) expect(g.endsWith('\n')).toBe(true)
          for (const [i, g] of once.entries())
            if (g.lines > 1) expect(g.bytes.length, `group ${i}`).toBeLessThanOrEqual(target)
        },
      ),
      { numRuns: 500 },
    )
  })

  it('cuts exactly the groups of the rule: whole lines up to target, a longer line alone', () => {
    // The rule spelled out one line at a time (what earlier versions did): groups must not
    // change between versions, or a re-run would no longer be recognised as duplicates.
    const model = (input: string, target: number): string[] => {
      const lines = input.match(/[^\n]*\n|[^\n]+$/g) ?? []
      const out: string[] = []
      let cur = ''
      for (const l of lines) {
        if (cur.length > 0 && cur.length + l.length > target) {
          out.push(cur)
          cur = ''
        }
        cur += l
      }
      if (cur.length > 0) out.push(cur)
      return out
    }
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: fc.constantFrom('a', '\n'), maxLength: 40 }), { maxLength: 30 }),
        fc.array(fc.nat(), { maxLength: 8 }),
        fc.integer({ min: 1, max: 30 }),
        (parts, cuts, target) => {
          const input = parts.join('')
          const got = groups(Buffer.from(input, 'latin1'), cuts, target)
          expect(text(got)).toEqual(model(input, target))
        },
      ),
      { numRuns: 500 },
    )
  })

  it('reading straight into space() makes the same groups; flush() hands over whole lines', () => {
    const input = Buffer.from(
      Array.from({ length: 3000 }, (_, i) => `${i} ${'y'.repeat(i % 97)}\n`).join('') + 'tail',
    )
    const g = new LineGrouper(1000)
    const out: LineGroup[] = []
    for (let at = 0; at < input.length;) {
      const room = g.space()
      const n = input.copy(room, 0, at, Math.min(input.length, at + 7777))
      out.push(...g.commit(n))
      at += n
    }
    out.push(...g.end())
    expect(text(out)).toEqual(text(groups(input, [], 1000)))
    const f = new LineGrouper(1000)
    expect(f.push(Buffer.from('a\nb\nc'))).toEqual([])
    expect(f.pendingLines).toBe(3)
    const flushed = f.flush()!
    expect([Buffer.from(flushed.bytes).toString(), flushed.lines]).toEqual(['a\nb\n', 2])
    expect(f.flush()).toBeUndefined()
    expect(text(f.end())).toEqual(['c'])
  })

  it('reuses the buffer of a recycled group for later input, without changing the groups', () => {
    const g = new LineGrouper(10)
    const first = g.push(Buffer.from('aaaa\nbbbb\ncccc\n'))
    expect(text(first)).toEqual(['aaaa\nbbbb\n'])
    const reused = first[0]!.bytes.buffer
    g.recycle(first[0]!)
    const next = [...g.push(Buffer.from('dddd\neeee\nffff\n')), ...g.end()]
    expect(text(next)).toEqual(['cccc\ndddd\n', 'eeee\nffff\n'])
    expect(next.some((x) => x.bytes.buffer === reused)).toBe(true)
  })
})
