/**
 * Durable Streams client: a fast, complete TypeScript client for the Durable Streams
 * protocol (create, append, read with catch-up / long-poll / SSE, close, delete, idempotent
 * producers). Runs anywhere with `fetch`: Node 20+, browsers, Electron, workers. On Node the
 * `node` export condition selects `node.js`, which sends requests through `node:http` instead
 * (several times cheaper per request than Node's `fetch`).
 *
 * @example
 * ```ts
 * import { DurableStreams } from 'durable-streams-inspector/client'
 * const stream = await DurableStreams.create({ url, contentType: 'application/json' })
 * await stream.append({ hello: 'world' })
 * for await (const msg of stream.readJson({ live: false })) console.log(msg)
 * ```
 *
 * @packageDocumentation
 */
export { DurableStreams } from './durable-streams.js'
export { Client, type ClientOptions } from './client.js'
export {
  Stream,
  type StreamOptions,
  type HeadResult,
  type AppendResult,
  type AppendOptions,
  type CloseResult,
  type StreamCreateOptions,
  type CallOptions,
} from './stream.js'
export {
  Reader,
  JsonReader,
  ByteReader,
  TextReader,
  DynamicReader,
  type BatchMeta,
  type JsonBatch,
  type ByteChunk,
  type TextChunk,
  type AnyBatch,
  type ReadOptions,
  type TakeResult,
} from './readers.js'
export type { ReadPhase, ResponsePart } from './read-engine.js'
export type { AppendRetry, SentInfo } from './http.js'
export {
  fetchEngine,
  setDefaultEngine,
  type HttpEngine,
  type EngineRequest,
  type EngineResponse,
  type EngineHeaders,
  type ChunkReader,
} from './engine.js'
export {
  validateRetryOptions,
  DEFAULT_RETRY,
  type RetryOptions,
  type DynamicValue,
  type FetchLike,
  type Logger,
  type CreateOptions,
} from './options.js'
export {
  OFFSET_BEGINNING,
  OFFSET_NOW,
  isJsonContentType,
  isOffsetBefore,
  isTextContentType,
  type LiveMode,
} from './protocol.js'
export type { AppendData } from './body.js'
export * from './errors.js'
export * from './error-guards.js'
export * from './error-data.js'
export {
  IdempotentProducer,
  validateProducerOptions,
  type IdempotentProducerOptions,
  type IdempotentAppendResult,
  type ProducerStats,
  type ProducerEvents,
} from './producer.js'
