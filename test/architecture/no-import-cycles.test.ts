/**
 * No module of the app imports itself through others at run time: a cycle makes load order
 * matter (a value read before its module ran is undefined) and hides which layer depends on
 * which. `import type` / `export type` are erased from the output, so they are left out here.
 */
import { describe, expect, it } from 'vitest'
import { relativeImports, sourceFiles } from './source-files.js'

/** The strongly connected components with more than one file (or a file importing itself). */
export function importCycles(files: string[], importsOf: (f: string) => string[]): string[][] {
  const graph = new Map(files.map((f) => [f, importsOf(f)]))
  let next = 0
  const index = new Map<string, number>()
  const low = new Map<string, number>()
  const stack: string[] = []
  const onStack = new Set<string>()
  const cycles: string[][] = []
  // Tarjan's algorithm, iterative so a deep import chain cannot overflow the stack.
  for (const start of files) {
    if (index.has(start)) continue
    const work: Array<{ node: string; edges: string[]; i: number }> = []
    const visit = (node: string): void => {
      index.set(node, next)
      low.set(node, next)
      next++
      stack.push(node)
      onStack.add(node)
      work.push({ node, edges: graph.get(node) ?? [], i: 0 })
    }
    visit(start)
    while (work.length > 0) {
      const top = work[work.length - 1]!
      if (top.i < top.edges.length) {
        const to = top.edges[top.i++]!
        if (!graph.has(to)) continue
        if (!index.has(to)) visit(to)
        else if (onStack.has(to)) low.set(top.node, Math.min(low.get(top.node)!, index.get(to)!))
        continue
      }
      work.pop()
      const parent = work[work.length - 1]
      if (parent) low.set(parent.node, Math.min(low.get(parent.node)!, low.get(top.node)!))
      if (low.get(top.node) === index.get(top.node)) {
        const scc: string[] = []
        let n: string
        do {
          n = stack.pop()!
          onStack.delete(n)
          scc.push(n)
        } while (n !== top.node)
        if (scc.length > 1 || graph.get(top.node)!.includes(top.node)) cycles.push(scc.sort())
      }
    }
  }
  return cycles
}

describe('import cycles', () => {
  it('finds a cycle when there is one (the check itself works)', () => {
    const edges: Record<string, string[]> = { a: ['b'], b: ['c'], c: ['a'], d: ['a'], e: ['e'] }
    expect(importCycles(Object.keys(edges), (f) => edges[f] ?? [])).toEqual([
      ['a', 'b', 'c'],
      ['e'],
    ])
  })

  it.each(['src-shared', 'src-main', 'src-renderer'])('%s has none', (dir) => {
    const files = sourceFiles(dir)
    expect(files.length).toBeGreaterThan(10)
    // Across the three folders too: each folder's graph includes what it imports from the others.
    const runtime = (f: string): string[] => relativeImports(f, { types: false })
    const all = [...new Set([...files, ...files.flatMap(runtime)])]
    const cycles = importCycles(all, runtime).filter((c) => c.some((f) => f.startsWith(dir)))
    expect(cycles.map((c) => c.join(' → '))).toEqual([])
  })
})
