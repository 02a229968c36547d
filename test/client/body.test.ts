/**
 * Unit tests of append body encoding (JSON mode wrapping, bytes, text), batch encoding,
 * UTF-8 length, and content-type classification.
 */
import { describe, expect, it } from 'vitest'
import { InvalidArgumentError, isJsonContentType } from '../../src-shared/client/index.js'
import {
  concatBytes,
  byteLengthUtf8,
  encodeBatch,
  encodeBody,
  jsonMessage,
} from '../../src-shared/client/body.js'
import { isTextContentType } from '../../src-shared/client/protocol.js'

const enc = new TextEncoder()
const dec = new TextDecoder()
const text = (b: Uint8Array | string): string => (typeof b === 'string' ? b : dec.decode(b))

describe('encodeBody (JSON streams)', () => {
  it('wraps one value in a one-element array (PROTOCOL.md §9.1.2)', () => {
    expect(encodeBody({ a: 1 }, true)).toBe('[{"a":1}]')
    expect(encodeBody('s', true)).toBe('["s"]')
    expect(encodeBody(0, true)).toBe('[0]')
    expect(encodeBody(null, true)).toBe('[null]')
    expect(encodeBody(false, true)).toBe('[false]')
  })

  it('wraps an array value so that it stays one message', () => {
    expect(encodeBody([1, 2], true)).toBe('[[1,2]]')
    expect(encodeBody([], true)).toBe('[[]]')
  })

  it('sends bytes verbatim as pre-serialised JSON', () => {
    const raw = enc.encode('[{"a":1},{"a":2}]')
    expect(encodeBody(raw, true)).toBe(raw)
    const view = new DataView(enc.encode('xx[1]').buffer, 2, 3)
    expect(text(encodeBody(view, true))).toBe('[1]')
    expect(text(encodeBody(enc.encode('[2]').buffer, true))).toBe('[2]')
  })

  it.each([
    ['undefined', undefined],
    ['a function', () => 1],
    ['a symbol', Symbol('s')],
    ['a bigint', 10n],
  ])('rejects %s with InvalidArgumentError naming the field', (_label, v) => {
    let caught: unknown
    try {
      encodeBody(v, true, 'body')
    } catch (err) {
      caught = err
    }
    expect(caught).toBeInstanceOf(InvalidArgumentError)
    expect((caught as InvalidArgumentError).field).toBe('body')
    expect((caught as Error).message).toContain('body')
  })

  it('rejects cyclic values', () => {
    const cyclic: Record<string, unknown> = {}
    cyclic.self = cyclic
    expect(() => encodeBody(cyclic, true)).toThrow(InvalidArgumentError)
  })
})

describe('encodeBody (byte and text streams)', () => {
  it('sends strings and bytes as they are', () => {
    expect(encodeBody('héllo', false)).toBe('héllo')
    const b = new Uint8Array([0, 1, 255])
    expect(encodeBody(b, false)).toBe(b)
    expect([...(encodeBody(new Uint16Array([0x0102]), false) as Uint8Array)]).toEqual([2, 1])
  })

  it.each([
    ['a number', 5],
    ['an object', { a: 1 }],
    ['null', null],
    ['undefined', undefined],
  ])('rejects %s', (label, v) => {
    expect(() => encodeBody(v, false)).toThrow(InvalidArgumentError)
    expect(() => encodeBody(v, false)).toThrow(`got ${label === 'null' ? 'null' : typeof v}`)
  })
})

describe('encodeBatch', () => {
  it('joins JSON messages into one array', () => {
    expect(encodeBatch([{ a: 1 }, [1, 2], 'x', null], true)).toBe('[{"a":1},[1,2],"x",null]')
    expect(encodeBatch([1], true)).toBe('[1]')
  })

  it('concatenates strings and bytes for byte streams', () => {
    const out = encodeBatch(['ab', new Uint8Array([0xff]), 'é'], false)
    expect([...(out as Uint8Array)]).toEqual([0x61, 0x62, 0xff, 0xc3, 0xa9])
    expect(encodeBatch(['only'], false)).toBe('only')
  })

  it('rejects an unencodable item', () => {
    expect(() => encodeBatch([1, undefined], true)).toThrow(InvalidArgumentError)
    expect(() => encodeBatch(['a', 1], false)).toThrow(InvalidArgumentError)
  })
})

describe('lengths', () => {
  it.each(['', 'abc', 'é', '€', '😀', 'a😀é€', '\u2028', 'x'.repeat(1000)])(
    'byteLengthUtf8(%j) equals the encoded length',
    (s) => {
      expect(byteLengthUtf8(s)).toBe(enc.encode(s).length)
    },
  )

  it('counts a lone surrogate like TextEncoder (3 bytes, U+FFFD)', () => {
    expect(byteLengthUtf8('\ud800')).toBe(enc.encode('\ud800').length)
    expect(byteLengthUtf8('a\udc00')).toBe(enc.encode('a\udc00').length)
  })

  it('concatBytes joins parts in order and returns a lone part as is', () => {
    const one = new Uint8Array([1])
    expect(concatBytes([one])).toBe(one)
    expect([...concatBytes([one, new Uint8Array([2, 3]), new Uint8Array(0)])]).toEqual([1, 2, 3])
  })

  it('jsonMessage returns the JSON text of one message', () => {
    expect(jsonMessage({ b: [1, 'x'] })).toBe('{"b":[1,"x"]}')
    expect(() => jsonMessage(undefined, 'data')).toThrow('data')
  })
})

describe('content types', () => {
  it('recognises JSON mode with parameters and any case', () => {
    expect(isJsonContentType('application/json')).toBe(true)
    expect(isJsonContentType('Application/JSON; charset=utf-8')).toBe(true)
    expect(isJsonContentType(' application/json ')).toBe(true)
    expect(isJsonContentType('application/jsonl')).toBe(false)
    expect(isJsonContentType('application/ndjson')).toBe(false)
    expect(isJsonContentType('text/json')).toBe(false)
    expect(isJsonContentType('')).toBe(false)
    expect(isJsonContentType(undefined)).toBe(false)
    expect(isJsonContentType(null)).toBe(false)
  })

  it('recognises text/*', () => {
    expect(isTextContentType('text/plain')).toBe(true)
    expect(isTextContentType('TEXT/markdown; charset=utf-8')).toBe(true)
    expect(isTextContentType('application/json')).toBe(false)
    expect(isTextContentType('application/octet-stream')).toBe(false)
    expect(isTextContentType(undefined)).toBe(false)
  })
})
