/** The default producer driver: the client's IdempotentProducer, one per persisted producer. */
import { IdempotentProducer } from '../../../src-shared/client/node.js'
import type { ProducerFactory } from './producers.js'

export const defaultProducerFactory: ProducerFactory = ({
  client,
  path,
  producerId,
  epoch,
  options,
  onActivity,
}) => {
  const producer = new IdempotentProducer({
    stream: client.stream(path),
    producerId,
    epoch,
    // Legacy producers (no options): claim past a zombie's epoch rather than fail.
    autoClaim: options?.autoClaim ?? true,
    lingerMs: options?.lingerMs ?? 0,
    ...(options ? { maxBatchItems: options.maxBatchItems } : {}),
  })
  if (onActivity) {
    for (const ev of ['ack', 'retry', 'duplicate', 'epoch'] as const) producer.on(ev, onActivity)
    // The error itself reaches the caller of appendAndWait (and lastError); this only refreshes.
    producer.on('error', onActivity)
  }
  return {
    async appendAndWait(data) {
      const r = await producer.appendAndWait(data)
      return { nextOffset: r.nextOffset ?? '', duplicate: r.duplicate, epoch: r.epoch, seq: r.seq }
    },
    stats() {
      const s = producer.stats
      return {
        inFlight: s.inFlight,
        queued: s.queued,
        duplicates: s.duplicates,
        retries: s.retries,
      }
    },
    epoch: () => producer.epoch,
    async close() {
      await producer.close()
    },
    detach: () => producer.detach(),
  }
}
