// `npm start` (build, then launch the desktop app) and `npm run dev` (electron-vite dev with hot
// reload). Both download the Electron binary first when it is missing; if that cannot work they
// say why in one line, point to `npm run web` and exit non-zero.
import { spawn, spawnSync } from 'node:child_process'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { ensureElectronBinary } from './electron-binary.mjs'

/** The oldest Node.js the tools here run on (electron-vite 6, require(esm) in electron's installer). */
export const MIN_NODE = [20, 19]

/**
 * @param {string} version e.g. process.versions.node
 * @param {number[]} min
 */
export function nodeAtLeast(version, min) {
  const [major = 0, minor = 0] = version.split('.').map(Number)
  return major > (min[0] ?? 0) || (major === min[0] && minor >= (min[1] ?? 0))
}

/**
 * @param {string} root
 * @returns {number}
 */
function defaultBuild(root) {
  const r = spawnSync(
    process.execPath,
    [join(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'],
    { cwd: root, stdio: 'inherit' },
  )
  return r.status ?? 1
}

/**
 * @param {string} command
 * @param {string[]} args
 * @param {{ cwd: string, env: NodeJS.ProcessEnv }} opts
 * @returns {Promise<number>}
 */
function run(command, args, opts) {
  return new Promise((resolvePromise) => {
    const child = spawn(command, args, { ...opts, stdio: 'inherit' })
    const forward = (/** @type {NodeJS.Signals} */ sig) => child.kill(sig)
    process.on('SIGINT', forward)
    process.on('SIGTERM', forward)
    child.on('error', (err) => {
      console.error(`Cannot start ${command}: ${err.message}`)
      resolvePromise(1)
    })
    child.on('exit', (code, signal) => {
      process.off('SIGINT', forward)
      process.off('SIGTERM', forward)
      resolvePromise(code ?? (signal ? 1 : 0))
    })
  })
}

/**
 * @typedef {{
 *   root?: string,
 *   argv?: string[],
 *   dev?: boolean,
 *   nodeVersion?: string,
 *   install?: import('./electron-binary.mjs').Installer,
 *   timeoutMs?: number,
 *   out?: import('./electron-binary.mjs').StatusOut,
 *   error?: (line: string) => void,
 *   build?: (root: string) => number | Promise<number>,
 *   launch?: (binary: string, args: string[], opts: { cwd: string, env: NodeJS.ProcessEnv }) => Promise<number>,
 * }} StartOptions
 */

/**
 * Everything `npm start` / `npm run dev` does, with the slow or external parts injectable.
 * @param {StartOptions} [opts]
 * @returns {Promise<number>} the exit code
 */
export async function start(opts = {}) {
  const root = opts.root ?? resolve(dirname(fileURLToPath(import.meta.url)), '..')
  const error = opts.error ?? ((line) => console.error(line))
  const what = opts.dev ? 'the desktop app in dev mode' : 'the desktop app'
  const nodeVersion = opts.nodeVersion ?? process.versions.node
  if (!nodeAtLeast(nodeVersion, MIN_NODE)) {
    error(
      `Cannot start ${what}: Node.js >= ${MIN_NODE.join('.')} is required, this is ${nodeVersion}.`,
    )
    return 1
  }
  const found = await ensureElectronBinary(root, {
    ...(opts.install ? { install: opts.install } : {}),
    ...(opts.timeoutMs !== undefined ? { timeoutMs: opts.timeoutMs } : {}),
    ...(opts.out ? { out: opts.out } : {}),
  })
  if (!found.ok && 'cancelled' in found) {
    error('Electron download cancelled: nothing was installed; `npm start` starts it again.')
    return 130
  }
  if (!found.ok) {
    error(
      `Cannot start ${what}: ${found.reason}. Use \`npm run web\` to run the same app in your browser.`,
    )
    return 1
  }
  const launch = opts.launch ?? ((binary, args, runOpts) => run(binary, args, runOpts))
  const env = { ...process.env }
  // Inherited from some editors' terminals and tools: Electron would run main as plain Node.
  delete env.ELECTRON_RUN_AS_NODE
  const argv = opts.argv ?? []
  if (opts.dev) {
    // electron-vite starts Electron itself; it reads the binary from ELECTRON_EXEC_PATH.
    return launch(
      process.execPath,
      [join(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'dev', ...argv],
      { cwd: root, env: { ...env, ELECTRON_EXEC_PATH: found.path } },
    )
  }
  const built = await (opts.build ?? defaultBuild)(root)
  if (built !== 0) {
    error(`Cannot start ${what}: the build failed (exit ${built}); see above.`)
    return built
  }
  return launch(found.path, [root, ...argv], { cwd: root, env })
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const args = process.argv.slice(2)
  const dev = args[0] === '--dev'
  process.exitCode = await start({ dev, argv: dev ? args.slice(1) : args })
}
