/**
 * The client is publishable on its own: `build:lib` emits JS + .d.ts, the package subpath
 * `durable-streams-inspector/client` resolves to it (on Node: the `node` entry with the
 * `node:http` engine), and the output imports nothing from Electron, React or the rest of the
 * app — and nothing from Node outside the Node entry.
 */
import { spawnSync } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { beforeAll, expect, it } from 'vitest'

const root = resolve(import.meta.dirname, '..')
const dist = join(root, 'dist', 'client')

beforeAll(() => {
  for (const config of ['tsconfig.lib.json', 'tsconfig.lib-node.json']) {
    const r = spawnSync(
      process.execPath,
      [join(root, 'node_modules/typescript/bin/tsc'), '-p', config],
      { cwd: root, encoding: 'utf8' },
    )
    expect(r.stdout + r.stderr).toBe('')
    expect(r.status).toBe(0)
  }
}, 90_000)

/** Modules of the Node entry, which alone may import Node built-ins. */
const NODE_ENTRY = new Set(['node.js', 'node-engine.js', 'node-response.js'])
const NODE_BUILTINS = new Set(['node:http', 'node:https', 'node:stream', 'node:zlib'])

it('emits declarations for every module', () => {
  const files = readdirSync(dist)
  const js = files.filter((f) => f.endsWith('.js'))
  expect(js.length).toBeGreaterThan(5)
  for (const f of js) expect(files).toContain(f.replace(/\.js$/, '.d.ts'))
})

it('imports only its own modules and eventsource-parser', () => {
  const all: string[] = []
  for (const f of readdirSync(dist).filter((x) => x.endsWith('.js'))) {
    // Comments hold TSDoc examples that mention the package; only code counts.
    const src = readFileSync(join(dist, f), 'utf8')
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/^\s*\/\/.*$/gm, '')
    const staticImports = [
      ...src.matchAll(/^\s*(?:import|export)\b[^;]*?\bfrom\s+['"]([^'"]+)['"]/gm),
    ]
    const dynamicImports = [...src.matchAll(/\bimport\s*\(\s*['"]([^'"]+)['"]/g)]
    const specifiers = [...staticImports, ...dynamicImports].map((m) => m[1]!)
    all.push(...specifiers)
    for (const s of specifiers) {
      const allowed =
        s.startsWith('./') ||
        s === 'eventsource-parser' ||
        (NODE_ENTRY.has(f) && NODE_BUILTINS.has(s))
      expect(allowed, `${f} imports ${s}`).toBe(true)
    }
  }
  // The scan itself works: it sees the relative imports and the SSE parser.
  expect(all).toContain('eventsource-parser')
  expect(all).toContain('./errors.js')
  expect(all).toContain('node:http')
})

it('resolves as durable-streams-inspector/client from plain Node', () => {
  const r = spawnSync(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      "const m = await import('durable-streams-inspector/client'); console.log(['DurableStreams','Client','Stream','IdempotentProducer','StreamNotFoundError','createNodeEngine'].every((k) => typeof m[k] === 'function'))",
    ],
    { cwd: root, encoding: 'utf8' },
  )
  expect(r.stderr).toBe('')
  expect(r.stdout.trim()).toBe('true')
})

it('the portable entry loads without the Node entry and exports no Node engine', () => {
  const r = spawnSync(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `const m = await import(${JSON.stringify(join(dist, 'index.js'))}); console.log(typeof m.Client, typeof m.createNodeEngine, typeof m.setDefaultEngine)`,
    ],
    { cwd: root, encoding: 'utf8' },
  )
  expect(r.stderr).toBe('')
  expect(r.stdout.trim()).toBe('function undefined function')
})
