/**
 * The embedded default server: a file-backed @durable-streams/server on 127.0.0.1 with the
 * registry hooks on, so streams created through it are listed in `__registry__`.
 */
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import {
  DurableStreamTestServer,
  createRegistryHooks,
  type StreamLifecycleEvent,
} from '@durable-streams/server'

/** Path prefix under which the server keeps streams (and its registry). */
export const STREAM_PREFIX = '/v1/stream'
export const REGISTRY_STREAM = '__registry__'

export interface EmbeddedServerOptions {
  userDataDir: string
  port?: number
  /** Called when a registry hook fails; the stream operation itself already succeeded. */
  onHookError?: (err: unknown) => void
}

export class EmbeddedServer {
  private server: DurableStreamTestServer | null = null
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
    const url = await server.start()
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
  }
}
