// Finds the Electron binary WITHOUT require('electron') (which tries to download it).
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

/**
 * @param {string} root project root
 * @returns {{ ok: true, path: string } | { ok: false, reason: string }}
 */
export function findElectronBinary(root) {
  if (process.env.ELECTRON_OVERRIDE_DIST_PATH) {
    const p = join(
      process.env.ELECTRON_OVERRIDE_DIST_PATH,
      process.platform === 'win32' ? 'electron.exe' : 'electron',
    )
    return existsSync(p)
      ? { ok: true, path: p }
      : { ok: false, reason: `ELECTRON_OVERRIDE_DIST_PATH has no binary at ${p}` }
  }
  const pkg = join(root, 'node_modules', 'electron')
  if (!existsSync(pkg))
    return { ok: false, reason: 'the electron package is not installed (run npm ci)' }
  const pathFile = join(pkg, 'path.txt')
  if (!existsSync(pathFile)) {
    return {
      ok: false,
      reason: 'no Electron binary was downloaded (node_modules/electron/path.txt is missing)',
    }
  }
  const bin = join(pkg, 'dist', readFileSync(pathFile, 'utf8').trim())
  if (!existsSync(bin)) return { ok: false, reason: `the Electron binary is missing at ${bin}` }
  return { ok: true, path: bin }
}
