/** The default producer driver: the client's IdempotentProducer, one per persisted producer. */
import { IdempotentProducer } from '../../src-shared/client/index.js'
import type { ProducerFactory } from './producers.js'

export const defaultProducerFactory: ProducerFactory = ({ client, path, producerId, epoch }) => {
  const producer = new IdempotentProducer({
    stream: client.stream(path),
    producerId,
    epoch,
    // Another run (or a zombie) may hold a higher epoch: claim past it rather than fail.
    autoClaim: true,
    lingerMs: 0,
  })
  return {
    async appendSync(data) {
      const r = await producer.appendSync(data)
      return { nextOffset: r.nextOffset ?? '', duplicate: r.duplicate, epoch: r.epoch, seq: r.seq }
    },
    async close() {
      await producer.close()
    },
    detach: () => producer.detach(),
  }
}
