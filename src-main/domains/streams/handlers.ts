/** Handlers of the streams methods (src-shared/contract/streams.ts). */
import type { streamsParams } from '../../../src-shared/contract/index.js'
import type { HandlersOf } from '../../core/core-types.js'
import type { AdminService } from './admin.js'
import type { BookmarkStore } from './bookmarks.js'
import type { StreamService } from './streams.js'

export interface StreamsDeps {
  streams: StreamService
  admin: AdminService
  bookmarks: BookmarkStore
  /** Tells every window that a connection's stream list changed. */
  onStreamsChanged: (connectionId: string) => void
}

export function streamsHandlers(d: () => StreamsDeps): HandlersOf<typeof streamsParams> {
  return {
    'streams.list': (_o, p) => d().streams.list(p.connectionId),
    'streams.summaries': (_o, p) => d().admin.describe(p.connectionId, p.paths),
    'streams.open': (_o, p) => d().streams.open(p.connectionId, p.path),
    'streams.head': (_o, p) => d().streams.head(p.connectionId, p.path),
    'streams.create': (_o, p) => d().admin.create(p.connectionId, p.path, p),
    'streams.append': (_o, p) => d().admin.append(p.connectionId, p.path, p),
    'streams.close': (_o, p) => d().admin.close(p.connectionId, p.path, p.body),
    'streams.delete': async (_o, p) => {
      await d().streams.delete(p.connectionId, p.path)
      return null
    },
    'streams.bookmarks': (_o, p) => d().bookmarks.list(p.connectionId),
    'streams.setBookmark': async (_o, p) => {
      const r = await d().bookmarks.set(p.connectionId, p.path, p.bookmarked)
      d().onStreamsChanged(p.connectionId)
      return r
    },
  }
}
