/**
 * Tiny raw `node:http` servers that send exactly the bytes a test chooses: malformed
 * responses, SSE edge cases, hanging requests. Tracks requests and open sockets.
 */
import http from 'node:http'
import type { AddressInfo, Socket } from 'node:net'

export interface RawRequestInfo {
  method: string
  url: URL
  headers: http.IncomingHttpHeaders
  /** 0-based index of this request on the server. */
  index: number
}

export type RawHandler = (
  req: http.IncomingMessage,
  res: http.ServerResponse,
  info: RawRequestInfo,
) => void | Promise<void>

export interface RawServer {
  /** Base URL, e.g. `http://127.0.0.1:12345`. */
  url: string
  /** A stream URL on this server. */
  streamUrl(path?: string): string
  requests: RawRequestInfo[]
  /** Requests with the given `live` query value ('none' for catch-up). */
  requestsWithLive(live: string): RawRequestInfo[]
  /** Number of client connections currently open (idle keep-alive ones included). */
  openSockets(): number
  /** Number of requests whose response has neither finished nor had its connection closed. */
  openRequests(): number
  /** Resolves when no request is open any more (or rejects after `timeoutMs`). */
  waitForNoOpenRequests(timeoutMs?: number): Promise<void>
  /** Resolves when the number of open sockets is `n` (or rejects after `timeoutMs`). */
  waitForOpenSockets(n: number, timeoutMs?: number): Promise<void>
  stop(): Promise<void>
}

export async function startRawServer(handler: RawHandler): Promise<RawServer> {
  const requests: RawRequestInfo[] = []
  const sockets = new Set<Socket>()
  let open = 0
  const server = http.createServer((req, res) => {
    const info: RawRequestInfo = {
      method: req.method ?? 'GET',
      url: new URL(req.url ?? '/', 'http://raw.invalid'),
      headers: req.headers,
      index: requests.length,
    }
    requests.push(info)
    open++
    res.on('close', () => open--)
    res.socket?.setNoDelay(true)
    Promise.resolve(handler(req, res, info)).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500)
      res.end(String(err))
    })
  })
  server.on('connection', (s: Socket) => {
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  const url = `http://127.0.0.1:${port}`
  return {
    url,
    streamUrl: (path = '/s') => url + path,
    requests,
    requestsWithLive: (live) =>
      requests.filter((r) => (r.url.searchParams.get('live') ?? 'none') === live),
    openSockets: () => sockets.size,
    openRequests: () => open,
    waitForNoOpenRequests: async (timeoutMs = 2_000) => {
      const deadline = Date.now() + timeoutMs
      while (open !== 0) {
        if (Date.now() > deadline) {
          throw new Error(`${open} requests still open after ${timeoutMs} ms`)
        }
        await new Promise((r) => setTimeout(r, 10))
      }
    },
    waitForOpenSockets: async (n, timeoutMs = 2_000) => {
      const deadline = Date.now() + timeoutMs
      while (sockets.size !== n) {
        if (Date.now() > deadline) {
          throw new Error(`expected ${n} open sockets, still ${sockets.size} after ${timeoutMs} ms`)
        }
        await new Promise((r) => setTimeout(r, 10))
      }
    },
    stop: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy()
        server.close(() => resolve())
      }),
  }
}

/** Headers of an SSE response. */
export const SSE_HEADERS: http.OutgoingHttpHeaders = {
  'content-type': 'text/event-stream',
  'cache-control': 'no-cache',
}

/** Writes chunks one by one with a pause between them (so they arrive as separate reads). */
export async function writeSlowly(
  res: http.ServerResponse,
  chunks: ReadonlyArray<string | Uint8Array>,
  gapMs = 15,
): Promise<void> {
  for (const c of chunks) {
    if (res.destroyed) return
    res.write(c)
    await new Promise((r) => setTimeout(r, gapMs))
  }
}

/** One SSE event as text (`data` may span lines; each line gets its own `data:` field). */
export function sseEvent(event: string, data: string): string {
  return (
    `event: ${event}\n` +
    data
      .split('\n')
      .map((l) => `data:${l}`)
      .join('\n') +
    '\n\n'
  )
}
