/**
 * Every public export of the client carries TSDoc with an `@example` (checked with the
 * TypeScript compiler, so a new undocumented export fails the build).
 */
import { resolve } from 'node:path'
import ts from 'typescript'
import { expect, it } from 'vitest'

it('every export of src-shared/client/index.ts has TSDoc with an example', () => {
  const entry = resolve(import.meta.dirname, '../../src-shared/client/index.ts')
  const program = ts.createProgram([entry], {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    lib: ['lib.es2023.d.ts', 'lib.dom.d.ts', 'lib.esnext.disposable.d.ts'],
    types: [],
    noEmit: true,
  })
  const checker = program.getTypeChecker()
  const source = program.getSourceFile(entry)
  expect(source).toBeDefined()
  const moduleSymbol = checker.getSymbolAtLocation(source!)!
  const exports = checker.getExportsOfModule(moduleSymbol)
  expect(exports.length).toBeGreaterThan(60)
  const missing: string[] = []
  for (const exp of exports) {
    const symbol = exp.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exp) : exp
    const tags = symbol.getJsDocTags(checker)
    const hasExample =
      tags.some((t) => t.name === 'example') ||
      // A one-line doc may show its example inline: /** @example `guard(err)` */
      ts.displayPartsToString(symbol.getDocumentationComment(checker)).includes('@example')
    if (!hasExample) missing.push(exp.getName())
  }
  expect(missing).toEqual([])
})
