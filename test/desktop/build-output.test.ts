/**
 * The closest check of "the desktop app can load" that runs without an Electron binary: after
 * `electron-vite build`, everything out/main and out/preload import must be there at run time in
 * a packaged app, and the files main loads must exist and be packaged.
 *
 * Reuses out/ when it is newer than every source (the Playwright global setup builds it too),
 * else builds into a temp dir (~10 s; out/ may be in use by a web host or e2e run meanwhile).
 */
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs'
import { builtinModules } from 'node:module'
import { tmpdir } from 'node:os'
import { join, relative, resolve } from 'node:path'
import ts from 'typescript'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RENDERER_CSP } from '../../src-shared/csp.js'
import { rendererPaths } from '../../src-main/electron/trust.js'

const ROOT = resolve(import.meta.dirname, '../..')
/** The build output checked: out/ when fresh, else a fresh build in a temp dir. */
let OUT = join(ROOT, 'out')
let tempDir: string | null = null
const SOURCES = [
  'src-main',
  'src-shared',
  'src-renderer',
  'electron.vite.config.ts',
  'package.json',
]

function newest(path: string): number {
  const st = statSync(path)
  if (!st.isDirectory()) return st.mtimeMs
  let max = st.mtimeMs
  for (const e of readdirSync(path)) {
    if (e === 'node_modules') continue
    max = Math.max(max, newest(join(path, e)))
  }
  return max
}

function files(dir: string, ext: RegExp): string[] {
  if (!existsSync(dir)) return []
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => ext.test(f))
    .map((f) => join(dir, f))
}

/** Every module specifier a built file imports (static, dynamic, require). */
function importsOf(file: string): string[] {
  const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true)
  return info.importedFiles.map((f) => f.fileName)
}

function packageName(spec: string): string {
  const parts = spec.split('/')
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? spec)
}

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  dependencies?: Record<string, string>
}
const builtins = new Set(builtinModules)

/** Why `spec`, imported by `file`, would not load in a packaged app; null when it would. */
function unresolvable(file: string, spec: string): string | null {
  if (spec.startsWith('node:') || builtins.has(spec)) return null
  if (spec === 'electron' || spec.startsWith('electron/')) return null
  if (spec.startsWith('.') || spec.startsWith('/')) {
    const target = resolve(file, '..', spec)
    if (!target.startsWith(OUT)) return `${spec} points outside out/`
    return existsSync(target) ? null : `${spec} does not exist`
  }
  const name = packageName(spec)
  if (!pkg.dependencies?.[name])
    return `${spec} is not in "dependencies" (devDependencies are not packaged)`
  return null
}

/** The `files:` list and `electronFuses:` map of electron-builder.yml (the subset we use). */
function builderConfig(): { files: string[]; fuses: Record<string, string> } {
  const lines = readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8').split('\n')
  const out = { files: [] as string[], fuses: {} as Record<string, string> }
  let section = ''
  for (const line of lines) {
    if (/^\S/.test(line)) section = line.split(':')[0] ?? ''
    else if (section === 'files') {
      const m = /^\s+-\s+'?([^']*)'?\s*$/.exec(line)
      if (m?.[1]) out.files.push(m[1])
    } else if (section === 'electronFuses') {
      const m = /^\s+(\w+):\s*(\S+)/.exec(line)
      if (m?.[1] && m[2]) out.fuses[m[1]] = m[2]
    }
  }
  return out
}

/** minimatch-like, for the patterns electron-builder `files` uses here (`**`, `*`, `!`). */
function globToRegExp(glob: string): RegExp {
  let re = ''
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] ?? ''
    if (c === '*' && glob[i + 1] === '*') {
      re += glob[i + 2] === '/' ? '(?:.*/)?' : '.*'
      i += glob[i + 2] === '/' ? 2 : 1
    } else if (c === '*') re += '[^/]*'
    else re += c.replace(/[.+?^${}()|[\]\\]/g, '\\$&')
  }
  return new RegExp(`^${re}$`)
}

function packaged(relPath: string, patterns: string[]): boolean {
  let included = false
  for (const p of patterns) {
    if (p.startsWith('!')) {
      if (globToRegExp(p.slice(1)).test(relPath)) included = false
    } else if (globToRegExp(p).test(relPath)) included = true
  }
  return included
}

beforeAll(() => {
  const outputs = ['main/index.js', 'preload/index.cjs', 'renderer/index.html'].map((f) =>
    join(OUT, f),
  )
  const fresh =
    outputs.every((f) => existsSync(f)) &&
    Math.min(...outputs.map((f) => statSync(f).mtimeMs)) >
      Math.max(...SOURCES.map((s) => newest(join(ROOT, s))))
  if (!fresh) {
    tempDir = mkdtempSync(join(tmpdir(), 'dsi-build-'))
    OUT = join(tempDir, 'out')
    execFileSync(
      process.execPath,
      [join(ROOT, 'node_modules/electron-vite/bin/electron-vite.js'), 'build', '--outDir', OUT],
      { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'], timeout: 240_000 },
    )
  }
}, 250_000)
afterAll(() => {
  if (tempDir) rmSync(tempDir, { recursive: true, force: true })
})

describe('desktop build output (out/)', () => {
  it('main and preload import only Node builtins, electron, packaged dependencies or out/ files', () => {
    const built = [
      ...files(join(OUT, 'main'), /\.(c|m)?js$/),
      ...files(join(OUT, 'preload'), /\.(c|m)?js$/),
    ]
    expect(built.length).toBeGreaterThan(1)
    const problems: string[] = []
    for (const f of built)
      for (const spec of importsOf(f)) {
        const why = unresolvable(f, spec)
        if (why) problems.push(`out/${relative(OUT, f)}: ${why}`)
      }
    expect(problems).toEqual([])
  })

  it('nothing with a native addon is bundled into main (it could not load from the bundle)', () => {
    // The bundler marks inlined modules with their source path; a package left out of
    // "dependencies" is inlined instead of imported, and a native one then breaks at run time.
    const bundled = new Set<string>()
    for (const f of files(join(OUT, 'main'), /\.(c|m)?js$/))
      for (const m of readFileSync(f, 'utf8').matchAll(
        /^\/\/(?:#region)? (?:\.\.\/)*node_modules\/((?:@[^/\s]+\/)?[^/\s]+)\//gm,
      ))
        bundled.add(m[1] ?? '')
    const native = [...bundled].filter((name) => {
      const dir = join(ROOT, 'node_modules', name)
      const meta = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
        gypfile?: boolean
      }
      return meta.gypfile === true || existsSync(join(dir, 'binding.gyp'))
    })
    expect(native.map((n) => `${n} is bundled into out/main but has a native addon`)).toEqual([])
  })

  it('every package in "dependencies" that main imports is installed', () => {
    const names = new Set(
      files(join(OUT, 'main'), /\.(c|m)?js$/)
        .flatMap(importsOf)
        .filter((s) => !s.startsWith('.') && !s.startsWith('node:') && !builtins.has(s))
        .map(packageName)
        .filter((n) => n !== 'electron'),
    )
    expect(names.size).toBeGreaterThan(0)
    for (const n of names)
      expect(existsSync(join(ROOT, 'node_modules', n, 'package.json')), n).toBe(true)
  })

  it('the preload is CommonJS and imports nothing but electron', () => {
    const preloads = files(join(OUT, 'preload'), /\.(c|m)?js$/)
    expect(preloads.map((f) => relative(OUT, f))).toEqual(['preload/index.cjs'])
    const file = preloads[0] ?? ''
    const src = readFileSync(file, 'utf8')
    // A sandboxed preload is run as a script: no ES module syntax may reach it.
    const sf = ts.createSourceFile(file, src, ts.ScriptTarget.Latest, false, ts.ScriptKind.JS)
    const esm = sf.statements.filter(
      (s) => ts.isImportDeclaration(s) || ts.isExportDeclaration(s) || ts.isExportAssignment(s),
    )
    expect(esm).toEqual([])
    expect(src).toMatch(/require\(["']electron["']\)/)
    expect(importsOf(file)).toEqual(['electron'])
  })

  it('the preload and renderer that main loads exist in out/', () => {
    const paths = rendererPaths(join(OUT, 'main'), {})
    expect(existsSync(paths.preload), paths.preload).toBe(true)
    expect(existsSync(join(paths.rendererDir, 'index.html'))).toBe(true)
    // Every asset index.html references is there too (served by app:// from rendererDir).
    const html = readFileSync(join(paths.rendererDir, 'index.html'), 'utf8')
    const refs = [...html.matchAll(/(?:src|href)="(\.?\/?assets\/[^"]+)"/g)].map((m) => m[1] ?? '')
    expect(refs.length).toBeGreaterThan(0)
    for (const r of refs) expect(existsSync(join(paths.rendererDir, r)), r).toBe(true)
  })

  it('the built index.html carries exactly the shared CSP', () => {
    const html = readFileSync(join(OUT, 'renderer', 'index.html'), 'utf8')
    const metas = [...html.matchAll(/http-equiv="Content-Security-Policy"\s+content="([^"]*)"/g)]
    expect(metas.map((m) => m[1])).toEqual([RENDERER_CSP])
  })

  it("electron-builder's files include main, preload and the renderer; fuses are set", () => {
    const cfg = builderConfig()
    // As electron-builder sees them: relative to the project, under out/.
    const outFiles = files(OUT, /./)
      .map((f) => `out/${relative(OUT, f).split('\\').join('/')}`)
      .filter((f) => /^out\/(main|preload|renderer)\//.test(f) && !f.endsWith('.map'))
    expect(outFiles.length).toBeGreaterThan(3)
    const missing = outFiles.filter((f) => !packaged(f, cfg.files))
    expect(missing).toEqual([])
    expect(packaged('package.json', cfg.files)).toBe(true)
    expect(cfg.fuses).toEqual({
      runAsNode: 'false',
      enableNodeOptionsEnvironmentVariable: 'false',
      enableNodeCliInspectArguments: 'false',
      enableCookieEncryption: 'true',
      enableEmbeddedAsarIntegrityValidation: 'true',
      onlyLoadAppFromAsar: 'true',
      grantFileProtocolExtraPrivileges: 'false',
    })
  })

  it('the glob subset matches the way electron-builder reads these patterns', () => {
    expect(packaged('out/main/index.js', ['out/**'])).toBe(true)
    expect(packaged('out/main/index.js.map', ['out/**', '!**/*.map'])).toBe(false)
    expect(packaged('src-main/index.ts', ['out/**', 'package.json'])).toBe(false)
    expect(packaged('out/renderer/index.html', ['out/main/**'])).toBe(false)
  })
})
