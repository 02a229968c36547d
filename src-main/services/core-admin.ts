/** Handlers of the admin-side methods (connections, streams, producers, transfer), merged into the dispatcher. */
import {
  ContractError,
  type connectionsParams,
  type MethodName,
  type ParsedParams,
  type producersParams,
  type Result,
  type streamsParams,
  type transferParams,
} from '../../src-shared/contract/index.js'
import type { AdminService } from './admin.js'
import type { BookmarkStore } from './bookmarks.js'
import type { ConnectionProfiles } from './connection-profiles.js'
import type { ProducerService } from './producers.js'
import type { ReplayService } from './replay.js'
import type { TransferService } from './transfer.js'
import { bodyMessages } from './bodies.js'

/** Most messages one producers.send may append (body messages × count). */
export const MAX_SEND_MESSAGES = 1_000_000
import { isJsonType } from './payloads.js'
import type { ConnectionService } from './connections.js'

export interface AdminServices {
  profiles: ConnectionProfiles
  admin: AdminService
  bookmarks: BookmarkStore
  replay: ReplayService
  transfer: TransferService
  producers: ProducerService
  connections: ConnectionService
  onStreamsChanged: (connectionId: string) => void
}

type AdminMethod = Exclude<
  | keyof typeof connectionsParams
  | keyof typeof streamsParams
  | keyof typeof producersParams
  | keyof typeof transferParams,
  | 'connections.list'
  | 'streams.list'
  | 'streams.open'
  | 'streams.head'
  | 'streams.delete'
  | 'producers.list'
> &
  MethodName
export type AdminHandlers = {
  [M in AdminMethod]: (ownerId: string, p: ParsedParams<M>) => Promise<Result<M>> | Result<M>
}

export function adminHandlers(s: () => AdminServices): AdminHandlers {
  return {
    'connections.save': (_o, p) => s().profiles.save(p),
    'connections.remove': async (_o, p) => {
      await s().profiles.remove(p.id)
      return null
    },
    'connections.test': (_o, p) => s().profiles.test(p),
    'streams.summaries': (_o, p) => s().admin.describe(p.connectionId, p.paths),
    'streams.bookmarks': (_o, p) => s().bookmarks.list(p.connectionId),
    'streams.setBookmark': async (_o, p) => {
      const r = await s().bookmarks.set(p.connectionId, p.path, p.bookmarked)
      s().onStreamsChanged(p.connectionId)
      return r
    },
    'streams.create': (_o, p) => s().admin.create(p.connectionId, p.path, p),
    'streams.append': (_o, p) => s().admin.append(p.connectionId, p.path, p),
    'streams.close': (_o, p) => s().admin.close(p.connectionId, p.path, p.body),
    'producers.create': (_o, p) =>
      s().producers.open(p.connectionId, p.path, p.producerId, p.options),
    'producers.send': async (_o, p) => {
      const info = s()
        .producers.list()
        .find((x) => x.id === p.id)
      if (!info) throw new Error(`Unknown producer ${p.id}`)
      const head = await (await s().connections.client(info.connectionId)).stream(info.path).head()
      const one = bodyMessages(p.body, isJsonType(head.contentType))
      if (one.length * p.count > MAX_SEND_MESSAGES) {
        throw new ContractError(
          'producers.send',
          'count',
          `${one.length} messages × ${p.count} is more than ${MAX_SEND_MESSAGES} messages in one send`,
        )
      }
      const all: unknown[] = []
      for (let i = 0; i < p.count; i++) for (const m of one) all.push(m)
      return s().producers.appendValues(p.id, all)
    },
    'producers.claim': (_o, p) => s().producers.claim(p.id, p.epoch),
    'producers.remove': async (_o, p) => {
      await s().producers.remove(p.id)
      return null
    },
    'transfer.replay': (_o, p) => s().replay.start(p),
    'transfer.cancelReplay': (_o, p) => {
      s().replay.cancel(p.runId)
      return null
    },
    'transfer.export': (_o, p) =>
      s().transfer.exportRange(
        p.connectionId,
        p.path,
        p.format,
        p.fromOffset,
        p.toOffset,
        p.count !== undefined ? { skip: p.skip ?? 0, count: p.count } : undefined,
      ),
    'transfer.import': async (_o, p) => {
      const r = await s().transfer.importFile(p.connectionId, p.path, p.format, p.content)
      return r
    },
  }
}
