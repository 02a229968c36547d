/**
 * Shared fixture of the client integration tests: one real server per test file and a
 * `Client` on it whose `fetch` is recorded. The bindings are live ES module exports, set by
 * the hooks `useLiveServer()` registers (vitest gives each test file its own module graph).
 */
import { afterAll, beforeAll } from 'vitest'
import { Client } from '../../src-shared/client/index.js'
import { recordingFetch, type RecordingFetch } from './recording-fetch.js'
import { startServer, type TestServer } from './server.js'

export let srv: TestServer
export let rec: RecordingFetch
export let client: Client

/** Starts the server and client before the file's tests and stops them after. */
export function useLiveServer(): void {
  beforeAll(async () => {
    srv = await startServer()
    rec = recordingFetch()
    client = new Client({
      baseUrl: srv.url,
      fetch: rec.fetch,
      retry: { maxRetries: 2, initialDelayMs: 10, maxDelayMs: 50 },
    })
  })
  afterAll(async () => {
    await client.close()
    await srv.stop()
  })
}
