/**
 * Streams on a connection: the sidebar's list (registry, opened, bookmarked), HEAD, create
 * (also as a fork), append, close, delete.
 */
import { z } from 'zod'
import {
  BodySchema,
  ConnectionIdSchema,
  ContentTypeSchema,
  OffsetSchema,
  StreamPathSchema,
  StreamRef,
} from './common.js'

export interface StreamEntry {
  path: string
  contentType: string | null
  source: 'registry' | 'opened' | 'both'
}

/** One row of the sidebar's batch HEAD (`streams.summaries`): never throws per stream. */
export interface StreamSummary {
  path: string
  contentType: string | null
  closed: boolean | null
  /** The tail offset the HEAD reported (Stream-Next-Offset); null if it failed or had none. */
  nextOffset: string | null
  error: string | null
}

export interface StreamInfo {
  path: string
  url: string
  contentType: string
  nextOffset: string
  closed: boolean
  etag: string | null
  ttlSeconds: number | null
  expiresAt: string | null
}

/** A stream's HEAD: StreamInfo plus caching headers (the stream header shows them). */
export interface StreamHeaderInfo extends StreamInfo {
  cacheControl: string | null
  /** When the HEAD was answered (ms since epoch): the sliding TTL counts from the last access. */
  fetchedAt: number
}

export const streamsParams = {
  'streams.list': z.object({ connectionId: ConnectionIdSchema }).strict(),
  'streams.summaries': z
    .object({ connectionId: ConnectionIdSchema, paths: z.array(StreamPathSchema).max(200) })
    .strict(),
  /** HEADs the stream and remembers it in the connection's opened list. */
  'streams.open': StreamRef.strict(),
  'streams.head': StreamRef.strict(),
  'streams.create': StreamRef.extend({
    contentType: ContentTypeSchema.optional(),
    ttlSeconds: z.number().int().min(0, 'TTL must be ≥ 0 seconds').optional(),
    expiresAt: z.iso
      .datetime({ offset: true, message: 'expires-at must be an RFC 3339 date-time' })
      .optional(),
    closed: z.boolean().default(false),
    body: BodySchema.optional(),
    forkedFrom: StreamPathSchema.optional(),
    forkOffset: OffsetSchema.optional(),
    /** Stream-Fork-Sub-Offset: messages (JSON) or bytes past forkOffset to keep. */
    forkSubOffset: z.number().int().min(0, 'sub-offset must be ≥ 0').optional(),
  })
    .strict()
    .refine((v) => !(v.ttlSeconds !== undefined && v.expiresAt !== undefined), {
      message: 'give a TTL or an expires-at, not both',
      path: ['ttlSeconds'],
    }),
  'streams.append': StreamRef.extend({
    body: BodySchema,
    seq: z.string().trim().min(1).max(200).optional(),
    close: z.boolean().default(false),
    /** Send this Content-Type instead of the stream's (checks a mismatch on purpose). */
    contentType: ContentTypeSchema.optional(),
  }).strict(),
  'streams.close': StreamRef.extend({ body: BodySchema.optional() }).strict(),
  'streams.delete': StreamRef.strict(),
  'streams.bookmarks': z.object({ connectionId: ConnectionIdSchema }).strict(),
  'streams.setBookmark': StreamRef.extend({ bookmarked: z.boolean() }).strict(),
}

export interface StreamsResults {
  'streams.list': StreamEntry[]
  'streams.summaries': StreamSummary[]
  'streams.open': StreamInfo
  'streams.head': StreamHeaderInfo
  'streams.create': StreamInfo
  'streams.append': { nextOffset: string; closed: boolean }
  'streams.close': { finalOffset: string }
  'streams.delete': null
  /** Bookmarked paths of the connection. */
  'streams.bookmarks': string[]
  'streams.setBookmark': string[]
}

export interface StreamsEvents {
  /** The connection's stream list changed (registry, create, delete, bookmark). */
  'streams.changed': { connectionId: string }
}
