/**
 * A small structural diff between two JSON values: the paths added, removed and changed.
 *
 * Written here rather than taken from a library: none is installed (only fast-deep-equal,
 * transitively, which answers yes/no), and the key history needs just this flat list of paths
 * in the same `$.a.b[0]` syntax the row filter accepts, so a path from a diff can be pasted
 * into the filter. Arrays are compared index by index (no move detection: a history of one
 * key shows what the stream wrote, not an edit script).
 */

export interface DiffEntry {
  kind: 'added' | 'removed' | 'changed'
  /** `$` for the value itself, else `$.a.b[0]` / `$["odd key"]`. */
  path: string
  before?: unknown
  after?: unknown
}

/** At most this many entries per diff; `truncated` says when more differed. */
export const MAX_DIFF_ENTRIES = 200

export interface JsonDiff {
  entries: DiffEntry[]
  truncated: boolean
}

const IDENT = /^[A-Za-z_$][\w$-]*$/

function child(path: string, step: string | number): string {
  if (typeof step === 'number') return `${path}[${step}]`
  return IDENT.test(step) ? `${path}.${step}` : `${path}[${JSON.stringify(step)}]`
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v)
}

export function diffJson(before: unknown, after: unknown, max = MAX_DIFF_ENTRIES): JsonDiff {
  const entries: DiffEntry[] = []
  let truncated = false
  const push = (e: DiffEntry): boolean => {
    if (entries.length >= max) {
      truncated = true
      return false
    }
    entries.push(e)
    return true
  }
  const walk = (a: unknown, b: unknown, path: string): boolean => {
    if (a === b) return true
    if (Array.isArray(a) && Array.isArray(b)) {
      const n = Math.max(a.length, b.length)
      for (let i = 0; i < n; i++) {
        const p = child(path, i)
        const ok =
          i >= a.length
            ? push({ kind: 'added', path: p, after: b[i] })
            : i >= b.length
              ? push({ kind: 'removed', path: p, before: a[i] })
              : walk(a[i], b[i], p)
        if (!ok) return false
      }
      return true
    }
    if (isObject(a) && isObject(b)) {
      for (const k of Object.keys(a)) {
        const p = child(path, k)
        const ok = Object.hasOwn(b, k)
          ? walk(a[k], b[k], p)
          : push({ kind: 'removed', path: p, before: a[k] })
        if (!ok) return false
      }
      for (const k of Object.keys(b)) {
        if (Object.hasOwn(a, k)) continue
        if (!push({ kind: 'added', path: child(path, k), after: b[k] })) return false
      }
      return true
    }
    // Different kinds (object vs array vs scalar) or different scalars.
    if (a === undefined) return push({ kind: 'added', path, after: b })
    if (b === undefined) return push({ kind: 'removed', path, before: a })
    return push({ kind: 'changed', path, before: a, after: b })
  }
  walk(before, after, '$')
  return { entries, truncated }
}
