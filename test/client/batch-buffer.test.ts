/** The producer's request-body buffer: exact UTF-8 bytes, growth, zero-copy single chunks. */
import fc from 'fast-check'
import { expect, it } from 'vitest'
import { BatchBuffer } from '../../src-shared/client/batch-buffer.js'

const enc = new TextEncoder()

it('holds exactly the UTF-8 encoding of what was appended, whatever the capacity', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 64 }),
      fc.array(
        fc.oneof(fc.string({ unit: 'grapheme', maxLength: 40 }), fc.uint8Array({ maxLength: 40 })),
        {
          maxLength: 30,
        },
      ),
      (capacity, parts) => {
        const b = new BatchBuffer(capacity)
        const expected: number[] = []
        for (const p of parts) {
          if (typeof p === 'string') {
            b.appendString(p)
            expected.push(...enc.encode(p))
          } else {
            b.appendBytes(p)
            expected.push(...p)
          }
        }
        expect(b.length).toBe(expected.length)
        expect([...b.bytes()]).toEqual(expected)
      },
    ),
  )
})

it('keeps a lone byte chunk by reference and copies once a second part arrives', () => {
  const chunk = new Uint8Array([1, 2, 3])
  const b = new BatchBuffer(4)
  b.appendBytes(chunk)
  expect(b.bytes()).toBe(chunk)
  b.appendByte(4)
  expect(b.bytes()).not.toBe(chunk)
  expect([...b.bytes()]).toEqual([1, 2, 3, 4])
})

it('encodes surrogate pairs split at the buffer edge correctly', () => {
  const b = new BatchBuffer(2)
  b.appendString('a😀b')
  expect(new TextDecoder().decode(b.bytes())).toBe('a😀b')
})
