/**
 * The JSON array splitter behind progressive reads: pieces are whole top-level elements
 * whatever the chunk boundaries (inside strings, escapes, nested values), skipping works, and
 * malformed input is refused.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { JsonArraySplitter } from '../../src-shared/client/json-split.js'

/** Feeds `text` in the given chunk sizes, taking pieces whenever at least `min` chars are ready. */
function run(text: string, sizes: number[], min: number, skip = 0): unknown[][] {
  const s = new JsonArraySplitter(skip, 'test')
  const pieces: unknown[][] = []
  let at = 0
  let k = 0
  while (at < text.length) {
    const n = Math.max(1, sizes[k++ % sizes.length] ?? 1)
    s.push(text.slice(at, at + n))
    at += n
    if (s.readyChars >= min) {
      const p = s.take()!
      const values = JSON.parse(p.text) as unknown[]
      expect(values).toHaveLength(p.count)
      pieces.push(values)
    }
  }
  s.finish()
  const rest = s.take()
  if (rest) {
    const values = JSON.parse(rest.text) as unknown[]
    expect(values).toHaveLength(rest.count)
    pieces.push(values)
  }
  return pieces
}

describe('JsonArraySplitter', () => {
  it('splits at top-level commas only, across awkward chunk boundaries', () => {
    const values = [
      { a: 'x,y]}', b: [1, [2, { c: '"' }]] },
      'quote \\" and backslash \\\\',
      '\\',
      [],
      {},
      null,
      -1.5e3,
      'ünïcødé ✓ 𝄞',
      'line\nbreak',
    ]
    const text = JSON.stringify(values)
    for (const size of [1, 2, 3, 7, 64]) {
      const pieces = run(text, [size], 1)
      expect(pieces.flat()).toEqual(values)
      expect(pieces.length).toBeGreaterThan(1)
    }
  })

  it('treats [] and whitespace-padded arrays as empty or whole', () => {
    expect(run('[]', [1], 1)).toEqual([])
    expect(run('  [ ]  ', [2], 1)).toEqual([])
    expect(run(' [ 1 , 2 ] \n', [3], 1).flat()).toEqual([1, 2])
    expect(run('', [1], 1)).toEqual([])
  })

  it('accepts a byte order mark before the array', () => {
    expect(run('\ufeff[1,2]', [1], 1).flat()).toEqual([1, 2])
  })

  it('hands out a huge single element that arrived in many chunks intact', () => {
    const big = JSON.stringify([{ blob: 'x'.repeat(4 * 1024 * 1024) }, 2])
    const s = new JsonArraySplitter(0, 'test')
    for (let at = 0; at < big.length; at += 16 * 1024) s.push(big.slice(at, at + 16 * 1024))
    s.finish()
    const piece = s.take()!
    expect(piece.count).toBe(2)
    expect(piece.text).toBe(big)
  })

  it('reports skips the array could not satisfy (a shorter retried response)', () => {
    const s = new JsonArraySplitter(5, 'test')
    s.push('[1,2,3]')
    s.finish()
    expect(s.take()).toBeNull()
    expect(s.pendingSkip).toBe(2)
  })

  it('skips the first elements (a resumed response)', () => {
    const values = Array.from({ length: 20 }, (_, i) => ({ i, s: `v${i},]` }))
    expect(run(JSON.stringify(values), [5], 10, 7).flat()).toEqual(values.slice(7))
  })

  it('refuses non-arrays, truncated arrays and trailing data', () => {
    expect(() => run('{"a":1}', [3], 1)).toThrow(/Expected a JSON array of messages from test/)
    expect(() => run('[1,2', [3], 1)).toThrow(/Truncated JSON array from test/)
    expect(() => run('[1] x', [1], 1)).toThrow(/Data after the JSON array/)
    expect(() => run('[1,,2]', [1], 1)).toThrow(/Empty element in the JSON array from test/)
    expect(() => run('[1,]', [1], 1)).toThrow(/Empty element/)
    expect(() => run('[,]', [1], 1)).toThrow(/Empty element/)
    expect(() => run('[1}', [1], 1)).toThrow(/Mismatched `}` closing the JSON array/)
    expect(() => run('[{"a":[1,2]}}', [4], 1)).toThrow(/Mismatched/)
  })

  it('property: any JSON array, any chunking, any piece size, any skip', () => {
    fc.assert(
      fc.property(
        fc.array(fc.jsonValue(), { maxLength: 30 }),
        fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 10 }),
        fc.integer({ min: 1, max: 200 }),
        fc.nat({ max: 35 }),
        (values, sizes, min, skip) => {
          const text = JSON.stringify(values)
          const got = run(text, sizes, min, skip).flat()
          // JSON.stringify turns -0 into 0; compare through the same serialisation.
          expect(JSON.stringify(got)).toBe(JSON.stringify(values.slice(skip)))
        },
      ),
      { numRuns: 300 },
    )
  })
})
