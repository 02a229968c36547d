/**
 * Pages of one entity type's table: keys in a stable order (natural sort), optionally
 * filtered by key text and/or a value path (the message browser's filter syntax and
 * evaluation, browse-filter.ts, applied to each row's value), with value columns inferred from
 * the values. Also the JSON export of a whole state.
 */
import { collectMatches, compileFilter, type MessagePredicate } from '../reading/browse-filter.js'
import type { MessagePayload } from '../../../src-shared/contract/index.js'
import type { Tables } from './state-log.js'

export interface RowFilter {
  /** Case-insensitive substring of the key or of the value's JSON. */
  text?: string | undefined
  /** A path filter on the value, e.g. `$.status == "open"` or `owner.id > 3`. */
  path?: string | undefined
}

export interface StateRow {
  key: string
  value: unknown
}

export interface StatePage {
  type: string
  from: number
  rows: StateRow[]
  /** Rows in the table (after the filter). */
  total: number
  /** Rows in the table without the filter. */
  unfiltered: number
  /** Top-level fields of object values, in first-seen order (at most 40). */
  columns: string[]
  /** Some values are not objects (shown in a `value` column). */
  scalars: boolean
}

const collator = new Intl.Collator('en', { numeric: true })
const MAX_COLUMNS = 40
const COLUMN_SAMPLE = 500

/** Caches sorted keys and filter results per table, invalidated by versions. */
export class RowIndex {
  private sorted = new Map<string, { version: number; keys: string[] }>()
  private filtered = new Map<string, { version: number; filter: string; keys: string[] }>()
  private columns = new Map<string, { version: number; columns: string[]; scalars: boolean }>()

  /**
   * `keysVersion` changes when keys come or go, `version` on any change; a view that never
   * changes (a state as of a position) passes constants.
   */
  page(
    tables: Tables,
    versions: { keys: number; values: number },
    type: string,
    from: number,
    count: number,
    filter: RowFilter | null,
    /** Every key the type ever had, sorted: then the table's keys are picked from it, unsorted. */
    universe?: (type: string) => readonly string[],
  ): StatePage {
    const table = tables.table(type)
    const keys = this.sortedKeys(table, type, versions.keys, universe)
    const view =
      filter && (filter.text?.trim() || filter.path?.trim())
        ? this.filteredKeys(table, keys, type, versions.values, filter)
        : keys
    const rows: StateRow[] = []
    for (let i = from; i < Math.min(view.length, from + count); i++) {
      const key = view[i]!
      rows.push({ key, value: table.get(key) })
    }
    const cols = this.inferColumns(table, keys, type, versions.keys)
    return {
      type,
      from,
      rows,
      total: view.length,
      unfiltered: keys.length,
      columns: cols.columns,
      scalars: cols.scalars,
    }
  }

  /** Index of `key` in the (unfiltered) sorted table, or -1. */
  indexOf(tables: Tables, versions: { keys: number }, type: string, key: string): number {
    const keys = this.sortedKeys(tables.table(type), type, versions.keys)
    let lo = 0
    let hi = keys.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (collator.compare(keys[mid]!, key) < 0) lo = mid + 1
      else hi = mid
    }
    return keys[lo] === key ? lo : -1
  }

  private sortedKeys(
    table: ReadonlyMap<string, unknown>,
    type: string,
    version: number,
    universe?: (type: string) => readonly string[],
  ): string[] {
    const hit = this.sorted.get(type)
    if (hit && hit.version === version) return hit.keys
    // Picking from a sorted universe is linear; sorting the table costs a collator compare per
    // pair (~15 ms for 10,000 keys), which a jump through time would pay every time.
    const keys = universe
      ? universe(type).filter((k) => table.has(k))
      : [...table.keys()].sort(collator.compare)
    this.sorted.set(type, { version, keys })
    return keys
  }

  private filteredKeys(
    table: ReadonlyMap<string, unknown>,
    keys: string[],
    type: string,
    version: number,
    filter: RowFilter,
  ): string[] {
    const sig = JSON.stringify([filter.text ?? '', filter.path ?? ''])
    const hit = this.filtered.get(type)
    if (hit && hit.version === version && hit.filter === sig) return hit.keys
    const predicate = compileRowFilter(filter)
    const payloads: MessagePayload[] = keys.map((key) => ({
      kind: 'json',
      value: { key, value: table.get(key) },
    }))
    const matches: number[] = []
    collectMatches(predicate, payloads, payloads.length, 0, matches)
    const out = matches.map((i) => keys[i]!)
    this.filtered.set(type, { version, filter: sig, keys: out })
    return out
  }

  private inferColumns(
    table: ReadonlyMap<string, unknown>,
    keys: string[],
    type: string,
    version: number,
  ): { columns: string[]; scalars: boolean } {
    const hit = this.columns.get(type)
    if (hit && hit.version === version) return hit
    const seen = new Set<string>()
    let scalars = false
    for (let i = 0; i < Math.min(keys.length, COLUMN_SAMPLE); i++) {
      const v = table.get(keys[i]!)
      if (v === null || typeof v !== 'object' || Array.isArray(v)) {
        scalars = true
        continue
      }
      for (const f of Object.keys(v)) {
        if (seen.size >= MAX_COLUMNS) break
        seen.add(f)
      }
    }
    const out = { version, columns: [...seen], scalars }
    this.columns.set(type, out)
    return out
  }
}

/** Keys in the order tables list them. */
export function sortKeys(keys: Iterable<string>): string[] {
  return [...keys].sort(collator.compare)
}

/**
 * A row matches when its key or value JSON contains `text`, and its value passes `path`.
 * The path filter is the browser's (compileFilter), run against `{ key, value }` with paths
 * relative to the value: `$.status` means the value's `status`; `$key` is not needed since
 * the text box searches keys.
 */
export function compileRowFilter(filter: RowFilter): MessagePredicate {
  const text = filter.text?.trim().toLowerCase() ?? ''
  const onValue = filter.path?.trim() ? compileFilter({ path: filter.path }) : null
  const predicate: MessagePredicate = (p) => {
    if (p.kind !== 'json') return false
    const row = p.value as StateRow
    if (text) {
      const inKey = row.key.toLowerCase().includes(text)
      if (!inKey && !(JSON.stringify(row.value) ?? '').toLowerCase().includes(text)) return false
    }
    return onValue ? onValue({ kind: 'json', value: row.value }) : true
  }
  if (onValue?.regex !== undefined) predicate.regex = onValue.regex
  return predicate
}

/** `{ "<type>": { "<key>": value, … }, … }`, types and keys in table order (sorted). */
export function exportTables(tables: Tables): Record<string, Record<string, unknown>> {
  // No prototype: a key such as "__proto__" is data here, not an object's prototype.
  const out = Object.create(null) as Record<string, Record<string, unknown>>
  for (const type of [...tables.types()].sort(collator.compare)) {
    const t = tables.table(type)
    const rows = Object.create(null) as Record<string, unknown>
    for (const key of [...t.keys()].sort(collator.compare)) rows[key] = t.get(key)
    out[type] = rows
  }
  return out
}
