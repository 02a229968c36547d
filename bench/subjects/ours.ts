/**
 * Subject "ours": the client in src-shared/client, used through its public API with default
 * options, imported the way a Node program gets it (the package's `node` entry: the node:http
 * engine; default retry/timeout and producer settings).
 */
import {
  DurableStreams,
  IdempotentProducer,
  Stream,
  type ByteReader,
  type JsonReader,
} from '../../src-shared/client/node.js'
import type { Subject, Tail, TailSpec } from './types.js'

const JSON_CT = 'application/json'
const BYTES_CT = 'application/octet-stream'

async function consume(
  reader: JsonReader | ByteReader,
  json: boolean,
  spec: TailSpec,
): Promise<void> {
  if (json) {
    for await (const b of (reader as JsonReader).batches()) spec.onBatch(b.items, undefined)
  } else {
    for await (const b of (reader as ByteReader).batches()) spec.onBatch(undefined, b.data)
  }
}

export const subject: Subject = {
  name: 'ours',

  byteAppender(url, contentType) {
    const s = new Stream({ url, contentType })
    return async (data) => {
      await s.append(data)
    }
  },

  jsonAppender(url) {
    const s = new Stream({ url, contentType: JSON_CT })
    return async (value) => {
      await s.append(value)
    }
  },

  async create(url, contentType) {
    await DurableStreams.create({ url, contentType })
  },

  async readBytes(url) {
    const data = await new Stream({ url, contentType: BYTES_CT }).readAll()
    return (data as Uint8Array).length
  },

  async readJsonCount(url) {
    const reader = new Stream({ url, contentType: JSON_CT }).readJson({ live: false })
    let n = 0
    for await (const b of reader.batches()) n += b.items.length
    return n
  },

  async tail(spec): Promise<Tail> {
    const s = new Stream({ url: spec.url, contentType: spec.json ? JSON_CT : BYTES_CT })
    const opts = { offset: spec.offset, live: spec.mode }
    const reader = spec.json ? s.readJson(opts) : s.readBytes(opts)
    consume(reader, spec.json, spec).catch(spec.onError)
    return { close: () => reader.close() }
  },

  async iterateJson(url, mode, offset) {
    return new Stream({ url, contentType: JSON_CT }).readJson({ offset, live: mode })
  },

  async produce(spec) {
    const p = new IdempotentProducer({
      url: spec.url,
      producerId: spec.producerId,
      contentType: spec.contentType,
    })
    for (const m of spec.messages) p.append(m)
    await p.close()
  },

  async dispose() {},
}
