// Finds the Electron binary WITHOUT require('electron') (which would download it with no bound
// and print a stack when that fails), and downloads it on request through the electron
// package's own installer (node_modules/electron/install.js: honours ELECTRON_MIRROR,
// ELECTRON_CUSTOM_DIR, electron_config_cache, proxies…) with progress and a bounded wait.
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** Default bound on the one-time download, overridable with DSI_ELECTRON_DOWNLOAD_TIMEOUT (s). */
export const DEFAULT_DOWNLOAD_TIMEOUT_MS = 10 * 60_000

/** @type {NodeJS.Signals[]} */
const CANCEL_SIGNALS = ['SIGINT', 'SIGTERM']

/**
 * @param {string} root project root
 * @returns {{ ok: true, path: string } | { ok: false, reason: string, missing: boolean }}
 *   `missing`: the binary simply has not been downloaded yet (a download can fix it).
 */
export function findElectronBinary(root) {
  if (process.env.ELECTRON_OVERRIDE_DIST_PATH) {
    const p = join(
      process.env.ELECTRON_OVERRIDE_DIST_PATH,
      process.platform === 'win32' ? 'electron.exe' : 'electron',
    )
    return existsSync(p)
      ? { ok: true, path: p }
      : { ok: false, missing: false, reason: `ELECTRON_OVERRIDE_DIST_PATH has no binary at ${p}` }
  }
  const pkg = join(root, 'node_modules', 'electron')
  if (!existsSync(join(pkg, 'package.json')))
    return {
      ok: false,
      missing: false,
      reason: 'the electron package is not installed (run npm install)',
    }
  const pathFile = join(pkg, 'path.txt')
  if (!existsSync(pathFile)) {
    return {
      ok: false,
      missing: true,
      reason:
        'the Electron binary has not been downloaded (node_modules/electron/path.txt is missing)',
    }
  }
  const bin = join(pkg, 'dist', readFileSync(pathFile, 'utf8').trim())
  if (!existsSync(bin))
    return { ok: false, missing: true, reason: `the Electron binary is missing at ${bin}` }
  return { ok: true, path: bin }
}

/** @param {string} root */
export function electronVersion(root) {
  try {
    return String(
      JSON.parse(readFileSync(join(root, 'node_modules', 'electron', 'package.json'), 'utf8'))
        .version,
    )
  } catch (_err) {
    return 'unknown'
  }
}

/** @param {NodeJS.ProcessEnv} env */
export function downloadTimeoutMs(env) {
  const raw = env.DSI_ELECTRON_DOWNLOAD_TIMEOUT
  if (raw === undefined || raw === '') return DEFAULT_DOWNLOAD_TIMEOUT_MS
  const s = Number(raw)
  if (!Number.isFinite(s) || s <= 0)
    throw new Error(`DSI_ELECTRON_DOWNLOAD_TIMEOUT must be a number of seconds > 0, got "${raw}"`)
  return Math.round(s * 1000)
}

/**
 * Turns the installer's stderr (a stack, or npm noise) into one line saying why.
 * @param {string} stderr
 * @returns {string}
 */
export function installFailureReason(stderr) {
  const lines = stderr
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('at '))
  const errorLine =
    lines.find((l) => /^[A-Za-z]*Error\b.*:/.test(l)) ??
    lines.find((l) => /error/i.test(l)) ??
    lines[lines.length - 1]
  if (!errorLine) return 'the Electron installer failed without saying why'
  const msg = errorLine.length > 240 ? `${errorLine.slice(0, 240)}…` : errorLine
  if (/fetch failed|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT/.test(stderr))
    return `could not reach the download server (${msg}); offline, or behind a proxy? ELECTRON_MIRROR can point to a reachable mirror`
  if (/ERR_REQUIRE_ESM/.test(stderr))
    return `the Electron installer needs Node.js >= 20.19 (this is ${process.version})`
  return msg
}

/**
 * Total bytes of the files under `dir` (the installer's private temp dir holds the download).
 * @param {string} dir
 */
function bytesUnder(dir) {
  let total = 0
  /** @type {string[]} */
  const stack = [dir]
  while (stack.length > 0) {
    const d = /** @type {string} */ (stack.pop())
    let entries
    try {
      entries = readdirSync(d, { withFileTypes: true })
    } catch (_err) {
      continue // removed while we looked: the installer cleans up after itself
    }
    for (const e of entries) {
      const p = join(d, e.name)
      if (e.isDirectory()) stack.push(p)
      else {
        try {
          total += statSync(p).size
        } catch (_err) {
          // same: gone between readdir and stat
        }
      }
    }
  }
  return total
}

/**
 * The default installer: runs node_modules/electron/install.js in a child Node process.
 * Progress is the size of what it has written to its own temp dir so far.
 * @param {{ root: string, signal: AbortSignal, onProgress: (bytes: number) => void, env?: NodeJS.ProcessEnv }} opts
 * @returns {Promise<void>} rejects with an Error whose message is one line
 */
export function runElectronInstaller({ root, signal, onProgress, env = process.env }) {
  const script = join(root, 'node_modules', 'electron', 'install.js')
  if (!existsSync(script))
    return Promise.reject(new Error(`the electron package has no installer at ${script}`))
  const tmp = mkdtempSync(join(tmpdir(), 'dsi-electron-dl-'))
  return new Promise((resolvePromise, rejectPromise) => {
    const child = spawn(process.execPath, [script], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own progress bar only appears after 30 s and only on a TTY: we draw ours.
      env: { ...env, TMPDIR: tmp, TMP: tmp, TEMP: tmp, ELECTRON_GET_NO_PROGRESS: '1' },
    })
    let stderr = ''
    child.stderr.setEncoding('utf8')
    child.stderr.on('data', (s) => (stderr = (stderr + s).slice(-20_000)))
    child.stdout.resume()
    const poll = setInterval(() => onProgress(bytesUnder(tmp)), 250)
    const onAbort = () => {
      child.kill('SIGTERM')
      setTimeout(() => child.kill('SIGKILL'), 2000).unref()
    }
    signal.addEventListener('abort', onAbort, { once: true })
    const finish = (/** @type {Error | null} */ err) => {
      clearInterval(poll)
      signal.removeEventListener('abort', onAbort)
      rmSync(tmp, { recursive: true, force: true })
      if (err) rejectPromise(err)
      else resolvePromise()
    }
    child.on('error', (err) =>
      finish(new Error(`cannot run the Electron installer: ${err.message}`)),
    )
    child.on('close', (code, sig) => {
      if (signal.aborted) finish(new Error('aborted'))
      else if (code === 0) finish(null)
      else
        finish(
          new Error(
            stderr.trim() === '' && sig
              ? `the Electron installer was killed by ${sig}`
              : installFailureReason(stderr),
          ),
        )
    })
  })
}

/** @param {number} ms */
function secs(ms) {
  return Number((ms / 1000).toFixed(1))
}

/** @param {number} n */
function mb(n) {
  return `${(n / 1_048_576).toFixed(1)} MB`
}

/**
 * Returns the binary, downloading it first when it has not been (one status line with progress,
 * bounded by `timeoutMs`). Never throws for the expected failures: `{ ok: false, reason }`.
 *
 * @param {string} root
 * @param {{
 *   install?: (opts: { root: string, signal: AbortSignal, onProgress: (bytes: number) => void }) => Promise<void>,
 *   timeoutMs?: number,
 *   out?: { write(s: string): unknown, isTTY?: boolean },
 * }} [opts]
 * @returns {Promise<{ ok: true, path: string, downloaded: boolean } | { ok: false, reason: string, cancelled?: true }>}
 *   `cancelled`: stopped by SIGINT / SIGTERM (the installer has exited and cleaned up).
 */
export async function ensureElectronBinary(root, opts = {}) {
  const found = findElectronBinary(root)
  if (found.ok) return { ok: true, path: found.path, downloaded: false }
  if (!found.missing) return { ok: false, reason: found.reason }
  const install = opts.install ?? runElectronInstaller
  const out = opts.out ?? process.stderr
  let timeoutMs
  try {
    timeoutMs = opts.timeoutMs ?? downloadTimeoutMs(process.env)
  } catch (err) {
    return { ok: false, reason: /** @type {Error} */ (err).message }
  }
  const version = electronVersion(root)
  const started = Date.now()
  const frames = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏']
  let frame = 0
  let bytes = 0
  let lastPlain = started
  const title = `Downloading Electron ${version} (one time, ~100 MB; up to ${secs(timeoutMs)} s)`
  const status = () => `${mb(bytes)} after ${Math.round((Date.now() - started) / 1000)} s`
  if (out.isTTY) out.write(`${frames[0]} ${title}…`)
  else out.write(`${title}…\n`)
  const draw = () => {
    if (out.isTTY) out.write(`\r\x1b[2K${frames[frame++ % frames.length]} ${title}: ${status()}`)
    else if (Date.now() - lastPlain >= 10_000) {
      lastPlain = Date.now()
      out.write(`  … ${status()}\n`)
    }
  }
  const spinner = setInterval(draw, 120)
  const controller = new AbortController()
  /** @type {NodeJS.Timeout | undefined} */
  let timer
  const timedOut = new Promise((resolveTimeout) => {
    timer = setTimeout(() => {
      controller.abort()
      resolveTimeout('timeout')
    }, timeoutMs)
  })
  // Ctrl-C (or a SIGTERM) while downloading: stop the installer and wait until it has gone and
  // its temp dir (the partial download) is removed, instead of dying with both left behind.
  /** @type {(sig: NodeJS.Signals) => void} */
  let onSignal = () => undefined
  const cancelled = new Promise((resolveCancel) => {
    onSignal = (sig) => {
      controller.abort()
      resolveCancel(sig)
    }
  })
  for (const sig of CANCEL_SIGNALS) process.on(sig, onSignal)
  /** @type {string | null} */
  let failure = null
  /** @type {Promise<unknown> | null} */
  let installing = null
  let cancelledBy = null
  try {
    installing = install({
      root,
      signal: controller.signal,
      onProgress: (n) => (bytes = n),
    }).then(() => 'done')
    // A rejection that comes after the timeout won must not surface as unhandled.
    installing.catch(() => undefined)
    const result = await Promise.race([installing, timedOut, cancelled])
    if (result === 'timeout')
      failure = `the download did not finish within ${secs(timeoutMs)} s (set DSI_ELECTRON_DOWNLOAD_TIMEOUT=<seconds> to wait longer)`
    else if (result !== 'done') {
      cancelledBy = String(result)
      failure = 'the download was cancelled'
    }
  } catch (err) {
    failure = `the Electron download failed: ${err instanceof Error ? err.message : String(err)}`
  } finally {
    clearTimeout(timer)
    clearInterval(spinner)
  }
  if (out.isTTY) out.write(`\r\x1b[2K`)
  if (failure !== null && installing !== null) {
    // Stopped early (timeout or signal): the installer was told to stop; wait until it has.
    await installing.catch(() => undefined)
  }
  for (const sig of CANCEL_SIGNALS) process.off(sig, onSignal)
  if (cancelledBy !== null) return { ok: false, reason: failure ?? '', cancelled: true }
  if (failure !== null) return { ok: false, reason: failure }
  const after = findElectronBinary(root)
  if (!after.ok)
    return { ok: false, reason: `the Electron installer finished, but ${after.reason}` }
  out.write(`Electron ${version} is ready (${Math.round((Date.now() - started) / 1000)} s).\n`)
  return { ok: true, path: after.path, downloaded: true }
}
