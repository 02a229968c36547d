/**
 * Editing connection profiles: save (new or edited), remove, and test. Header values go to the
 * secret store and never come back to the renderer; an edit that leaves a value out keeps the
 * stored one.
 */
import { randomUUID } from 'node:crypto'
import { Client, DurableStreamsError } from '../../../src-shared/client/node.js'
import type { ConnectionInfo } from '../../../src-shared/contract/index.js'
import type {
  ConnectionDraftSchema,
  ConnectionTestResult,
} from '../../../src-shared/contract/index.js'
import type { z } from 'zod'
import { ConnectionService, LOCAL_CONNECTION_ID } from './connections.js'
import { toErrorData } from '../../core/errors.js'
import type { SecretStore } from './secret-store.js'
import type { SettingsStore } from '../app/settings.js'
import { REGISTRY_PATH } from '../streams/streams.js'

type Draft = z.output<typeof ConnectionDraftSchema>

export class ProfileError extends Error {
  readonly code = 'INVALID_ARGUMENT'
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message)
    this.name = 'InvalidArgumentError'
  }
}

export class ConnectionProfiles {
  constructor(
    private readonly settings: SettingsStore,
    private readonly secrets: SecretStore,
    private readonly connections: ConnectionService,
    /** Called after a profile is removed (stops following its registry). */
    private readonly onRemoved: (id: string) => void = () => undefined,
    /** How long Test connection waits for an answer. */
    private readonly testTimeoutMs = 5_000,
  ) {}

  async save(draft: Draft): Promise<ConnectionInfo> {
    const id = draft.id ?? `c-${randomUUID().slice(0, 8)}`
    if (id === LOCAL_CONNECTION_ID || id === 'server') {
      throw new ProfileError('The built-in connection cannot be edited', 'id')
    }
    const settings = await this.settings.load()
    const existing = settings.connections.find((c) => c.id === id)
    if (draft.id !== undefined && !existing) {
      throw new ProfileError(`Unknown connection "${draft.id}"`, 'id')
    }
    const names = draft.headers.map((h) => h.name)
    const lower = names.map((n) => n.toLowerCase())
    const dup = lower.find((n, i) => lower.indexOf(n) !== i)
    if (dup) throw new ProfileError(`Header "${dup}" is listed twice`, 'headers')
    const known = new Set((existing?.headerNames ?? []).map((n) => n.toLowerCase()))
    const sameOrigin = existing !== undefined && sameOriginUrls(existing.baseUrl, draft.baseUrl)
    for (const h of draft.headers) {
      if (h.value === undefined && !known.has(h.name.toLowerCase())) {
        throw new ProfileError(`Header "${h.name}" needs a value`, 'headers')
      }
      if (h.value === undefined && !sameOrigin) {
        throw new ProfileError(secretOriginMessage(h.name), 'headers')
      }
    }
    // Secrets first: a failure here leaves the profile as it was.
    for (const h of draft.headers) {
      if (h.value !== undefined) {
        await this.secrets.set(ConnectionService.secretKey(id, h.name), h.value)
      }
    }
    for (const old of existing?.headerNames ?? []) {
      if (!lower.includes(old.toLowerCase())) {
        await this.secrets.delete(ConnectionService.secretKey(id, old))
      }
    }
    const profile = { id, name: draft.name, baseUrl: draft.baseUrl, headerNames: names }
    await this.settings.update((s) => {
      const i = s.connections.findIndex((c) => c.id === id)
      if (i >= 0) s.connections[i] = profile
      else s.connections.push(profile)
      return s
    })
    await this.connections.forget(id)
    return this.connections.info(id)
  }

  async remove(id: string): Promise<void> {
    const settings = await this.settings.load()
    const existing = settings.connections.find((c) => c.id === id)
    if (!existing) throw new ProfileError(`Unknown or built-in connection "${id}"`, 'id')
    await this.settings.update((s) => {
      s.connections = s.connections.filter((c) => c.id !== id)
      delete s.openedStreams[id]
      return s
    })
    for (const h of existing.headerNames) {
      await this.secrets.delete(ConnectionService.secretKey(id, h))
    }
    await this.connections.forget(id)
    this.onRemoved(id)
  }

  /** Reaches the server: HEAD of the registry stream (404 still proves the server answers). */
  async test(target: {
    id?: string | undefined
    draft?: Draft | undefined
  }): Promise<ConnectionTestResult> {
    let client: Client
    let owned = false
    if (target.draft) {
      const headers: Record<string, string | (() => Promise<string>)> = {}
      const draftId = target.draft.id
      const saved =
        draftId === undefined
          ? undefined
          : (await this.settings.load()).connections.find((c) => c.id === draftId)
      // Stored secrets only ever go to the origin they were saved for.
      const sameOrigin = saved !== undefined && sameOriginUrls(saved.baseUrl, target.draft.baseUrl)
      for (const h of target.draft.headers) {
        if (h.value !== undefined) headers[h.name] = h.value
        else if (saved) {
          if (!sameOrigin) throw new ProfileError(secretOriginMessage(h.name), 'headers')
          const key = ConnectionService.secretKey(saved.id, h.name)
          headers[h.name] = async () => (await this.secrets.get(key)) ?? ''
        }
      }
      client = new Client({ baseUrl: target.draft.baseUrl, headers, retry: { maxRetries: 0 } })
      owned = true
    } else {
      client = await this.connections.client(target.id ?? '')
    }
    const started = performance.now()
    // Bounded: a server that accepts the connection but never answers is reported in seconds.
    const signal = AbortSignal.timeout(this.testTimeoutMs)
    try {
      const h = await client.stream(REGISTRY_PATH).head({ signal })
      if (h.nextOffset === undefined) return notDurableStreams(200, started)
      return result(true, 200, started, true, 'Connected; the server keeps a stream registry')
    } catch (err) {
      if (signal.aborted) {
        return result(
          false,
          null,
          started,
          false,
          `No answer within ${this.testTimeoutMs / 1000} s: the server accepted the connection but did not respond`,
        )
      }
      const e = toErrorData(err)
      if (e.status === 404) {
        // Any HTTP server answers 404; a Durable Streams server names the protocol's headers
        // in its answers (stream-* headers, or CORS lists of them).
        const headers = err instanceof DurableStreamsError ? err.headers : {}
        if (!speaksProtocol(headers)) return notDurableStreams(404, started)
        // Such a server answers 404 under any path: a base URL missing the streams' prefix
        // (the server root for http://host/v1/stream) would look connected and list nothing.
        const below = await streamsBelow(client.stream(REGISTRY_PATH).url, signal)
        if (below) {
          return result(
            false,
            404,
            started,
            false,
            `Reachable, but no streams at this base URL: this server's streams are at ${below} (use that as the base URL)`,
          )
        }
        return result(
          true,
          404,
          started,
          false,
          'Connected (no __registry__ stream on this server)',
        )
      }
      return result(false, e.status ?? null, started, false, e.message)
    } finally {
      if (owned) await client.close()
    }
  }
}

/**
 * The base URL one level down (`<base>/v1/stream`, the usual prefix) when the server keeps its
 * stream registry there, else null. A plain HEAD without the profile's headers: it only
 * checks a guess, and stored secrets never go to a URL the user did not enter.
 */
async function streamsBelow(registryUrl: string, signal: AbortSignal): Promise<string | null> {
  const base = registryUrl.slice(0, registryUrl.lastIndexOf('/'))
  if (/\/v1\/stream$/.test(base)) return null
  const guess = `${base}/v1/stream`
  try {
    const res = await fetch(`${guess}/${REGISTRY_PATH}`, { method: 'HEAD', signal })
    return res.ok && res.headers.has('stream-next-offset') ? guess : null
  } catch {
    return null // only a hint: the test's own result stands
  }
}

function speaksProtocol(headers: Record<string, string>): boolean {
  return Object.entries(headers).some(
    ([name, value]) => name.startsWith('stream-') || /\bstream-next-offset\b/i.test(value),
  )
}

function notDurableStreams(status: number, started: number): ConnectionTestResult {
  return result(
    false,
    status,
    started,
    false,
    `Reachable (HTTP ${status}), but it does not look like a Durable Streams server: its answer carries none of the protocol's headers`,
  )
}

function result(
  ok: boolean,
  status: number | null,
  started: number,
  registry: boolean,
  message: string,
): ConnectionTestResult {
  return { ok, status, latencyMs: Math.round(performance.now() - started), registry, message }
}

/** Same scheme, host and port: stored header secrets may be sent there. */
function sameOriginUrls(a: string, b: string): boolean {
  try {
    return new URL(a).origin === new URL(b).origin
  } catch (_err) {
    return false
  }
}

function secretOriginMessage(header: string): string {
  return `Header "${header}" needs its value again: the server address changed, so the stored value is not sent there`
}
