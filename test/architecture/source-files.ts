/** The app's TypeScript sources, read with the TypeScript API (no type checking: fast). */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import ts from 'typescript'

export const ROOT = resolve(import.meta.dirname, '..', '..')

/** Every .ts/.tsx file under `dir` (relative to the repo root), tests included. */
export function sourceFiles(dir: string): string[] {
  const out: string[] = []
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const p = join(d, name)
      if (statSync(p).isDirectory()) {
        if (name !== 'node_modules') walk(p)
      } else if (/\.tsx?$/.test(name) && !name.endsWith('.d.ts')) out.push(relative(ROOT, p))
    }
  }
  walk(join(ROOT, dir))
  return out.sort()
}

export function parse(file: string): ts.SourceFile {
  const text = readFileSync(join(ROOT, file), 'utf8')
  return ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true)
}

/** The module specifiers `file` uses, each marked type-only (`import type`, `export type`) or not. */
export function specifiers(file: string): Array<{ spec: string; typeOnly: boolean }> {
  const out: Array<{ spec: string; typeOnly: boolean }> = []
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      out.push({
        spec: node.moduleSpecifier.text,
        typeOnly: node.importClause?.isTypeOnly ?? false,
      })
    } else if (
      ts.isExportDeclaration(node) &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      out.push({ spec: node.moduleSpecifier.text, typeOnly: node.isTypeOnly })
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] &&
      ts.isStringLiteral(node.arguments[0])
    ) {
      out.push({ spec: node.arguments[0].text, typeOnly: false })
    } else if (
      ts.isImportTypeNode(node) &&
      ts.isLiteralTypeNode(node.argument) &&
      ts.isStringLiteral(node.argument.literal)
    ) {
      out.push({ spec: node.argument.literal.text, typeOnly: true })
    }
    ts.forEachChild(node, visit)
  }
  visit(parse(file))
  return out
}

/**
 * The repo files `file` imports through relative specifiers (static, re-exports and dynamic
 * `import()`; with `types`, also `import type` / `export type`), resolved as the bundler and
 * NodeNext do: `.js` → `.ts`/`.tsx`, no extension → `.ts`, `.tsx` or a folder's `index`.
 */
export function relativeImports(file: string, opts: { types: boolean }): string[] {
  const out: string[] = []
  for (const { spec, typeOnly } of specifiers(file)) {
    if (!spec.startsWith('.') || (typeOnly && !opts.types)) continue
    const base = resolve(ROOT, dirname(file), spec)
    const candidates = spec.endsWith('.js')
      ? [base.replace(/\.js$/, '.ts'), base.replace(/\.js$/, '.tsx')]
      : [base, `${base}.ts`, `${base}.tsx`, join(base, 'index.ts'), join(base, 'index.tsx')]
    const hit = candidates.find((c) => existsSync(c) && statSync(c).isFile())
    if (hit) out.push(relative(ROOT, hit))
  }
  return out
}
