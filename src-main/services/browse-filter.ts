/**
 * Client-side search over messages: a case-insensitive text substring, and/or a JSON path
 * filter such as `type`, `$.user.id == 7`, `items[0].name ~ ali`, `status != "done"`.
 *
 * Path filter grammar: `<path> [<op> <value>]` where op is `==`, `!=` or `~` (substring); a
 * bare path matches when the field exists. Values are JSON literals, or bare words as strings.
 */
import type { MessagePayload } from '../../src-shared/ipc/contract.js'
import type { BrowseFilter } from '../../src-shared/ipc/contract-browse.js'

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
  op: 'exists' | '==' | '!=' | '~'
  value: unknown
}

export type MessagePredicate = (p: MessagePayload) => boolean

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

export function parsePathFilter(raw: string): PathFilter {
  const m = /^(.*?)\s*(==|!=|~)\s*(.*)$/.exec(raw)
  if (!m) return { steps: parsePath(raw), op: 'exists', value: undefined }
  return {
    steps: parsePath(m[1] ?? ''),
    op: m[2] as PathFilter['op'],
    value: parseValue(m[3] ?? ''),
  }
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
  return String(a) === String(b)
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
  const path = filter.path?.trim() ? parsePathFilter(filter.path) : null
  return (p) => {
    if (text && !searchText(p).toLowerCase().includes(text)) return false
    if (!path) return true
    if (p.kind !== 'json') return false
    const v = lookup(p.value, path.steps)
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
    }
  }
}
