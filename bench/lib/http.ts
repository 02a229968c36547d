/**
 * Minimal keep-alive HTTP/1.1 client on `node:http`, used by the raw subject, the
 * coordinator's writers and the exactly-once verifier. No compression is requested
 * (no `Accept-Encoding`), so the server answers with identity bodies.
 */
import http from 'node:http'

export interface RawResponse {
  status: number
  headers: http.IncomingHttpHeaders
  body: Buffer
}

export type Body = Uint8Array | string

/** One header value as a string (first value if repeated). */
export function header(res: { headers: http.IncomingHttpHeaders }, name: string): string {
  const v = res.headers[name]
  if (v === undefined) return ''
  return Array.isArray(v) ? (v[0] ?? '') : v
}

export class RawHttp {
  readonly agent: http.Agent
  private readonly host: string
  private readonly port: number

  constructor(baseUrl: string, maxSockets = 16) {
    const u = new URL(baseUrl)
    this.host = u.hostname
    this.port = Number(u.port)
    this.agent = new http.Agent({ keepAlive: true, maxSockets, keepAliveMsecs: 10_000 })
  }

  /** Path plus query of an absolute URL on this server. */
  static pathOf(url: string): string {
    const u = new URL(url)
    return u.pathname + u.search
  }

  /** Sends a request and buffers the whole response body. */
  request(
    method: string,
    path: string,
    headers: http.OutgoingHttpHeaders = {},
    body?: Body,
    signal?: AbortSignal,
  ): Promise<RawResponse> {
    return new Promise((resolve, reject) => {
      const req = http.request(
        {
          host: this.host,
          port: this.port,
          method,
          path,
          agent: this.agent,
          headers:
            body === undefined
              ? headers
              : {
                  ...headers,
                  'content-length':
                    typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength,
                },
          signal,
        },
        (res) => {
          const chunks: Buffer[] = []
          res.on('data', (c: Buffer) => chunks.push(c))
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              body: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks),
            }),
          )
          res.on('error', reject)
        },
      )
      req.on('error', reject)
      req.end(body)
    })
  }

  /** Opens a request whose response is consumed as a stream (SSE). */
  open(
    path: string,
    headers: http.OutgoingHttpHeaders,
    signal: AbortSignal,
  ): Promise<http.IncomingMessage> {
    return new Promise((resolve, reject) => {
      const req = http.request(
        {
          host: this.host,
          port: this.port,
          method: 'GET',
          path,
          agent: this.agent,
          headers,
          signal,
        },
        resolve,
      )
      req.on('error', reject)
      req.end()
    })
  }

  /** Throws unless the status is one of `ok`. */
  static expect(res: RawResponse, ok: number[], what: string): RawResponse {
    if (!ok.includes(res.status)) {
      throw new Error(`${what}: HTTP ${res.status} ${res.body.toString('utf8').slice(0, 200)}`)
    }
    return res
  }

  close(): void {
    this.agent.destroy()
  }
}

/** Creates a stream (PUT); an identical existing stream is fine. */
export async function createStream(
  h: RawHttp,
  url: string,
  contentType: string,
  body?: Body,
): Promise<void> {
  const res = await h.request('PUT', RawHttp.pathOf(url), { 'content-type': contentType }, body)
  RawHttp.expect(res, [200, 201, 204], `PUT ${url}`)
}

/** Reads a whole stream by catch-up GETs (identity encoding) and returns its bytes. */
export async function readWhole(h: RawHttp, url: string): Promise<Buffer> {
  const path = RawHttp.pathOf(url)
  const parts: Buffer[] = []
  let offset = '-1'
  for (;;) {
    const res = RawHttp.expect(
      await h.request('GET', `${path}?offset=${encodeURIComponent(offset)}`),
      [200, 204],
      `GET ${url}`,
    )
    if (res.body.length > 0) parts.push(res.body)
    const next = header(res, 'stream-next-offset')
    if (header(res, 'stream-up-to-date') === 'true' || next === offset || next === '') break
    offset = next
  }
  return Buffer.concat(parts)
}
