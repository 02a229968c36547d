/**
 * Dynamic headers and query parameters (`set-dynamic-header` / `set-dynamic-param`).
 *
 * A value is `counter` (advanced once per append/read command; the first use is "1"),
 * `token` (a fixed string until set again) or `timestamp` (ms since the epoch). The adapter
 * computes one snapshot per append/read command; the client receives the values through
 * function-valued headers and params, which it evaluates before every request.
 */
import type { DynamicKind } from './types.js'

interface Entry {
  kind: DynamicKind
  counter: number
  token: string
}

function valueOf(e: Entry): string {
  switch (e.kind) {
    case 'counter':
      return String(e.counter)
    case 'timestamp':
      return String(Date.now())
    case 'token':
      return e.token
  }
}

/** What one command sends: header and param values by their registered names. */
export interface DynamicSnapshot {
  headers: Record<string, string>
  params: Record<string, string>
}

export class DynamicValues {
  private readonly headers = new Map<string, Entry>()
  private readonly params = new Map<string, Entry>()
  private current: DynamicSnapshot = { headers: {}, params: {} }

  setHeader(name: string, kind: DynamicKind, initialValue?: string): void {
    this.headers.set(name, { kind, counter: 0, token: initialValue ?? '' })
    delete this.current.headers[name]
  }

  setParam(name: string, kind: DynamicKind, initialValue?: string): void {
    this.params.set(name, { kind, counter: 0, token: initialValue ?? '' })
    delete this.current.params[name]
  }

  clear(): void {
    this.headers.clear()
    this.params.clear()
    this.current = { headers: {}, params: {} }
  }

  /** Names of the registered params (the client is rebuilt when this set changes). */
  paramNames(): string[] {
    return [...this.params.keys()]
  }

  /** Advances counters and fixes the values of the next append/read command. */
  next(): DynamicSnapshot {
    const snap: DynamicSnapshot = { headers: {}, params: {} }
    for (const [name, e] of this.headers) {
      if (e.kind === 'counter') e.counter++
      snap.headers[name] = valueOf(e)
    }
    for (const [name, e] of this.params) {
      if (e.kind === 'counter') e.counter++
      snap.params[name] = valueOf(e)
    }
    this.current = snap
    return snap
  }

  /** Function-valued headers for the client: they return the current command's values. */
  headerFunctions(): Record<string, () => string> {
    const out: Record<string, () => string> = {}
    for (const [name, e] of this.headers) {
      out[name] = () => this.current.headers[name] ?? valueOf(e)
    }
    return out
  }

  /** Value of a registered param for the request being built now. */
  paramValue(name: string): string {
    const v = this.current.params[name]
    if (v !== undefined) return v
    const e = this.params.get(name)
    return e ? valueOf(e) : ''
  }
}

/** Only non-empty maps are reported (`headersSent` / `paramsSent` are optional fields). */
export function nonEmpty(rec: Record<string, string>): Record<string, string> | undefined {
  return Object.keys(rec).length > 0 ? rec : undefined
}

/** What a request really sent for each registered dynamic value (falls back to the value). */
export function actuallySent(
  registered: Record<string, string>,
  sent: Record<string, string> | undefined,
  lowerCase: boolean,
): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [name, value] of Object.entries(registered)) {
    out[name] = sent?.[lowerCase ? name.toLowerCase() : name] ?? value
  }
  return out
}
