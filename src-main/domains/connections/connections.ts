/**
 * Named server profiles. The embedded server is the "Local" connection; other profiles come
 * from settings (base URL + default headers whose values live in the secret store).
 */
import { Client, TimeoutError } from '../../../src-shared/client/node.js'
import type { ConnectionInfo } from '../../../src-shared/contract/index.js'
import type { SecretStore } from './secret-store.js'
import type { ConnectionProfile, SettingsStore } from '../app/settings.js'

export const LOCAL_CONNECTION_ID = 'local'

/** How long opening a stream (its HEAD) or listing streams waits for the server to answer. */
export const ANSWER_TIMEOUT_MS = 10_000

/**
 * Runs `f` with a signal that aborts after `ms`; an abort becomes a `TimeoutError` that says
 * what happened (a server that accepts connections but never answers would otherwise hold the
 * UI for the client's timeout times its retries: minutes). `f` calls `answered()` once the
 * server has started to answer: the bound is on no answer, not on a long transfer.
 */
export async function withAnswerTimeout<T>(
  url: string,
  f: (signal: AbortSignal, answered: () => void) => Promise<T>,
  ms = ANSWER_TIMEOUT_MS,
): Promise<T> {
  const ac = new AbortController()
  const signal = ac.signal
  const timer = setTimeout(() => ac.abort(), ms)
  const answered = (): void => clearTimeout(timer)
  const timedOut = (cause?: unknown): TimeoutError =>
    new TimeoutError(
      `No answer from ${url} within ${ms / 1000} s: the server accepted the connection but did not respond`,
      { url, cause },
    )
  let value: T
  try {
    value = await f(signal, answered)
  } catch (err) {
    throw signal.aborted ? timedOut(err) : err
  } finally {
    clearTimeout(timer)
  }
  // A reader ends quietly when its signal aborts: what it returned then is cut short.
  if (signal.aborted) throw timedOut()
  return value
}

interface Resolved {
  info: ConnectionInfo
  client: Client
}

export class UnknownConnectionError extends Error {
  readonly code = 'NOT_FOUND'
  constructor(id: string) {
    super(`Unknown connection "${id}"`)
    this.name = 'UnknownConnectionError'
  }
}

export interface ConnectionServiceOptions {
  settings: SettingsStore
  secrets: SecretStore
  /** Base URL of the embedded server when it runs. */
  embeddedBaseUrl: string | null
  /** `--server URL` / DSI_SERVER_URL: connect there instead of the embedded server. */
  overrideUrl?: string | null
}

export class ConnectionService {
  private readonly clients = new Map<string, Resolved>()

  constructor(private readonly options: ConnectionServiceOptions) {}

  static secretKey(connectionId: string, header: string): string {
    return `header:${connectionId}:${header.toLowerCase()}`
  }

  async list(): Promise<ConnectionInfo[]> {
    const out: ConnectionInfo[] = []
    if (this.options.overrideUrl) {
      out.push({
        id: 'server',
        name: 'Server',
        baseUrl: stripSlash(this.options.overrideUrl),
        kind: 'remote',
        headerNames: [],
      })
    } else if (this.options.embeddedBaseUrl) {
      out.push({
        id: LOCAL_CONNECTION_ID,
        name: 'Local',
        baseUrl: this.options.embeddedBaseUrl,
        kind: 'embedded',
        headerNames: [],
      })
    }
    const settings = await this.options.settings.load()
    for (const p of settings.connections) out.push(profileInfo(p))
    return out
  }

  /** A shared client for the connection (created on first use). */
  async client(connectionId: string): Promise<Client> {
    return (await this.resolve(connectionId)).client
  }

  async info(connectionId: string): Promise<ConnectionInfo> {
    return (await this.resolve(connectionId)).info
  }

  /** Drops the cached client of a connection (its profile or secrets changed). */
  async forget(connectionId: string): Promise<void> {
    const cached = this.clients.get(connectionId)
    this.clients.delete(connectionId)
    if (cached) await cached.client.close()
  }

  async close(): Promise<void> {
    const all = [...this.clients.values()]
    this.clients.clear()
    await Promise.all(all.map((r) => r.client.close()))
  }

  private async resolve(connectionId: string): Promise<Resolved> {
    const cached = this.clients.get(connectionId)
    if (cached) return cached
    const info = (await this.list()).find((c) => c.id === connectionId)
    if (!info) throw new UnknownConnectionError(connectionId)
    const headers: Record<string, () => Promise<string>> = {}
    for (const name of info.headerNames) {
      const key = ConnectionService.secretKey(connectionId, name)
      // Evaluated per request so a rotated secret applies without reconnecting.
      headers[name] = async () => {
        const value = await this.options.secrets.get(key)
        if (value === undefined)
          throw new Error(`Missing secret for header ${name} of ${info.name}`)
        return value
      }
    }
    const client = new Client({ baseUrl: info.baseUrl, headers })
    const resolved = { info, client }
    this.clients.set(connectionId, resolved)
    return resolved
  }
}

function profileInfo(p: ConnectionProfile): ConnectionInfo {
  return {
    id: p.id,
    name: p.name,
    baseUrl: stripSlash(p.baseUrl),
    kind: 'remote',
    headerNames: p.headerNames,
  }
}

function stripSlash(url: string): string {
  return url.replace(/\/+$/, '')
}
