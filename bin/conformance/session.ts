/**
 * State shared by all commands of one adapter run: the server, the client, the content type
 * of every stream seen, dynamic values and the cached idempotent producers.
 */
import {
  Client,
  isJsonContentType,
  type DynamicValue,
  type IdempotentProducer,
  type Stream,
} from '../../src-shared/client/node.js'
import { DynamicValues } from './dynamic.js'

const encoder = new TextEncoder()

export class Session {
  serverUrl = ''
  private _client: Client | undefined
  private clientParams = ''
  /** Content type per stream path (appends must send the stream's type). */
  readonly contentTypes = new Map<string, string>()
  readonly dynamic = new DynamicValues()
  /** Producers kept across idempotent-* commands, by `path|producerId|epoch`. */
  readonly producers = new Map<string, IdempotentProducer>()

  init(serverUrl: string): void {
    this.serverUrl = serverUrl.replace(/\/+$/, '')
    this.contentTypes.clear()
    this.dynamic.clear()
    this.producers.clear()
    this._client = undefined
  }

  /**
   * The client, rebuilt when the set of dynamic params changes (client params are fixed at
   * construction; their values are functions evaluated per request).
   */
  get client(): Client {
    const names = this.dynamic.paramNames()
    const key = names.join('\u0000')
    if (!this._client || key !== this.clientParams) {
      const params: Record<string, DynamicValue> = {}
      for (const name of names) params[name] = () => this.dynamic.paramValue(name)
      // The suite expects plain appends to be retried after a 500 (append-retry-on-500):
      // at-least-once, which the client does only when asked (its default is 'safe').
      this._client = new Client({ baseUrl: this.serverUrl, params, appendRetry: 'at-least-once' })
      this.clientParams = key
    }
    return this._client
  }

  /** A handle on `path` (no I/O), with its content type when known. */
  stream(
    path: string,
    opts: { headers?: Record<string, DynamicValue>; contentType?: string } = {},
  ): Stream {
    const contentType = opts.contentType ?? this.contentTypes.get(path)
    return this.client.stream(path, {
      ...(contentType !== undefined ? { contentType } : {}),
      ...(opts.headers ? { headers: opts.headers } : {}),
    })
  }

  remember(path: string, contentType: string | undefined): void {
    if (contentType) this.contentTypes.set(path, contentType)
  }

  isJson(path: string): boolean {
    return isJsonContentType(this.contentTypes.get(path))
  }

  /**
   * A message body from the protocol's `data` string, as bytes: JSON streams take bytes as
   * pre-serialised JSON text sent verbatim, other streams send them as they are.
   */
  body(data: string): Uint8Array {
    return encoder.encode(data)
  }
}
