/**
 * Client-side search over messages: a case-insensitive text substring, and/or a JSON path
 * filter such as `type`, `$.user.id == 7`, `items[0].name ~ ali`, `status != "done"`.
 *
 * Path filter grammar: `<path> [<op> <value>]` where op is `==`, `!=`, `~` or `contains`
 * (substring), `<`, `<=`, `>`, `>=` (numbers, else strings), or `=~ /regex/flags`; a bare path
 * matches when the field exists. Values are JSON literals, or bare words as strings. Conditions
 * combine with `&&` and `||` (`&&` binds tighter), e.g. `$.n > 3 && $.type == "order"`.
 *
 * Hand-written rather than a JSONPath/JMESPath library: this `path op value` syntax is what the
 * app and the CLI already accept, and neither kind of library reads it (JSONPath filters are
 * `$[?(@.a == 1)]`, JMESPath literals are backquoted), so one would need a translating parser
 * on top anyway.
 */
import { Script, createContext } from 'node:vm'
import type { MessagePayload } from '../../../src-shared/contract/index.js'
import type { BrowseFilter } from '../../../src-shared/contract/index.js'
import { errorMessage } from '../../../src-shared/error-message.js'

export class FilterSyntaxError extends Error {
  readonly code = 'INVALID_ARGUMENT'
  readonly field = 'filter.path'
  constructor(message: string) {
    super(message)
    this.name = 'InvalidArgumentError'
  }
}

type Step = string | number
interface PathFilter {
  steps: Step[]
  op: 'exists' | '==' | '!=' | '~' | '<' | '<=' | '>' | '>=' | '=~'
  value: unknown
}

/** Conditions joined by `&&` (all), the groups by `||` (any). */
type FilterExpr = PathFilter[][]

/** `regex`: the filter runs a user regex, which can backtrack for ever (see `collectMatches`). */
export type MessagePredicate = ((p: MessagePayload) => boolean) & { regex?: string }

/** How long one run of a regex filter over a batch of messages may take. */
export const REGEX_BUDGET_MS = 2_000

export function parsePath(raw: string): Step[] {
  let s = raw.trim()
  if (s.startsWith('$')) s = s.slice(1)
  const steps: Step[] = []
  const re = /\.?([A-Za-z_$][\w$-]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/y
  let pos = 0
  while (pos < s.length) {
    re.lastIndex = pos
    const m = re.exec(s)
    if (!m) {
      throw new FilterSyntaxError(
        `Invalid JSON path near "${s.slice(pos)}": use fields like a.b, [0] or ["key"]`,
      )
    }
    if (m[1] !== undefined) steps.push(m[1])
    else if (m[2] !== undefined) steps.push(Number(m[2]))
    else if (m[3] !== undefined) steps.push(JSON.parse(m[3]) as string)
    pos = re.lastIndex
  }
  if (steps.length === 0) throw new FilterSyntaxError('JSON path is empty: try e.g. $.type')
  return steps
}

function parseValue(raw: string): unknown {
  const t = raw.trim()
  if (t === '') throw new FilterSyntaxError('Missing value after the operator')
  try {
    return JSON.parse(t) as unknown
  } catch {
    return t // bare word: compare as a string
  }
}

const OPERATOR = /\s*(===|!==|==|!=|=~|<=|>=|<|>|~|\scontains\s)\s*/y

/** `<path> [<op> <value>]`; the operator is the first one outside a quoted key (`$["a<b"]`). */
export function parsePathFilter(raw: string): PathFilter {
  let quoted = false
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]
    if (quoted) {
      if (c === '\\') i++
      else if (c === '"') quoted = false
      continue
    }
    if (c === '"') {
      quoted = true
      continue
    }
    OPERATOR.lastIndex = i
    const m = OPERATOR.exec(raw)
    if (!m) continue
    const word = m[1]?.trim() ?? ''
    // JavaScript's === and !== mean what == and != mean here.
    const op = (
      word === 'contains' ? '~' : word === '===' ? '==' : word === '!==' ? '!=' : word
    ) as PathFilter['op']
    const rest = raw.slice(OPERATOR.lastIndex)
    if (op !== '~' && rest.startsWith('=')) {
      throw new FilterSyntaxError(
        `Unknown operator "${word}=": use ==, !=, <, <=, >, >=, ~, contains or =~ /regex/`,
      )
    }
    return {
      steps: parsePath(raw.slice(0, i)),
      op,
      value: op === '=~' ? parseRegex(rest) : parseValue(rest),
    }
  }
  return { steps: parsePath(raw), op: 'exists', value: undefined }
}

function parseRegex(raw: string): RegExp {
  const m = /^\/(.*)\/([a-z]*)$/s.exec(raw.trim())
  if (!m) throw new FilterSyntaxError('A regex goes between slashes: $.name =~ /^ali/i')
  try {
    // g and y make RegExp.test stateful (lastIndex carries over to the next message, so
    // matches would alternate); a match test has no use for them.
    return new RegExp(m[1] ?? '', (m[2] ?? '').replace(/[gy]/g, ''))
  } catch (err) {
    throw new FilterSyntaxError(`Invalid regex: ${errorMessage(err)}`)
  }
}

/** Splits on `sep` outside double quotes and /regex/ literals. */
function splitTop(raw: string, sep: '&&' | '||'): string[] {
  const parts: string[] = []
  let quote: '"' | '/' | null = null
  let start = 0
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]
    if (quote) {
      if (c === '\\') i++
      else if (c === quote) quote = null
    } else if (c === '"') quote = '"'
    else if (c === '/' && /=~\s*$/.test(raw.slice(0, i))) quote = '/'
    else if (raw.startsWith(sep, i)) {
      parts.push(raw.slice(start, i))
      start = i + sep.length
      i += sep.length - 1
    }
  }
  parts.push(raw.slice(start))
  return parts
}

/** `a && b || c`: a list of `&&` groups, any of which may match. */
export function parseFilterExpr(raw: string): FilterExpr {
  return splitTop(raw, '||').map((any) =>
    splitTop(any, '&&').map((one) => {
      if (!one.trim()) throw new FilterSyntaxError('Empty condition next to && or ||')
      return parsePathFilter(one.trim())
    }),
  )
}

const MISSING = Symbol('missing')

function lookup(value: unknown, steps: Step[]): unknown {
  let cur: unknown = value
  for (const step of steps) {
    if (cur === null || typeof cur !== 'object') return MISSING
    const obj = cur as Record<string | number, unknown>
    if (!(step in obj)) return MISSING
    cur = obj[step]
  }
  return cur
}

function equal(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (typeof a === 'object' || typeof b === 'object') return JSON.stringify(a) === JSON.stringify(b)
  return scalarText(a) === scalarText(b)
}

/** What String() gives for a value that is not an object (so 1 equals '1'). */
function scalarText(v: unknown): string {
  switch (typeof v) {
    case 'string':
      return v
    case 'number':
    case 'boolean':
    case 'bigint':
    case 'symbol':
    case 'function':
      return v.toString()
    default:
      return 'undefined'
  }
}

/** Text of a message as searched (JSON serialized, text as is, bytes as latin-1). */
export function searchText(p: MessagePayload): string {
  switch (p.kind) {
    case 'json':
      return JSON.stringify(p.value) ?? ''
    case 'text':
      return p.text
    case 'bytes':
      return Buffer.from(p.base64, 'base64').toString('latin1')
  }
}

/** Compiles a filter; throws FilterSyntaxError with a message for the user on bad syntax. */
export function compileFilter(filter: BrowseFilter): MessagePredicate {
  const text = filter.text?.trim().toLowerCase() ?? ''
  const expr = filter.path?.trim() ? parseFilterExpr(filter.path) : null
  const predicate: MessagePredicate = (p) => {
    if (text && !searchText(p).toLowerCase().includes(text)) return false
    if (!expr) return true
    if (p.kind !== 'json') return false
    const value = p.value
    return expr.some((all) => all.every((f) => test(value, f)))
  }
  const regex = expr?.flat().find((f) => f.op === '=~')
  if (regex) predicate.regex = String(regex.value)
  return predicate
}

const guardedLoop = new Script(
  'for (let i = 0; i < n; i++) if (predicate(msgs[i])) into.push(base + i)',
)

/**
 * Pushes `base + i` for each of `msgs[0..n)` that matches. A regex filter runs under a time
 * budget: a regex such as /^(a+)+$/ can backtrack for minutes on one message, which would
 * freeze the process (the app's main side, or the web host) with no way to stop it; node:vm's
 * timeout interrupts it and the search fails with a message saying so.
 */
export function collectMatches(
  predicate: MessagePredicate,
  msgs: readonly MessagePayload[],
  n: number,
  base: number,
  into: number[],
  budgetMs = REGEX_BUDGET_MS,
): void {
  if (predicate.regex === undefined) {
    for (let i = 0; i < n; i++) if (predicate(msgs[i]!)) into.push(base + i)
    return
  }
  const found: number[] = []
  try {
    guardedLoop.runInContext(createContext({ predicate, msgs, n, base, into: found }), {
      timeout: budgetMs,
    })
  } catch (err) {
    if ((err as { code?: unknown }).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') {
      throw new FilterSyntaxError(
        `The regex ${predicate.regex} took over ${budgetMs / 1000} s on ${n} messages and was stopped: it backtracks too much (nested repeats such as (a+)+ do). Simplify it.`,
      )
    }
    throw err
  }
  for (const i of found) into.push(i)
}

function test(value: unknown, path: PathFilter): boolean {
  {
    const v = lookup(value, path.steps)
    switch (path.op) {
      case 'exists':
        return v !== MISSING
      case '==':
        return v !== MISSING && equal(v, path.value)
      case '!=':
        return v === MISSING || !equal(v, path.value)
      case '~': {
        if (v === MISSING) return false
        const hay = typeof v === 'string' ? v : JSON.stringify(v)
        return hay.toLowerCase().includes(String(path.value).toLowerCase())
      }
      case '=~': {
        if (v === MISSING) return false
        return (path.value as RegExp).test(typeof v === 'string' ? v : JSON.stringify(v))
      }
      case '<':
      case '<=':
      case '>':
      case '>=': {
        if (v === MISSING || v === null || typeof v === 'object') return false
        const c = compare(v, path.value)
        if (c === null) return false
        return path.op === '<'
          ? c < 0
          : path.op === '<='
            ? c <= 0
            : path.op === '>'
              ? c > 0
              : c >= 0
      }
    }
  }
}

/** Numbers as numbers, else strings as strings; null when they do not compare. */
function compare(a: unknown, b: unknown): number | null {
  if (typeof a === 'number' && typeof b === 'number') return a - b
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0
  return null
}
