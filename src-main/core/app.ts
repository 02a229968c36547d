/**
 * Composes the Electron-free application: settings, secrets, the embedded server (unless a
 * server URL is given), connections, streams, reading sessions, producers and the dispatcher.
 */
import type { AppInfo } from '../../src-shared/contract/index.js'
import { AdminService } from '../domains/streams/admin.js'
import { BrowseService } from '../domains/reading/browse.js'
import { StateService } from '../domains/state/service.js'
import { BookmarkStore } from '../domains/streams/bookmarks.js'
import { ConnectionProfiles } from '../domains/connections/connection-profiles.js'
import { ConnectionService } from '../domains/connections/connections.js'
import { AppCore } from './core.js'
import { EmbeddedServer } from '../domains/connections/embedded-server.js'
import { defaultProducerFactory } from '../domains/producers/producer-driver.js'
import { ProducerService, type ProducerFactory } from '../domains/producers/producers.js'
import { MemorySecretStore, type SecretStore } from '../domains/connections/secret-store.js'
import { DeepLinkInbox } from '../domains/app/deeplinks.js'
import { SettingsStore } from '../domains/app/settings.js'
import { RegistryWatcher } from '../domains/streams/registry-watch.js'
import { REGISTRY_PATH, StreamService } from '../domains/streams/streams.js'
import { ReplayService } from '../domains/transfer/replay.js'
import { TransferService } from '../domains/transfer/transfer.js'

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
  /** `dsi://` links from the OS (Electron main pushes them here). */
  deepLinks: DeepLinkInbox
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
  const onStreamsChanged = (connectionId: string): void =>
    core.broadcast('streams.changed', { connectionId })
  const replay = new ReplayService(connections, (p) => core.broadcast('transfer.replayProgress', p))
  const deepLinks = new DeepLinkInbox((url) => {
    core.broadcast('app.deepLink', { url })
    return core.owners()
  })
  const browse = new BrowseService({
    connections,
    head: (connectionId, path) => streams.head(connectionId, path),
    emit: (ownerId, event, payload) => core.emit(ownerId, event, payload),
  })
  const state = new StateService({
    stream: async (connectionId, path) => (await connections.client(connectionId)).stream(path),
    emit: (ownerId, event, payload) => core.emit(ownerId, event, payload),
  })
  core.setServices({
    info: {
      version: opts.version,
      host: opts.host,
      platform: process.platform,
      embeddedServerUrl: embeddedBaseUrl,
    },
    deepLinks,
    connections,
    profiles: new ConnectionProfiles(settings, sharedSecrets, connections, (id) =>
      registry.unwatch(id),
    ),
    streams,
    admin: new AdminService(connections, streams, onStreamsChanged),
    bookmarks: new BookmarkStore(opts.userDataDir),
    onStreamsChanged,
    browse,
    state,
    producers,
    replay,
    transfer: new TransferService(connections),
  })

  let stopping: Promise<void> | null = null
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      replay.dispose()
      registry.close()
      await browse.closeAll()
      await state.closeAll()
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
    deepLinks,
    registry,
    embedded,
    stop,
  }
}
