// `node scripts/check-node.mjs package`: run before `npm run package`. Node >= 20.19 is required
// (exit 1 otherwise); below 22.12 it warns in one line, because electron-builder's native-module
// rebuild (@electron/rebuild 4) and electron's own packages declare Node >= 22.12 and packaging
// has only been verified there.
import { MIN_NODE, nodeAtLeast } from './start.mjs'

const PACKAGE_NODE = [22, 12]
const version = process.versions.node
const task = process.argv[2] ?? 'this task'
if (!nodeAtLeast(version, MIN_NODE)) {
  console.error(
    `Cannot run ${task}: Node.js >= ${MIN_NODE.join('.')} is required, this is ${version}.`,
  )
  process.exit(1)
}
if (task === 'package' && !nodeAtLeast(version, PACKAGE_NODE)) {
  console.warn(
    `Warning: packaging needs Node.js >= ${PACKAGE_NODE.join('.')} (electron-builder's @electron/rebuild and electron declare it); this is ${version}. If it fails, switch Node and retry.`,
  )
}
