#!/usr/bin/env node
/**
 * Builds the client library as its own npm package: compiles src-shared/client (the portable
 * entry, then the Node entry) into a fresh output folder and writes the package's manifest
 * and README there. The app's package.json stays private; this folder is what gets published
 * (`npm publish dist/client`), and `npm pack dist/client` makes the tarball.
 *
 *   node scripts/build-client.mjs [--out DIR]     (default: dist/client)
 */
import { spawnSync } from 'node:child_process'
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')

function parseArgs(argv) {
  let out = join(root, 'dist', 'client')
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--out' && argv[i + 1]) out = resolve(argv[++i])
    else {
      console.error(`build-client: unknown argument ${argv[i]} (usage: --out DIR)`)
      process.exit(2)
    }
  }
  return { out }
}

const { out } = parseArgs(process.argv.slice(2))
const app = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))

// A fresh folder, so a module deleted from the source cannot linger in the package.
rmSync(out, { recursive: true, force: true })
mkdirSync(out, { recursive: true })

const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc')
for (const config of ['tsconfig.lib.json', 'tsconfig.lib-node.json']) {
  const r = spawnSync(process.execPath, [tsc, '-p', config, '--outDir', out], {
    cwd: root,
    stdio: 'inherit',
  })
  if (r.status !== 0) {
    console.error(`build-client: tsc -p ${config} failed (exit ${r.status ?? r.signal})`)
    process.exit(1)
  }
}

const SSE_PARSER = 'eventsource-parser'
const sseRange = app.dependencies?.[SSE_PARSER]
if (typeof sseRange !== 'string') {
  console.error(
    `build-client: package.json has no dependency on ${SSE_PARSER}, which the client imports`,
  )
  process.exit(1)
}

const manifest = {
  name: app.name,
  version: app.version,
  description:
    'A fast, complete TypeScript client for the Durable Streams protocol: streams, readers (catch-up, long-poll, SSE), idempotent producers, typed errors, retries.',
  license: app.license,
  type: 'module',
  engines: { node: '>=20' },
  // Importing the Node entry registers its node:http engine as the default.
  sideEffects: ['./node.js'],
  exports: {
    './client': {
      node: { types: './node.d.ts', import: './node.js' },
      types: './index.d.ts',
      import: './index.js',
    },
    './package.json': './package.json',
  },
  files: ['*.js', '*.d.ts', 'README.md'],
  dependencies: { [SSE_PARSER]: sseRange },
}
writeFileSync(join(out, 'package.json'), JSON.stringify(manifest, null, 2) + '\n')

writeFileSync(
  join(out, 'README.md'),
  `# ${app.name}/client

A TypeScript client for the [Durable Streams](https://github.com/durable-streams/durable-streams)
protocol, from the Durable Streams Inspector project: streams, readers as async iterables
(catch-up, long-poll, SSE, auto), live tails, an exactly-once \`IdempotentProducer\`, a typed
error hierarchy, retries with backoff, timeouts and abort signals. It runs wherever \`fetch\`
does; on Node (the \`node\` export condition) it sends requests through \`node:http\`.

\`\`\`ts
import { DurableStreams } from '${app.name}/client'

const stream = await DurableStreams.create({ url, contentType: 'application/json' })
await stream.append({ id: 1, item: 'coffee' })
for await (const order of stream.readJson({ live: false })) console.log(order)
\`\`\`

The full guide is the "The client library" section of the project's README.
`,
)

console.log(`build-client: ${app.name}@${app.version} in ${out}`)
