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
})
