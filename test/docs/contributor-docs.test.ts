/** ARCHITECTURE.md and CONTRIBUTING.md stay true: every path they name exists, every script runs. */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

const root = join(import.meta.dirname, '..', '..')
const read = (name: string): string => readFileSync(join(root, name), 'utf8')
const scripts = Object.keys(
  (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts,
)

/** Backticked repository paths, with `{a,b}` groups expanded; globs and placeholders skipped. */
function namedPaths(text: string): string[] {
  const out: string[] = []
  for (const m of text.matchAll(/`([^`\s]+)`/g)) {
    const raw = m[1] ?? ''
    if (!/^(src-|test\/|e2e\/|bench\/|bin\/|scripts\/|\.ci\/)/.test(raw)) continue
    if (raw.includes('<') || raw.includes('*')) continue
    const group = /\{([^}]+)\}/.exec(raw)
    const variants = group
      ? (group[1] ?? '').split(',').map((v) => raw.replace(group[0], v))
      : [raw]
    out.push(...variants.map((v) => v.replace(/\/$/, '')))
  }
  return out
}

describe.each(['ARCHITECTURE.md', 'CONTRIBUTING.md'])('%s', (doc) => {
  const text = read(doc)
  it('names only paths that exist', () => {
    const paths = namedPaths(text)
    expect(paths.length).toBeGreaterThan(doc === 'ARCHITECTURE.md' ? 20 : 3)
    expect(paths.filter((p) => !existsSync(join(root, p)))).toEqual([])
  })
  it('names only npm scripts that exist', () => {
    const named = [...text.matchAll(/npm run ([a-z0-9:-]+)/g)].map((m) => m[1] ?? '')
    expect(named.filter((s) => !scripts.includes(s))).toEqual([])
  })
})
