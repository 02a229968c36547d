/**
 * The client is publishable on its own: `build:lib` (scripts/build-client.mjs) emits JS +
 * .d.ts and the package's own manifest into dist/client; the package subpath
 * `durable-streams-inspector/client` resolves to it (on Node: the `node` entry with the
 * `node:http` engine), and the output imports nothing from Electron, React or the rest of the
 * app — and nothing from Node outside the Node entry. `npm pack` of dist/client installs into
 * a fresh project, where a README example runs against a real server and a TypeScript
 * consumer compiles with the strictest options.
 */
import { execFile, spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startServer, type TestServer } from './helpers/server.js'

const root = resolve(import.meta.dirname, '..')
const dist = join(root, 'dist', 'client')
const execFileAsync = promisify(execFile)

beforeAll(() => {
  const r = spawnSync(process.execPath, [join(root, 'scripts', 'build-client.mjs')], {
    cwd: root,
    encoding: 'utf8',
  })
  expect(r.stderr).toBe('')
  expect(r.status).toBe(0)
}, 180_000)

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

/** Runs npm (the one on PATH, as a user would) and fails with its output when it fails. */
function npm(args: string[], cwd: string): string {
  const r = spawnSync('npm', args, { cwd, encoding: 'utf8', timeout: 120_000 })
  expect(r.error, String(r.error)).toBeUndefined()
  expect(r.status, `npm ${args.join(' ')}\n${r.stdout}\n${r.stderr}`).toBe(0)
  return r.stdout
}

/** The README's first client example ("Create, append, read") and the output it shows. */
function readmeExample(): { code: string; expected: string } {
  const readme = readFileSync(join(root, 'README.md'), 'utf8')
  const m = /### Create, append, read\n[\s\S]*?```ts\n([\s\S]*?)```\s*```text\n([\s\S]*?)```/.exec(
    readme,
  )
  expect(m, 'README has the "Create, append, read" example').not.toBeNull()
  return { code: m![1]!, expected: m![2]!.trimEnd() }
}

describe('npm pack of the client', () => {
  let project: string
  let srv: TestServer
  let installed: string
  beforeAll(async () => {
    srv = await startServer()
    project = mkdtempSync(join(tmpdir(), 'dsi-client-pack-'))
    const packed = npm(['pack', dist, '--pack-destination', project, '--json'], root)
    const [info] = JSON.parse(packed) as Array<{ filename: string; files: Array<{ path: string }> }>
    expect(info!.files.map((f) => f.path)).toContain('node.d.ts')
    // The one runtime dependency comes from this checkout's node_modules, packed the same way,
    // so the install needs no network and no npm cache.
    const dep = JSON.parse(
      npm(
        [
          'pack',
          join(root, 'node_modules', 'eventsource-parser'),
          '--pack-destination',
          project,
          '--json',
        ],
        root,
      ),
    ) as Array<{ filename: string }>
    writeFileSync(
      join(project, 'package.json'),
      JSON.stringify({ name: 'consumer', private: true, type: 'module' }),
    )
    npm(
      [
        'install',
        '--offline',
        '--no-audit',
        '--no-fund',
        '--ignore-scripts',
        `./${info!.filename}`,
        `./${dep[0]!.filename}`,
      ],
      project,
    )
    installed = join(project, 'node_modules', 'durable-streams-inspector')
  }, 180_000)
  afterAll(async () => {
    await srv.stop()
    rmSync(project, { recursive: true, force: true })
  })

  it('is publishable: not private, one export per entry, its imports declared as dependencies', () => {
    const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as {
      private?: boolean
      dependencies: Record<string, string>
      exports: Record<string, unknown>
    }
    expect(manifest.private).toBeUndefined()
    expect(Object.keys(manifest.exports)).toEqual(['./client', './package.json'])
    const bare = new Set<string>()
    for (const f of readdirSync(installed).filter((x) => x.endsWith('.js'))) {
      const src = readFileSync(join(installed, f), 'utf8')
      for (const m of src.matchAll(
        /^\s*(?:import|export)\b[^;]*?\bfrom\s+['"]([^'".][^'"]*)['"]/gm,
      ))
        if (!m[1]!.startsWith('node:')) bare.add(m[1]!)
    }
    expect([...bare]).toEqual(['eventsource-parser'])
    expect(Object.keys(manifest.dependencies)).toEqual([...bare])
    // Only the build: no sources, tests, maps or app files.
    expect(
      readdirSync(installed)
        .filter((f) => !/\.(js|d\.ts)$/.test(f))
        .sort(),
    ).toEqual(['README.md', 'package.json'])
  })

  it('runs the README example from the installed package against a real server', async () => {
    const { code, expected } = readmeExample()
    writeFileSync(
      join(project, 'example.mjs'),
      `const baseUrl = ${JSON.stringify(srv.url)}\n${code}`,
    )
    // Asynchronously: the server answers from this process's event loop.
    const r = await execFileAsync(process.execPath, ['example.mjs'], {
      cwd: project,
      encoding: 'utf8',
      timeout: 30_000,
    })
    expect(r.stderr).toBe('')
    expect(r.stdout.trimEnd()).toBe(expected)
  })

  it('type-checks a consumer with strict and exactOptionalPropertyTypes', () => {
    writeFileSync(
      join(project, 'consumer.ts'),
      `import { Client, IdempotentProducer, type ReadOptions } from 'durable-streams-inspector/client'

// Optional values passed straight through, as callers naturally do.
export async function tail(url: string, opts: { signal?: AbortSignal; timeout?: number; offset?: string }) {
  const client = new Client({ baseUrl: url, timeout: opts.timeout })
  const stream = client.stream('/s', { contentType: undefined })
  await stream.append('x', { signal: opts.signal, contentType: undefined })
  await stream.head({ signal: opts.signal })
  const read: ReadOptions = { offset: opts.offset, signal: opts.signal, live: false }
  const producer = new IdempotentProducer({ client, path: '/s', producerId: 'p', signal: opts.signal, epoch: undefined })
  producer.append('y')
  await producer.appendAndWait('z')
  await producer.close()
  return stream.readText(read).toArray()
}
`,
    )
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          lib: ['ES2023', 'DOM', 'ESNext.Disposable', 'ESNext.AsyncIterable'],
          strict: true,
          exactOptionalPropertyTypes: true,
          noEmit: true,
          skipLibCheck: false,
          typeRoots: [join(root, 'node_modules', '@types')],
          types: ['node'],
        },
        files: ['consumer.ts'],
      }),
    )
    const r = spawnSync(
      process.execPath,
      [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'],
      { cwd: project, encoding: 'utf8', timeout: 90_000 },
    )
    expect(r.stdout + r.stderr).toBe('')
    expect(r.status).toBe(0)
  }, 90_000)
})
