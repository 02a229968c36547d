/**
 * bin/dsi, the launcher that builds the CLI bundle on first use: run from another working
 * directory it builds once (not on every run), and an install dir it cannot write to makes it
 * build into the user's cache dir, or fail in one line with exit 8. Each case runs a copy of
 * the sources in a temporary dir (node_modules linked), so the repo's own bundle is untouched.
 */
import { spawnSync } from 'node:child_process'
import { cpSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { dsiEnv, root } from './run-dsi.js'

let dir: string

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'dsi launcher '))
})
afterAll(() => {
  rmSync(dir, { recursive: true, force: true })
})

/** A copy of what bin/dsi needs, in `<dir>/<name>` (a path with a space in it). */
function install(name: string): string {
  const at = join(dir, name)
  for (const part of ['bin', 'src-main', 'src-shared', 'package.json'])
    cpSync(join(root, part), join(at, part), { recursive: true })
  symlinkSync(join(root, 'node_modules'), join(at, 'node_modules'))
  return at
}

function run(at: string, env: Record<string, string> = {}): ReturnType<typeof spawnSync> {
  return spawnSync(process.execPath, [join(at, 'bin', 'dsi'), '--version'], {
    cwd: tmpdir(), // not the install dir
    env: dsiEnv(env),
    encoding: 'utf8',
    timeout: 60_000,
  })
}

describe('bin/dsi', () => {
  it('run from another directory, builds once and reuses the bundle', () => {
    const at = install('cwd')
    for (let i = 0; i < 3; i++) {
      const r = run(at)
      expect(r.status, String(r.stderr)).toBe(0)
      expect(String(r.stdout)).toMatch(/^\d+\.\d+\.\d+\n$/)
    }
    // Before the fix every run from another cwd built again (inputs recorded relative to cwd).
    expect(readdirSync(join(at, 'out', 'cli')).filter((d) => d.startsWith('b'))).toHaveLength(1)
  })

  it('an install dir it cannot write: builds into the cache dir, else one line and exit 8', () => {
    const at = install('read-only')
    writeFileSync(join(at, 'out'), '') // out/cli cannot be made (root ignores chmod)
    const cache = join(dir, 'cache')
    for (let i = 0; i < 2; i++) {
      const r = run(at, { XDG_CACHE_HOME: cache })
      expect(r.status, String(r.stderr)).toBe(0)
      expect(String(r.stdout)).toMatch(/^\d+\.\d+\.\d+\n$/)
      expect(r.stderr).toBe('')
    }
    const [id] = readdirSync(join(cache, 'dsi'))
    expect(readdirSync(join(cache, 'dsi', id!)).filter((d) => d.startsWith('b'))).toHaveLength(1)

    const blocked = join(dir, 'not-a-dir')
    writeFileSync(blocked, '')
    const nowhere = install('nowhere')
    writeFileSync(join(nowhere, 'out'), '')
    const again = run(nowhere, { XDG_CACHE_HOME: blocked })
    expect(again.status).toBe(8)
    expect(again.stdout).toBe('')
    expect(String(again.stderr)).toMatch(
      /^dsi: cannot build the CLI: neither .* can be written.*\n$/,
    )
    expect(String(again.stderr).split('\n')).toHaveLength(2)
  })
})
