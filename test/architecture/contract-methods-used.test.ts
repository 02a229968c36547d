/**
 * Every contract method has a caller in the renderer, and every event a listener: a method only
 * tests call is dead code on both sides of the bridge. Call sites are found in the renderer's
 * syntax trees: `<bridge>.call('<method>', …)` and `<bridge>.on('<event>', …)`.
 */
import { describe, expect, it } from 'vitest'
import ts from 'typescript'
import { EVENTS, METHODS } from '../../src-shared/contract/names.js'
import { parse, sourceFiles } from './source-files.js'

/** The string literals passed first to `.call(…)` and `.on(…)` in `files`, by file. */
export function bridgeUses(files: string[]): { calls: Set<string>; listens: Set<string> } {
  const calls = new Set<string>()
  const listens = new Set<string>()
  for (const file of files) {
    const visit = (node: ts.Node): void => {
      if (
        ts.isCallExpression(node) &&
        ts.isPropertyAccessExpression(node.expression) &&
        node.arguments[0] &&
        ts.isStringLiteralLike(node.arguments[0])
      ) {
        const name = node.expression.name.text
        if (name === 'call') calls.add(node.arguments[0].text)
        if (name === 'on') listens.add(node.arguments[0].text)
      }
      ts.forEachChild(node, visit)
    }
    visit(parse(file))
  }
  return { calls, listens }
}

describe('the contract has no dead methods or events', () => {
  const renderer = sourceFiles('src-renderer').filter((f) => !/\.test\.tsx?$/.test(f))
  const { calls, listens } = bridgeUses(renderer)

  it('finds the renderer call sites (the scan itself works)', () => {
    expect(renderer.length).toBeGreaterThan(20)
    expect(calls).toContain('streams.list')
    expect(listens).toContain('reading.progress')
  })

  it('every method is called by the renderer', () => {
    expect(METHODS.filter((m) => !calls.has(m))).toEqual([])
  })

  it('every event is listened to by the renderer', () => {
    expect(EVENTS.filter((e) => !listens.has(e))).toEqual([])
  })
})
