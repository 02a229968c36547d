/**
 * Starts a real @durable-streams/server on 127.0.0.1, port 0, for a test file.
 */
import { DurableStreamTestServer } from '@durable-streams/server'

export interface TestServer {
  url: string
  server: DurableStreamTestServer
  /** A fresh unique stream URL under this server. */
  streamUrl(name?: string): string
  /** Path part of a stream URL (fault injection is keyed by path). */
  pathOf(url: string): string
  stop(): Promise<void>
}

let counter = 0

export async function startServer(
  opts: { longPollTimeout?: number; dataDir?: string } = {},
): Promise<TestServer> {
  const server = new DurableStreamTestServer({
    port: 0,
    host: '127.0.0.1',
    longPollTimeout: opts.longPollTimeout ?? 1_000,
    ...(opts.dataDir ? { dataDir: opts.dataDir } : {}),
  })
  const url = await server.start()
  return {
    url,
    server,
    streamUrl: (name = 's') => `${url}/t/${name}-${process.pid}-${++counter}`,
    pathOf: (u: string) => new URL(u).pathname,
    stop: () => server.stop(),
  }
}
