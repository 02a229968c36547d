/**
 * A real HTTP proxy in front of the test server that can lose responses *after* the server
 * processed the request: the request is forwarded, the upstream answer is read, and then
 * the client's socket is destroyed. This is the failure that makes naive retries duplicate.
 */
import http from 'node:http'
import type { AddressInfo } from 'node:net'

export interface ChaosProxy {
  url: string
  /** Requests whose responses were dropped after the upstream handled them. */
  dropped: number
  /** All proxied requests. */
  forwarded: number
  /** Upstream response statuses seen, by status code. */
  statuses: Map<number, number>
  /** Decides per request whether to drop its response (applied to 2xx answers only). */
  shouldDrop: (req: http.IncomingMessage) => boolean
  close(): Promise<void>
}

export async function startChaosProxy(target: string): Promise<ChaosProxy> {
  const upstream = new URL(target)
  const agent = new http.Agent({ keepAlive: true })
  const state: ChaosProxy = {
    url: '',
    dropped: 0,
    forwarded: 0,
    statuses: new Map(),
    shouldDrop: () => false,
    close: async () => {},
  }
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      state.forwarded++
      const drop = state.shouldDrop(req)
      const up = http.request(
        {
          host: upstream.hostname,
          port: upstream.port,
          method: req.method,
          path: req.url,
          headers: { ...req.headers, host: upstream.host },
          agent,
        },
        (upRes) => {
          const code = upRes.statusCode ?? 0
          state.statuses.set(code, (state.statuses.get(code) ?? 0) + 1)
          // Only successful answers are lost: those are the ones a naive retry would duplicate.
          if (drop && code < 300) {
            upRes.resume()
            upRes.on('end', () => {
              state.dropped++
              req.socket.destroy()
            })
            return
          }
          res.writeHead(upRes.statusCode ?? 502, upRes.headers)
          upRes.pipe(res)
        },
      )
      up.on('error', (err) => {
        res.destroy(err)
      })
      up.end(Buffer.concat(chunks))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  state.url = `http://127.0.0.1:${port}`
  state.close = () =>
    new Promise<void>((resolve, reject) => {
      agent.destroy()
      server.closeAllConnections()
      server.close((err) => (err ? reject(err) : resolve()))
    })
  return state
}
