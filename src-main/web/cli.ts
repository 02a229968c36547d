/**
 * `npm run web`: the app in a browser. Starts the services (embedded server unless --server),
 * serves the built renderer and the contract over a token-protected WebSocket, prints the URL.
 */
import { readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { defaultUserDataDir, parseArgs, UsageError } from '../args.js'
import { startApp } from '../core/app.js'
import { startWebHost } from './host.js'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2), process.env)
  const version = (
    JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }
  ).version
  const app = await startApp({
    userDataDir: opts.userDataDir ?? defaultUserDataDir(),
    host: 'web',
    version,
    serverUrl: opts.serverUrl,
  })
  const host = await startWebHost({
    core: app.core,
    staticDir: join(root, 'out', 'renderer'),
    port: opts.port,
  })
  // The URL line comes last: scripts (and the e2e harness) wait for it and may then expect
  // everything printed before it.
  if (app.embedded)
    console.log(`Embedded server: ${app.embedded.baseUrl} (data in ${app.embedded.dataDir})`)
  console.log(`Durable Streams Inspector (web) is running at ${host.url}`)

  let stopping = false
  const stop = (signal: string): void => {
    if (stopping) return
    stopping = true
    console.log(`Received ${signal}, shutting down…`)
    Promise.all([host.close(), app.stop()]).then(
      () => process.exit(0),
      (err: unknown) => {
        console.error('Shutdown failed:', err)
        process.exit(1)
      },
    )
  }
  process.on('SIGINT', () => stop('SIGINT'))
  process.on('SIGTERM', () => stop('SIGTERM'))
}

main().catch((err: unknown) => {
  if (err instanceof UsageError) console.error(`Error: ${err.message}`)
  else console.error(err)
  process.exit(1)
})
