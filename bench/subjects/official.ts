/**
 * Subject "official": `@durable-streams/client` 0.2.7 through its public API with default
 * options (global fetch). JSON values are passed pre-serialised, as its API requires.
 */
import { DurableStream, IdempotentProducer, stream } from '@durable-streams/client'
import type { Subject, Tail } from './types.js'

const JSON_CT = 'application/json'

export const subject: Subject = {
  name: 'official',

  byteAppender(url, contentType) {
    const ds = new DurableStream({ url, contentType })
    return (data) => ds.append(data)
  },

  jsonAppender(url) {
    const ds = new DurableStream({ url, contentType: JSON_CT })
    return (value) => ds.append(JSON.stringify(value))
  },

  async create(url, contentType) {
    await DurableStream.create({ url, contentType })
  },

  async readBytes(url) {
    const res = await stream({ url, live: false })
    return (await res.body()).length
  },

  async readJsonCount(url) {
    const res = await stream({ url, live: false })
    let n = 0
    await new Promise<void>((resolve, reject) => {
      res.subscribeJson((batch) => {
        n += batch.items.length
        if (batch.upToDate) resolve()
      })
      res.closed.catch(reject)
    })
    return n
  },

  async tail(spec): Promise<Tail> {
    const res = await stream({ url: spec.url, offset: spec.offset, live: spec.mode })
    if (spec.json) {
      res.subscribeJson((batch) => spec.onBatch(batch.items, undefined))
    } else {
      res.subscribeBytes((chunk) => spec.onBatch(undefined, chunk.data))
    }
    res.closed.catch(spec.onError)
    return { close: () => res.cancel() }
  },

  async iterateJson(url, mode, offset) {
    const res = await stream({ url, offset, live: mode })
    return res.jsonStream()
  },

  async produce(spec) {
    const ds = new DurableStream({ url: spec.url, contentType: spec.contentType })
    let failure: Error | undefined
    const p = new IdempotentProducer(ds, spec.producerId, {
      onError: (err) => {
        failure ??= err
      },
    })
    for (const m of spec.messages) p.append(m)
    await p.flush()
    await p.detach()
    if (failure) throw failure
  },

  async dispose() {},
}
