/** Handlers of the transfer methods (src-shared/contract/transfer.ts): replay, export, import. */
import type { transferParams } from '../../../src-shared/contract/index.js'
import type { HandlersOf } from '../../core/core-types.js'
import type { ReplayService } from './replay.js'
import type { TransferService } from './transfer.js'

export interface TransferDeps {
  replay: ReplayService
  transfer: TransferService
}

export function transferHandlers(d: () => TransferDeps): HandlersOf<typeof transferParams> {
  return {
    'transfer.replay': (_o, p) => d().replay.start(p),
    'transfer.cancelReplay': (_o, p) => {
      d().replay.cancel(p.runId)
      return null
    },
    'transfer.export': (_o, p) =>
      d().transfer.exportRange(
        p.connectionId,
        p.path,
        p.format,
        p.fromOffset,
        p.toOffset,
        p.count !== undefined ? { skip: p.skip ?? 0, count: p.count } : undefined,
      ),
    'transfer.import': (_o, p) =>
      d().transfer.importFile(p.connectionId, p.path, p.format, p.content),
  }
}
