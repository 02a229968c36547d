import { describe, expect, it } from 'vitest'
import { IMPORT_MAX_CHARS } from '../contract/transfer.js'
import { closeMessage, frameTooLarge, MAX_CALL_BYTES, MAX_FRAME_BYTES, utf8Length } from './wire.js'

const frame = (content: string): string =>
  JSON.stringify({
    t: 'call',
    id: 123456,
    method: 'transfer.import',
    params: { connectionId: 'c-12345678', path: 'some/stream/path', format: 'raw', content },
  })

describe('WebSocket frame limit', () => {
  it('fits the largest transfer.import the contract accepts in one call (base64 and quote-heavy NDJSON)', () => {
    expect(frameTooLarge(frame('A'.repeat(IMPORT_MAX_CHARS)), MAX_CALL_BYTES)).toBe(false)
    // Every `"` doubles when JSON-escaped: the worst case for ASCII NDJSON.
    expect(frameTooLarge(frame('"'.repeat(IMPORT_MAX_CHARS)), MAX_CALL_BYTES)).toBe(false)
    expect(MAX_CALL_BYTES).toBeGreaterThan(2 * IMPORT_MAX_CHARS)
    // One frame stays small; larger calls travel in parts.
    expect(MAX_FRAME_BYTES).toBeLessThanOrEqual(4 * 1024 * 1024)
  })

  it('flags frames over the limit, counting UTF-8 bytes', () => {
    expect(frameTooLarge('x'.repeat(11), 10)).toBe(true)
    expect(frameTooLarge('x'.repeat(10), 10)).toBe(false)
    expect(frameTooLarge('é'.repeat(6), 10)).toBe(true) // 12 bytes
    expect(frameTooLarge('é'.repeat(5), 10)).toBe(false)
    expect(utf8Length('aé€😀')).toBe(1 + 2 + 3 + 4)
    expect(utf8Length('a\ud800b')).toBe(5) // lone surrogate → 3-byte replacement
  })

  it('explains a 1009 close instead of a bare code', () => {
    expect(closeMessage(1009, '')).toMatch(/larger than 4 MiB.*Reload/)
    expect(closeMessage(1006, '')).toBe('connection closed (code 1006)')
    expect(closeMessage(1000, 'bye')).toBe('bye')
  })
})
