import { describe, expect, it } from 'vitest'
import type { MessagePayload } from '../../../src-shared/contract/index.js'
import { BatchIndex, estimateBytes } from './browse-index.js'

const MiB = 1024 * 1024
const chunk = (): MessagePayload[] => [{ kind: 'bytes', base64: 'A'.repeat(MiB), size: 0.75 * MiB }]

describe('BatchIndex cache budget', () => {
  it('evicts by estimated bytes, not only by message count', () => {
    // A message budget this large would keep everything; the byte budget keeps ~4 batches.
    const index = new BatchIndex(1_200_000, 9 * MiB)
    for (let i = 0; i < 20; i++) index.add(`${i}`, `${i + 1}`, chunk(), Date.now(), 'catch-up')
    expect(index.total).toBe(20)
    expect(index.cachedByteCount()).toBeLessThanOrEqual(9 * MiB)
    expect(index.cachedCount()).toBe(4)
    expect(index.peek(19)).not.toBeNull() // newest kept
    expect(index.peek(0)).toBeNull() // oldest evicted (re-read by offset when needed)
  })

  it('keeps the newest batch even when it alone is over budget', () => {
    const index = new BatchIndex(10, 1024)
    index.add('-1', '1', chunk(), Date.now(), 'catch-up')
    expect(index.peek(0)).not.toBeNull()
    index.add('1', '2', chunk(), Date.now(), 'catch-up')
    expect(index.peek(0)).toBeNull()
    expect(index.peek(1)).not.toBeNull()
  })

  it('estimates strings at two bytes per unit', () => {
    expect(estimateBytes({ kind: 'text', text: 'abcd' })).toBe(64 + 8)
    expect(estimateBytes({ kind: 'json', value: { a: 1 } })).toBe(64)
  })
})
