/** The default producer driver. Replaced by the client's IdempotentProducer once it lands. */
import type { ProducerFactory } from './producers.js'

export const defaultProducerFactory: ProducerFactory = () => {
  throw new Error('Persistent producers need the client IdempotentProducer, which is not available yet')
}
