/**
 * A file-backed Durable Streams server in its own process, for crash tests (kill -9 needs a
 * process of its own). Run with `node --import tsx test/chaos/server-process.ts`:
 *
 *   --data DIR          data directory, kept across restarts (embedded: its user-data dir)
 *   --mode embedded     the app's EmbeddedServer (default), or `reference`: the bare
 *                       @durable-streams/server, file-backed, as the package ships it
 *   --port N            port to listen on (0: any); a restart passes the first run's port
 *   --kill-at-seq N     SIGKILL this process inside the store's append of producer seq N,
 *                       after its frame is in the segment file and before its metadata commit
 *                       (the window of README "What depends on the server")
 *
 * Prints `READY <stream base URL>` once it serves, and the server's own log lines.
 */
import { DurableStreamTestServer } from '@durable-streams/server'
import { EmbeddedServer } from '../../src-main/domains/connections/embedded-server.js'

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 ? process.argv[i + 1] : undefined
}

interface StoreWithDb {
  db: { put(key: string, value: unknown): Promise<unknown> }
}

/** Kills the process when the store commits producer seq `seq` (its frame is already written). */
function killAtSeq(store: StoreWithDb, seq: number): void {
  const put = store.db.put.bind(store.db)
  store.db.put = (key, value) => {
    const producers = (value as { producers?: Record<string, { lastSeq: number }> }).producers
    if (producers && Object.values(producers).some((p) => p.lastSeq === seq)) {
      process.kill(process.pid, 'SIGKILL')
    }
    return put(key, value)
  }
}

const data = arg('data')
if (!data) throw new Error('--data DIR is required')
const mode = arg('mode') ?? 'embedded'
const port = Number(arg('port') ?? 0)
const killAt = arg('kill-at-seq')

let base: string
let store: StoreWithDb
if (mode === 'reference') {
  const server = new DurableStreamTestServer({ host: '127.0.0.1', port, dataDir: data })
  store = server.store as unknown as StoreWithDb
  base = `${(await server.start()).replace(/\/+$/, '')}/v1/stream`
} else if (mode === 'embedded') {
  const server = new EmbeddedServer({ userDataDir: data, port })
  base = await server.start()
  // The running server's store (private): only to place the kill.
  store = (server as unknown as { server: { store: StoreWithDb } }).server.store
} else {
  throw new Error(`unknown --mode ${mode}`)
}
if (killAt !== undefined) killAtSeq(store, Number(killAt))
console.log(`READY ${base}`)
