import { describe, expect, it } from 'vitest'
import type { MessagePayload } from '../../../src-shared/contract/index.js'
import { compileFilter, FilterSyntaxError, parsePath } from './browse-filter.js'

const json = (value: unknown): MessagePayload => ({ kind: 'json', value })

describe('browse filter', () => {
  it('parses paths with dots, indexes and quoted keys', () => {
    expect(parsePath('$.a.b[2]["x y"]')).toEqual(['a', 'b', 2, 'x y'])
    expect(parsePath('user.id')).toEqual(['user', 'id'])
  })

  it('matches existence, equality, inequality and substring', () => {
    const msgs = [json({ type: 'a', n: 1, u: { id: 7 } }), json({ type: 'b', n: 2 }), json([1])]
    const count = (path: string): number => msgs.filter(compileFilter({ path })).length
    expect(count('u.id')).toBe(1)
    expect(count('$.type == "a"')).toBe(1)
    expect(count('type == b')).toBe(1)
    expect(count('n == 2')).toBe(1)
    expect(count('type != a')).toBe(2)
    expect(count('[0] == 1')).toBe(1)
    expect(count('type ~ A')).toBe(1)
  })

  it('combines text search (case-insensitive) with the path filter', () => {
    const f = compileFilter({ text: 'HELLO', path: 'n' })
    expect(f(json({ msg: 'hello', n: 1 }))).toBe(true)
    expect(f(json({ msg: 'hello' }))).toBe(false)
    expect(compileFilter({ text: 'ab' })({ kind: 'text', text: 'xaby' })).toBe(true)
  })

  it('compares (<, <=, >, >=), finds substrings (contains) and regexes (=~ /re/flags)', () => {
    const msgs = [
      json({ n: 1, name: 'alice', tags: ['x'] }),
      json({ n: 5, name: 'Bob' }),
      json({ n: 10, name: 'ali baba' }),
      json({ name: 'no n' }),
    ]
    const count = (path: string): number => msgs.filter(compileFilter({ path })).length
    expect(count('$.n > 3')).toBe(2)
    expect(count('$.n >= 5')).toBe(2)
    expect(count('$.n < 5')).toBe(1)
    expect(count('$.n <= 5')).toBe(2)
    expect(count('$.name > "b"')).toBe(1) // strings compare as strings: only 'no n' ('B' < 'b')
    expect(count('$.name contains ali')).toBe(2)
    expect(count('$.name =~ /^ali/')).toBe(2)
    expect(count('$.name =~ /^BOB$/i')).toBe(1)
    expect(count('$.tags =~ /"x"/')).toBe(1)
  })

  it('combines conditions with && and || (&& binds tighter; quotes and regexes are kept)', () => {
    const msgs = [
      json({ n: 1, type: 'order' }),
      json({ n: 5, type: 'order' }),
      json({ n: 7, type: 'ping' }),
      json({ n: 9, type: 'a && b' }),
    ]
    const count = (path: string): number => msgs.filter(compileFilter({ path })).length
    expect(count('$.n > 3 && $.type == "order"')).toBe(1)
    expect(count('$.type == ping || $.n < 2')).toBe(2)
    expect(count('$.type == ping || $.n > 3 && $.type == order')).toBe(2)
    expect(count('$.type == "a && b"')).toBe(1)
    expect(count('$.type =~ /a && b|ping/')).toBe(2)
    expect(() => compileFilter({ path: '$.n > 1 &&' })).toThrow(/Empty condition/)
    expect(() => compileFilter({ path: '$.n =~ x' })).toThrow(/between slashes/)
    expect(() => compileFilter({ path: '$.n =~ /(/' })).toThrow(/Invalid regex/)
  })

  it('rejects bad paths with a clear message', () => {
    expect(() => compileFilter({ path: 'a..b' })).toThrow(FilterSyntaxError)
    expect(() => compileFilter({ path: 'a ==' })).toThrow(/Missing value/)
    expect(() => compileFilter({ path: '$' })).toThrow(/empty/)
  })
})

describe('browse filter regexes (review of #15/10)', () => {
  it('a /g or /y flag does not make matches alternate from one message to the next', () => {
    const msgs = [json({ name: 'ab' }), json({ name: 'ab' }), json({ name: 'ab' })]
    for (const path of ['$.name =~ /a/g', '$.name =~ /a/y', '$.name =~ /A/gi']) {
      const f = compileFilter({ path })
      expect(msgs.filter(f).length, path).toBe(3)
    }
  })
})

describe('browse filter operators (review of #15/10)', () => {
  const count = (path: string, msgs: MessagePayload[]): number =>
    msgs.filter(compileFilter({ path })).length

  it("reads JavaScript's === and !== as == and != (not as a value starting with '=')", () => {
    const msgs = [json({ type: 'order' }), json({ type: 'refund' }), json({ type: 'order' })]
    expect(count('$.type === "order"', msgs)).toBe(2)
    expect(count('$.type !== "order"', msgs)).toBe(1)
    expect(count('type===order', msgs)).toBe(2)
  })

  it('refuses an unknown operator such as <== instead of comparing with "= 3"', () => {
    expect(() => compileFilter({ path: '$.n <== 3' })).toThrow(/Unknown operator "<=="/)
    expect(() => compileFilter({ path: '$.n ==== 3' })).toThrow(FilterSyntaxError)
  })

  it('finds the operator outside a quoted key', () => {
    const msgs = [json({ 'a<b': 1, 'x==y': 'q' }), json({ 'a<b': 2 })]
    expect(count('$["a<b"] == 1', msgs)).toBe(1)
    expect(count('$["a<b"] >= 1', msgs)).toBe(2)
    expect(count('$["x==y"]', msgs)).toBe(1)
    expect(count('$["x==y"] contains Q', msgs)).toBe(1)
  })
})
