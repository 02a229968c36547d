/**
 * The embedded default server: a file-backed @durable-streams/server on 127.0.0.1 with the
 * registry hooks on, so streams created through it are listed in `__registry__`, and catch-up
 * responses bounded in size so a large stream's first messages arrive quickly.
 */
import { mkdir } from 'node:fs/promises'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { join } from 'node:path'
import {
  DurableStreamTestServer,
  createRegistryHooks,
  type StreamLifecycleEvent,
} from '@durable-streams/server'
import { AppendJournal, type JournaledStore } from '../transfer/append-journal.js'
import { boundReads, type BoundedReadOptions } from './bounded-reads.js'
import { errorMessage } from '../../../src-shared/error-message.js'

/** Path prefix under which the server keeps streams (and its registry). */
export const STREAM_PREFIX = '/v1/stream'
export const REGISTRY_STREAM = '__registry__'

export interface EmbeddedServerOptions {
  userDataDir: string
  port?: number
  /** Called when a registry hook fails; the stream operation itself already succeeded. */
  onHookError?: (err: unknown) => void
  /**
   * How much one catch-up response may carry (see bounded-reads.ts); `false` answers every read
   * with everything up to the tail, as the reference server does on its own.
   */
  boundedReads?: BoundedReadOptions | false
}

export class EmbeddedServer {
  private server: DurableStreamTestServer | null = null
  private journal: AppendJournal | null = null
  private origin: string | null = null

  constructor(private readonly options: EmbeddedServerOptions) {}

  get dataDir(): string {
    return join(this.options.userDataDir, 'server-data')
  }

  /** Base URL for stream paths, e.g. http://127.0.0.1:1234/v1/stream */
  get baseUrl(): string {
    if (!this.origin) throw new Error('Embedded server is not running')
    return `${this.origin}${STREAM_PREFIX}`
  }

  get running(): boolean {
    return this.server !== null
  }

  async start(): Promise<string> {
    if (this.server) return this.baseUrl
    await mkdir(this.dataDir, { recursive: true })
    // The hooks need the server's URL, known only after start(); they delegate lazily.
    let hooks: ReturnType<typeof createRegistryHooks> | null = null
    const report = (err: unknown): void => {
      if (this.options.onHookError) this.options.onHookError(err)
      else console.error('[embedded-server] registry hook failed:', err)
    }
    const server = new DurableStreamTestServer({
      host: '127.0.0.1',
      port: this.options.port ?? 0,
      dataDir: this.dataDir,
      onStreamCreated: async (e: StreamLifecycleEvent) => {
        if (!hooks || e.path === `${STREAM_PREFIX}/${REGISTRY_STREAM}`) return
        await Promise.resolve(hooks.onStreamCreated(e)).catch(report)
      },
      onStreamDeleted: async (e: StreamLifecycleEvent) => {
        if (!hooks || e.path === `${STREAM_PREFIX}/${REGISTRY_STREAM}`) return
        await Promise.resolve(hooks.onStreamDeleted(e)).catch(report)
      },
    })
    // The store recovered its streams in the constructor; see append-journal.ts for what it
    // cannot recover on its own.
    const store = server.store as unknown as JournaledStore
    const journal = new AppendJournal(join(this.dataDir, 'append-journal.ndjson'))
    for (const r of journal.recover(store)) {
      console.warn(
        `[embedded-server] Recovery: committed an append found in the file only: ${JSON.stringify(r)}`,
      )
    }
    journal.attach(store)
    this.journal = journal
    endBrokenResponses(server)
    guard(server, () => this.origin)
    const bounds = this.options.boundedReads ?? {}
    if (bounds) applyBoundedReads(server, bounds)
    let url: string
    try {
      url = await server.start()
    } catch (err) {
      journal.close() // e.g. the port is taken: nothing was served, nothing to journal
      this.journal = null
      throw err
    }
    this.origin = url.replace(/\/+$/, '')
    hooks = createRegistryHooks(server.store, this.origin)
    this.server = server
    return this.baseUrl
  }

  async stop(): Promise<void> {
    const server = this.server
    this.server = null
    this.origin = null
    if (server) await server.stop()
    this.journal?.close()
    this.journal = null
  }
}

type RequestHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>

/**
 * Only main (and tools like curl) may use the embedded server, never a web page in the user's
 * browser: the test server answers every origin with `Access-Control-Allow-Origin: *`. Refused:
 * any request carrying an Origin header (browsers send one on every cross-origin fetch and
 * preflight; Node's fetch in main sends none), a Host other than the server's own loopback
 * address (DNS rebinding), and the test server's fault-injection endpoint (judged on the path
 * the server routes on, see `servedPath`).
 */
function guard(server: DurableStreamTestServer, origin: () => string | null): void {
  // handleRequest is private in the package's types; the instance property is what its HTTP
  // server calls, so wrapping it here puts the check in front of every request.
  const target = server as unknown as { handleRequest: RequestHandler }
  const inner = target.handleRequest.bind(server)
  target.handleRequest = async (req, res) => {
    const reason = refusal(req, origin())
    if (reason) {
      res.writeHead(403, { 'content-type': 'text/plain' })
      res.end(reason)
      return
    }
    await inner(req, res)
  }
}

/**
 * A request that fails after its response began (status and headers sent) is ended here. The
 * server's own error handling would write a status then: `ERR_HTTP_HEADERS_SENT`, logged, and
 * the response left open. That is what happens to an SSE reader whose stream is deleted: the
 * next read in the server's SSE loop throws "Stream not found", and the client kept a silent
 * connection until its idle watchdog gave up. Ended instead, the client reconnects at once and
 * its new request gets the 404.
 */
function endBrokenResponses(server: DurableStreamTestServer): void {
  const target = server as unknown as {
    handleSSE: (...args: unknown[]) => Promise<void>
    handleRequest: RequestHandler
  }
  const sse = target.handleSSE.bind(server)
  target.handleSSE = async (...args) => {
    // handleSSE(path, stream, offset, cursor, useBase64, res)
    const res = args[5] as ServerResponse
    try {
      await sse(...args)
    } catch (err) {
      if (!res.headersSent) throw err
      res.end() // a clean end of the event stream: the reader reconnects from its offset
    }
  }
  const request = target.handleRequest.bind(server)
  target.handleRequest = async (req, res) => {
    try {
      await request(req, res)
    } catch (err) {
      if (!res.headersSent) throw err
      // The body is incomplete: closing the connection tells the client so.
      const what = errorMessage(err)
      console.error(`[embedded-server] ${req.method} ${req.url} failed mid-response: ${what}`)
      res.destroy()
    }
  }
}

/**
 * Bounded catch-up reads (bounded-reads.ts) and the two places of the server they touch:
 * - the SSE handler's catch-up stays unbounded (see `BoundedReads.unbounded`);
 * - conditional reads get full answers: the server's ETag is `path:start:end`, which a response
 *   that reached the tail and a later bounded one can share, and a 304 would then revive the
 *   old `Stream-Up-To-Date`.
 * Both handlers are private in the package's types; as in `guard`, the instance properties are
 * what the server calls.
 */
function applyBoundedReads(server: DurableStreamTestServer, options: BoundedReadOptions): void {
  const bounds = boundReads(server.store, options)
  const target = server as unknown as {
    handleSSE: (...args: unknown[]) => Promise<void>
    handleRequest: RequestHandler
  }
  const sse = target.handleSSE.bind(server)
  target.handleSSE = (...args) => bounds.unbounded(() => sse(...args))
  const request = target.handleRequest.bind(server)
  target.handleRequest = (req, res) => {
    delete req.headers['if-none-match']
    return request(req, res)
  }
}

export function refusal(req: IncomingMessage, origin: string | null): string | null {
  if (!origin) return 'Server is starting'
  const port = new URL(origin).port
  const host = req.headers.host ?? ''
  if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`) return 'Forbidden host'
  if (req.headers.origin !== undefined) return 'Browser pages may not use this server'
  const path = servedPath(req.url, host)
  if (path === null) return 'Bad request target'
  if (/^\/_test(\/|$)/i.test(path)) return 'Not available'
  return null
}

/**
 * The path the server will act on: it routes on `new URL(req.url, 'http://' + host).pathname`,
 * which resolves `.`/`..` segments (also written `%2e`), turns a backslash into `/` and takes the path
 * of an absolute-form target (`GET http://other/_test/… HTTP/1.1`). Checks must look at that
 * result, never at the raw target. `null` when it cannot be parsed (the server would fail too).
 */
export function servedPath(target: string | undefined, host: string): string | null {
  try {
    return new URL(target ?? '/', `http://${host}`).pathname
  } catch (_err) {
    return null
  }
}
