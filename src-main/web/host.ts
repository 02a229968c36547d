/**
 * The web host: serves the built renderer and the IPC contract over a WebSocket on 127.0.0.1.
 * Every WebSocket upgrade must carry the per-launch token and come from the host's own origin,
 * so another local page (or a DNS-rebinding attacker) cannot drive the app.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { readFile, stat } from 'node:fs/promises'
import { extname, join, normalize, resolve, sep } from 'node:path'
import { randomBytes } from 'node:crypto'
import type { AddressInfo } from 'node:net'
import type { Duplex } from 'node:stream'
import { WebSocketServer, type WebSocket, type RawData } from 'ws'
import type { WireResult } from '../../src-shared/ipc/wire.js'
import {
  MAX_CALL_BYTES,
  MAX_FRAME_BYTES,
  TOKEN_PARAM,
  WS_PATH,
  type PartFrame,
  type ServerFrame,
} from '../../src-shared/ipc/wire.js'
import type { CoreLike } from '../core/core-types.js'
import { allowedHosts, allowedOrigins, contentSecurityPolicy, tokenMatches } from './security.js'
import { errorMessage } from '../../src-shared/error-message.js'

export interface WebHostOptions {
  core: CoreLike
  /** Directory with the built renderer (index.html and assets). */
  staticDir: string
  port?: number
  /** Fixed token (tests); random per launch otherwise. */
  token?: string
  /** How long a call in parts may wait for its next part (tests); PART_IDLE_MS otherwise. */
  partIdleMs?: number
}

export interface WebHost {
  /** URL to open, including the token. */
  url: string
  origin: string
  port: number
  token: string
  /** Number of open bridge sockets. */
  connections(): number
  close(): Promise<void>
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.ttf': 'font/ttf',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
}

export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const token = options.token ?? randomBytes(24).toString('base64url')
  const root = resolve(options.staticDir)
  await stat(join(root, 'index.html')).catch((err: unknown) => {
    throw new Error(`Renderer is not built: ${join(root, 'index.html')} is missing`, { cause: err })
  })
  let port = 0
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES })
  const sockets = new Set<WebSocket>()
  let nextOwner = 1
  const partBudget = new PartBudget(HOST_PART_BYTES)
  const partIdleMs = options.partIdleMs ?? PART_IDLE_MS
  /** Each socket's assembler and how it answers a call, for expiring stalled calls. */
  const assemblers = new Map<
    WebSocket,
    { parts: PartAssembler; answer: (r: ServerFrame) => void }
  >()
  const expiry = setInterval(() => {
    for (const { parts, answer } of assemblers.values()) {
      for (const { id, result } of parts.expire(Date.now(), partIdleMs)) {
        answer({ t: 'result', id, result })
      }
    }
  }, partIdleMs / 4)
  expiry.unref()

  const server = createServer((req, res) => {
    serveStatic(root, port, req, res).catch((err: unknown) => {
      console.error('[web-host] static error:', err)
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' })
      res.end('Internal error')
    })
  })

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const reject = (status: number, reason: string): void => {
      socket.write(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`)
      socket.destroy()
    }
    const url = new URL(req.url ?? '/', 'http://placeholder')
    if (url.pathname !== WS_PATH) return reject(404, 'Not Found')
    if (!allowedHosts(port).has(req.headers.host ?? '')) return reject(403, 'Forbidden')
    if (!allowedOrigins(port).has(req.headers.origin ?? '')) return reject(403, 'Forbidden')
    if (!tokenMatches(token, url.searchParams.get(TOKEN_PARAM))) return reject(401, 'Unauthorized')
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req))
  })

  wss.on('connection', (ws: WebSocket) => {
    const ownerId = `ws:${nextOwner++}`
    sockets.add(ws)
    const sendText = (text: string): void => {
      if (ws.readyState === ws.OPEN) ws.send(text)
    }
    const send = (frame: ServerFrame): void => {
      try {
        sendText(JSON.stringify(frame))
      } catch (err) {
        if (frame.t === 'result') {
          // A result that cannot be serialised (e.g. RangeError: Invalid string length) still
          // answers the call, so the page shows an error instead of waiting forever.
          console.error(`[web-host] ${ownerId}: result of call ${frame.id} not sent:`, err)
          sendText(JSON.stringify({ t: 'result', id: frame.id, result: unsendable(err) }))
        } else {
          console.error(`[web-host] ${ownerId}: event ${frame.event} dropped:`, err)
        }
      }
    }
    options.core.attach(ownerId, (event, payload) => send({ t: 'event', event, payload }))
    const call = (frame: CallFrame): void => {
      // An unknown method is the core's to refuse: it answers with a ContractError.
      options.core
        .handle(ownerId, methodOf(frame), frame.params)
        .then((result) => send({ t: 'result', id: frame.id, result }))
        .catch((err: unknown) => console.error(`[web-host] ${ownerId}: call failed:`, err))
    }
    const parts = new PartAssembler(MAX_CALL_BYTES, partBudget)
    assemblers.set(ws, { parts, answer: send })
    ws.on('message', (data: RawData) => {
      let frame: unknown
      try {
        const bytes = Buffer.isBuffer(data)
          ? data
          : Array.isArray(data)
            ? Buffer.concat(data)
            : Buffer.from(data)
        frame = JSON.parse(bytes.toString())
      } catch (_err) {
        ws.close(1003, 'frames must be JSON')
        return
      }
      if (isCallFrame(frame)) return call(frame)
      if (isPartFrame(frame)) {
        const step = parts.add(frame)
        if (step.kind === 'refused') send({ t: 'result', id: frame.id, result: step.result })
        else if (step.kind === 'done') {
          let whole: unknown
          try {
            whole = JSON.parse(step.text)
          } catch (_err) {
            whole = undefined
          }
          if (isCallFrame(whole) && whole.id === frame.id) call(whole)
          else send({ t: 'result', id: frame.id, result: badParts('the parts are not one call') })
        }
        return
      }
      ws.close(1003, 'malformed call frame')
    })
    ws.on('close', () => {
      assemblers.delete(ws)
      parts.clear()
      sockets.delete(ws)
      options.core.detach(ownerId)
    })
    // E.g. a frame over MAX_FRAME_BYTES (ws closes with 1009); one line, no stack.
    ws.on('error', (err) => console.error(`[web-host] socket ${ownerId} error: ${err.message}`))
  })

  await new Promise<void>((ok, fail) => {
    server.once('error', fail)
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', fail)
      ok()
    })
  })
  port = (server.address() as AddressInfo).port
  const origin = `http://127.0.0.1:${port}`

  return {
    url: `${origin}/?${TOKEN_PARAM}=${encodeURIComponent(token)}`,
    origin,
    port,
    token,
    connections: () => sockets.size,
    close: async () => {
      clearInterval(expiry)
      for (const ws of sockets) ws.terminate()
      await new Promise<void>((ok) => wss.close(() => ok()))
      server.closeAllConnections()
      await new Promise<void>((ok, fail) => server.close((err) => (err ? fail(err) : ok())))
    },
  }
}

interface CallFrame {
  t: 'call'
  id: number
  /** Checked by the core (see `methodOf`). */
  method: unknown
  params: unknown
}

/** A call frame; its method may be unknown or no name at all (the core answers with an error). */
function isCallFrame(v: unknown): v is CallFrame {
  if (typeof v !== 'object' || v === null) return false
  const f = v as Record<string, unknown>
  return f.t === 'call' && Number.isSafeInteger(f.id) && 'method' in f
}

/**
 * The method name the core is asked for: no method is longer than 200 characters or not a
 * string, so such a call stays unknown, and its error message does not echo megabytes back.
 */
function methodOf(frame: CallFrame): string {
  const m: unknown = frame.method
  if (typeof m !== 'string') return `(a ${m === null ? 'null' : typeof m}, not a method name)`
  return m.length <= 200 ? m : `${m.slice(0, 200)}…`
}

function isPartFrame(v: unknown): v is PartFrame {
  if (typeof v !== 'object' || v === null) return false
  const f = v as Record<string, unknown>
  return (
    f.t === 'part' &&
    Number.isSafeInteger(f.id) &&
    Number.isSafeInteger(f.seq) &&
    typeof f.data === 'string' &&
    typeof f.last === 'boolean'
  )
}

/** Calls being assembled from parts on one socket at once. */
const MAX_PARTIAL_CALLS = 8
/**
 * Refused calls whose remaining parts are dropped silently, per socket. Beyond it the oldest is
 * forgotten (its later parts are then refused again, each answered once more), so a client that
 * starts calls it never finishes cannot grow this without bound.
 */
const MAX_REFUSED_CALLS = 64
/** What all sockets of one host together hold in unfinished calls: two largest calls at once. */
export const HOST_PART_BYTES = 2 * MAX_CALL_BYTES
/** A call in parts with no new part for this long is dropped and answered with an error. */
export const PART_IDLE_MS = 60_000

/** The bytes of unfinished calls held across the sockets that share it (one per host). */
export class PartBudget {
  held = 0
  constructor(readonly max: number) {}
}

type PartStep =
  { kind: 'more' } | { kind: 'done'; text: string } | { kind: 'refused'; result: WireResult }

/**
 * Assembles calls sent in parts (see `callFrames` in wire.ts). What one socket holds in unfinished
 * calls is bounded by MAX_CALL_BYTES in total; a call that breaks a rule is answered with an
 * error once and its remaining parts are dropped, while the socket stays open.
 */
export class PartAssembler {
  private readonly calls = new Map<
    number,
    { chunks: string[]; bytes: number; next: number; lastAt: number }
  >()
  /** Calls already refused: their remaining parts are dropped silently until the last one. */
  private readonly refused = new Set<number>()
  private held = 0

  constructor(
    private readonly maxBytes = MAX_CALL_BYTES,
    private readonly budget = new PartBudget(Number.POSITIVE_INFINITY),
  ) {}

  /** Bytes held in unfinished calls. */
  get heldBytes(): number {
    return this.held
  }

  /** Refused calls whose later parts are still being dropped. */
  get refusedCalls(): number {
    return this.refused.size
  }

  add(part: PartFrame, now = Date.now()): PartStep {
    if (this.refused.has(part.id)) {
      if (part.last) this.refused.delete(part.id)
      return { kind: 'more' }
    }
    let call = this.calls.get(part.id)
    if (!call) {
      if (part.seq !== 0) return this.refuse(part, badParts(`part ${part.seq} came first`))
      if (this.calls.size >= MAX_PARTIAL_CALLS) {
        return this.refuse(part, badParts(`more than ${MAX_PARTIAL_CALLS} calls in parts at once`))
      }
      call = { chunks: [], bytes: 0, next: 0, lastAt: 0 }
      this.calls.set(part.id, call)
    }
    if (part.seq !== call.next) {
      return this.refuse(part, badParts(`part ${part.seq} came after part ${call.next - 1}`))
    }
    const bytes = Buffer.byteLength(part.data)
    if (this.budget.held + bytes > this.budget.max && this.held + bytes <= this.maxBytes) {
      const mib = Math.round(this.budget.max / (1024 * 1024))
      return this.refuse(part, {
        ok: false,
        error: {
          name: 'PayloadTooLargeError',
          code: 'PAYLOAD_TOO_LARGE',
          message: `Other large requests are in progress (max ${mib} MiB at once); try again when they finish`,
        },
      })
    }
    if (this.held + bytes > this.maxBytes) {
      return this.refuse(part, {
        ok: false,
        error: {
          name: 'PayloadTooLargeError',
          code: 'PAYLOAD_TOO_LARGE',
          message: `The request is too large (max ${this.maxBytes / (1024 * 1024)} MiB)`,
        },
      })
    }
    call.chunks.push(part.data)
    call.lastAt = now
    call.bytes += bytes
    call.next++
    this.held += bytes
    this.budget.held += bytes
    if (!part.last) return { kind: 'more' }
    this.drop(part.id)
    return { kind: 'done', text: call.chunks.join('') }
  }

  /**
   * Drops the calls whose last part came more than `idleMs` before `now` and returns their ids
   * with the error that answers them. The page sends a call's parts back to back, so a call that
   * stalls is never finished, and the memory it holds counts against every socket's budget.
   */
  expire(now: number, idleMs: number): Array<{ id: number; result: WireResult }> {
    const out: Array<{ id: number; result: WireResult }> = []
    for (const [id, call] of this.calls) {
      if (now - call.lastAt <= idleMs) continue
      this.drop(id)
      this.refused.add(id) // parts arriving later are dropped, as for any refused call
      out.push({ id, result: badParts(`no part for ${Math.round(idleMs / 1000)} s`) })
    }
    while (this.refused.size > MAX_REFUSED_CALLS) {
      this.refused.delete(this.refused.values().next().value as number)
    }
    return out
  }

  clear(): void {
    this.calls.clear()
    this.refused.clear()
    this.budget.held -= this.held
    this.held = 0
  }

  private refuse(part: PartFrame, result: WireResult): PartStep {
    this.drop(part.id)
    if (!part.last) {
      if (this.refused.size >= MAX_REFUSED_CALLS) {
        const oldest = this.refused.values().next()
        if (!oldest.done) this.refused.delete(oldest.value)
      }
      this.refused.add(part.id)
    }
    return { kind: 'refused', result }
  }

  private drop(id: number): void {
    const call = this.calls.get(id)
    if (!call) return
    this.held -= call.bytes
    this.budget.held -= call.bytes
    this.calls.delete(id)
  }
}

function badParts(detail: string): WireResult {
  return {
    ok: false,
    error: {
      name: 'InvalidArgumentError',
      code: 'INVALID_ARGUMENT',
      message: `Malformed call in parts: ${detail}`,
    },
  }
}

async function serveStatic(
  root: string,
  port: number,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const baseHeaders = {
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cross-origin-opener-policy': 'same-origin',
    'x-frame-options': 'DENY',
  }
  if (!allowedHosts(port).has(req.headers.host ?? '')) {
    res.writeHead(403, { ...baseHeaders, 'content-type': 'text/plain' })
    res.end('Forbidden host')
    return
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { ...baseHeaders, allow: 'GET, HEAD' })
    res.end()
    return
  }
  let pathname: string
  try {
    pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://placeholder').pathname)
  } catch (_err) {
    pathname = '\0' // malformed escape: answered 400 below
  }
  if (pathname.includes('\0')) {
    res.writeHead(400, { ...baseHeaders, 'content-type': 'text/plain' })
    res.end('Bad request path')
    return
  }
  const rel = pathname === '/' ? 'index.html' : normalize(pathname).replace(/^[/\\]+/, '')
  const file = resolve(root, rel)
  if (file !== root && !file.startsWith(root + sep)) {
    res.writeHead(403, baseHeaders)
    res.end()
    return
  }
  let body: Buffer
  try {
    body = await readFile(file)
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'ENOENT' || code === 'EISDIR') {
      res.writeHead(404, { ...baseHeaders, 'content-type': 'text/plain' })
      res.end('Not found')
      return
    }
    throw err
  }
  const ext = extname(file)
  res.writeHead(200, {
    ...baseHeaders,
    'content-type': MIME[ext] ?? 'application/octet-stream',
    'cache-control': ext === '.html' ? 'no-store' : 'public, max-age=3600',
    ...(ext === '.html' ? { 'content-security-policy': contentSecurityPolicy(port) } : {}),
  })
  res.end(req.method === 'HEAD' ? undefined : body)
}

/** The error result sent in place of a result that could not be serialised. */
function unsendable(err: unknown): WireResult {
  const tooLarge = err instanceof RangeError
  return {
    ok: false,
    error: tooLarge
      ? {
          name: 'PayloadTooLargeError',
          code: 'PAYLOAD_TOO_LARGE',
          message: 'The result is too large to send to the page; request a smaller range',
        }
      : {
          name: 'InternalError',
          code: 'INTERNAL',
          message: `The result could not be sent: ${errorMessage(err)}`,
        },
  }
}
