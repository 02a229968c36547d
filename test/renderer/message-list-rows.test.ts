import { describe, expect, it } from 'vitest'
import { preview } from '../../src-renderer/src/components/browser/format.js'
import {
  compactAddress,
  compactOffset,
  curlAt,
  formatSize,
  messageAddress,
  ndjsonLine,
  rowsToDrop,
  trimRows,
} from '../../src-renderer/src/components/browser/list-model.js'

describe('row trimming keeps the rows the list shows', () => {
  it('keeps everything up to the limit', () => {
    expect(rowsToDrop([1, 2, 3], 3, 2)).toEqual([])
  })

  it('drops the rows farthest from the window', () => {
    const rows = new Map(Array.from({ length: 10 }, (_, i) => [i, `r${i}`] as const))
    trimRows(rows, 4, 6.5)
    expect([...rows.keys()].sort((a, b) => a - b)).toEqual([5, 6, 7, 8])
    // Equally far on both sides: the earlier row stays.
    trimRows(rows, 3, 6.5)
    expect([...rows.keys()].sort((a, b) => a - b)).toEqual([5, 6, 7])
  })

  it('following the tail (center = Infinity) keeps the newest rows', () => {
    const rows = new Map([5, 1, 9, 3, 7].map((i) => [i, i] as const))
    trimRows(rows, 2, Infinity)
    expect([...rows.keys()].sort((a, b) => a - b)).toEqual([7, 9])
  })
})

describe('message addresses', () => {
  it('is the batch start offset + the index in the batch', () => {
    expect(messageAddress({ startOffset: '0000000000000000_0000000000000123', inBatch: 4 })).toBe(
      '0000000000000000_0000000000000123+4',
    )
    expect(messageAddress({ startOffset: '-1', inBatch: 0 })).toBe('-1+0')
  })

  it('shows reference-server offsets without their leading zeros', () => {
    expect(compactOffset('0000000000000000_0000000000000123')).toBe('0_123')
    expect(compactOffset('0000000000000002_0000000000000000')).toBe('2_0')
    expect(compactAddress({ startOffset: '0000000000000001_0000000000004096', inBatch: 12 })).toBe(
      '1_4096+12',
    )
    expect(compactAddress({ startOffset: '-1', inBatch: 3 })).toBe('-1+3')
  })

  it('shows the tail of opaque offsets', () => {
    expect(compactOffset('abcdefghijklmnopqrstuvwxyz', 6)).toBe('…uvwxyz')
    expect(compactOffset('short')).toBe('short')
  })
})

describe('body preview', () => {
  it('is one line of JSON', () => {
    expect(preview({ kind: 'json', value: { a: 1, b: [true, null] } })).toBe(
      '{"a":1,"b":[true,null]}',
    )
  })

  it('folds whitespace of text onto one line', () => {
    expect(preview({ kind: 'text', text: 'line 1\n  line 2\t!' })).toBe('line 1 line 2 !')
  })

  it('cuts long bodies with an ellipsis', () => {
    const p = preview({ kind: 'text', text: 'x'.repeat(1000) }, 10)
    expect(p).toBe(`${'x'.repeat(10)}…`)
  })

  it('shows bytes as size, hex and ASCII', () => {
    const base64 = Buffer.from([0x48, 0x69, 0x00, 0xff]).toString('base64')
    expect(preview({ kind: 'bytes', base64, size: 4 })).toBe('4 B · 48 69 00 ff |Hi..|')
  })

  it('sizes read as B, KB, MB', () => {
    expect(formatSize(512)).toBe('512 B')
    expect(formatSize(1536)).toBe('1.5 KB')
    expect(formatSize(3 * 1024 * 1024)).toBe('3.0 MB')
  })
})

describe('row menu copies', () => {
  it('an NDJSON line in the export format', () => {
    const row = { endOffset: '0_9', inBatch: 2 }
    expect(ndjsonLine({ ...row, payload: { kind: 'json', value: { n: 1 } } })).toBe(
      '{"offset":"0_9","index":2,"value":{"n":1}}',
    )
    expect(ndjsonLine({ ...row, payload: { kind: 'text', text: 'hi' } })).toBe(
      '{"offset":"0_9","index":2,"text":"hi"}',
    )
    expect(ndjsonLine({ ...row, payload: { kind: 'bytes', base64: 'AAE=', size: 2 } })).toBe(
      '{"offset":"0_9","index":2,"base64":"AAE="}',
    )
  })

  it('a curl reading from the message batch, keeping the session headers', () => {
    const session =
      `curl -sS -i -N -H 'Authorization: '"\${DSI_AUTHORIZATION}" ` +
      `'http://127.0.0.1:4437/v1/stream/orders?offset=0_99&live=sse'`
    expect(curlAt(session, 'http://127.0.0.1:4437/v1/stream/orders', '0_12')).toBe(
      `curl -sS -i -H 'Authorization: '"\${DSI_AUTHORIZATION}" ` +
        `'http://127.0.0.1:4437/v1/stream/orders?offset=0_12'`,
    )
  })

  it('a curl for a path with a quote stays one shell word', () => {
    const cmd = curlAt(
      `curl -sS -i 'http://h/v1/stream/a?offset=1'`,
      "http://h/v1/stream/it's",
      '-1',
    )
    expect(cmd).toBe(`curl -sS -i 'http://h/v1/stream/it'\\''s?offset=-1'`)
  })
})
