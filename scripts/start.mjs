// `npm start`: build, then launch the desktop app — or explain in one line why it cannot.
import { spawnSync, spawn } from 'node:child_process'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { findElectronBinary } from './electron-binary.mjs'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const found = findElectronBinary(root)
if (!found.ok) {
  console.error(
    `Cannot start the desktop app: ${found.reason}. Use \`npm run web\` to run the same app in your browser.`,
  )
  process.exit(1)
}
const build = spawnSync(
  process.execPath,
  [resolve(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'],
  {
    cwd: root,
    stdio: 'inherit',
  },
)
if (build.status !== 0) process.exit(build.status ?? 1)
const child = spawn(found.path, [root, ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' })
child.on('exit', (code) => process.exit(code ?? 0))
