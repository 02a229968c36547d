/**
 * Composes the Electron-free application: settings, secrets, the embedded server (unless a
 * server URL is given), connections, streams, reading sessions, producers and the dispatcher.
 */
import type { AppInfo } from '../../src-shared/contract/index.js'
import { AdminService } from './admin.js'
import { BrowseService } from './browse.js'
import { BookmarkStore } from './bookmarks.js'
import { ConnectionProfiles } from './connection-profiles.js'
import { ConnectionService } from './connections.js'
import { AppCore } from './core.js'
import { EmbeddedServer } from './embedded-server.js'
import { defaultProducerFactory } from './producer-driver.js'
import { ProducerService, type ProducerFactory } from './producers.js'
import { MemorySecretStore, type SecretStore } from './secret-store.js'
import { SettingsStore } from './settings.js'
import { RegistryWatcher } from './registry-watch.js'
import { REGISTRY_PATH, StreamService } from './streams.js'
import { ReplayService } from './replay.js'
import { TransferService } from './transfer.js'

export interface AppOptions {
  userDataDir: string
  host: AppInfo['host']
  version: string
  /** Connect to this server instead of starting the embedded one. */
  serverUrl?: string | null
  secrets?: SecretStore
  producerFactory?: ProducerFactory
}

export interface RunningApp {
  core: AppCore
  settings: SettingsStore
  connections: ConnectionService
  streams: StreamService
  producers: ProducerService
  browse: BrowseService
  registry: RegistryWatcher
  embedded: EmbeddedServer | null
  stop(): Promise<void>
}

export async function startApp(opts: AppOptions): Promise<RunningApp> {
  const settings = new SettingsStore(opts.userDataDir)
  await settings.load()
  const serverUrl = opts.serverUrl ?? null
  const embedded = serverUrl ? null : new EmbeddedServer({ userDataDir: opts.userDataDir })
  const embeddedBaseUrl = embedded ? await embedded.start() : null
  const core = new AppCore()
  const sharedSecrets = opts.secrets ?? new MemorySecretStore()
  const connections = new ConnectionService({
    settings,
    secrets: opts.secrets ?? sharedSecrets,
    embeddedBaseUrl,
    overrideUrl: serverUrl,
  })
  const registry = new RegistryWatcher({
    open: async (connectionId) => (await connections.client(connectionId)).stream(REGISTRY_PATH),
    onChange: (connectionId) => core.broadcast('streams.changed', { connectionId }),
    onDeleted: (connectionId, paths) => {
      for (const path of paths) browse.streamDeleted(connectionId, path)
    },
  })
  const streams = new StreamService(
    connections,
    settings,
    (connectionId) => core.broadcast('streams.changed', { connectionId }),
    (connectionId) => registry.watch(connectionId),
  )
  const producers = new ProducerService({
    userDataDir: opts.userDataDir,
    client: (id) => connections.client(id),
    factory: opts.producerFactory ?? defaultProducerFactory,
    onChanged: (info) => core.broadcast('producers.changed', info),
  })
  await producers.load()
  const secrets = sharedSecrets
  const onStreamsChanged = (connectionId: string): void =>
    core.broadcast('streams.changed', { connectionId })
  const replay = new ReplayService(connections, (p) => core.broadcast('transfer.replayProgress', p))
  const adminServices = {
    profiles: new ConnectionProfiles(settings, secrets, connections, (id) => registry.unwatch(id)),
    admin: new AdminService(connections, streams, onStreamsChanged),
    bookmarks: new BookmarkStore(opts.userDataDir),
    replay,
    transfer: new TransferService(connections),
    producers,
    connections,
    onStreamsChanged,
  }
  const browse = new BrowseService({
    connections,
    emit: (ownerId, event, payload) => core.emit(ownerId, event, payload),
    broadcastDeepLink: (url) => {
      core.broadcast('app.deepLink', { url })
      return core.owners()
    },
  })
  core.setServices({
    info: {
      version: opts.version,
      host: opts.host,
      platform: process.platform,
      embeddedServerUrl: embeddedBaseUrl,
    },
    connections,
    streams,
    producers,
    adminServices,
    browse,
  })

  let stopping: Promise<void> | null = null
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      replay.dispose()
      registry.close()
      await browse.closeAll()
      await producers.dispose()
      await connections.close()
      if (embedded) await embedded.stop()
    })()
    return stopping
  }
  return {
    core,
    settings,
    connections,
    streams,
    producers,
    browse,
    registry,
    embedded,
    stop,
  }
}
