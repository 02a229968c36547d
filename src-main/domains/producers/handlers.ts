/** Handlers of the producers methods (src-shared/contract/producers.ts). */
import { isJsonContentType } from '../../../src-shared/client/node.js'
import { ContractError, type producersParams } from '../../../src-shared/contract/index.js'
import type { HandlersOf } from '../../core/core-types.js'
import type { ConnectionService } from '../connections/connections.js'
import { bodyMessages } from '../streams/bodies.js'
import type { ProducerService } from './producers.js'

/** Most messages one producers.send may append (body messages × count). */
export const MAX_SEND_MESSAGES = 1_000_000

export interface ProducersDeps {
  producers: ProducerService
  connections: ConnectionService
}

export function producersHandlers(d: () => ProducersDeps): HandlersOf<typeof producersParams> {
  return {
    'producers.list': async () => {
      await d().producers.load()
      return d().producers.list()
    },
    'producers.create': (_o, p) =>
      d().producers.open(p.connectionId, p.path, p.producerId, p.options),
    'producers.send': async (_o, p) => {
      const info = d()
        .producers.list()
        .find((x) => x.id === p.id)
      if (!info) throw new Error(`Unknown producer ${p.id}`)
      const head = await (await d().connections.client(info.connectionId)).stream(info.path).head()
      const one = bodyMessages(p.body, isJsonContentType(head.contentType))
      if (one.length * p.count > MAX_SEND_MESSAGES) {
        throw new ContractError(
          'producers.send',
          'count',
          `${one.length} messages × ${p.count} is more than ${MAX_SEND_MESSAGES} messages in one send`,
        )
      }
      const all: unknown[] = []
      for (let i = 0; i < p.count; i++) for (const m of one) all.push(m)
      return d().producers.appendValues(p.id, all)
    },
    'producers.claim': (_o, p) => d().producers.claim(p.id, p.epoch),
    'producers.remove': async (_o, p) => {
      await d().producers.remove(p.id)
      return null
    },
  }
}
