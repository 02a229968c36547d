/** Dispatcher handlers of the State view (src-shared/contract/state.ts). */
import type { z } from 'zod'
import type { StateResults, stateParams } from '../../../src-shared/contract/index.js'
import type { StateService } from './service.js'

type StateHandlers = {
  [M in keyof typeof stateParams]: (
    ownerId: string,
    p: z.output<(typeof stateParams)[M]>,
  ) => Promise<StateResults[M]> | StateResults[M]
}

export function stateHandlers(s: () => StateService): StateHandlers {
  return {
    'state.open': (o, p) => s().open(o, p),
    'state.close': async (o, p) => {
      await s().close(o, p.sessionId)
      return null
    },
    'state.page': (o, p) => s().page(o, p.sessionId, p),
    'state.asOf': (o, p) => {
      const summary = s().asOf(o, p.sessionId, p.asOf)
      const want = p.page
      if (!want || !summary.types.some((t) => t.type === want.type))
        return { ...summary, page: null }
      try {
        return { ...summary, page: s().page(o, p.sessionId, want) }
      } catch {
        // The move happened; a page the filter cannot make is asked again (and its error
        // shown next to the filter) by the renderer's own page call.
        return { ...summary, page: null }
      }
    },
    'state.keyHistory': (o, p) => s().keyHistory(o, p.sessionId, p.type, p.key),
    'state.export': (o, p) => s().exportJson(o, p.sessionId),
    'state.log': (o, p) => s().logItems(o, p.sessionId, p.kind, p.from, p.count),
  }
}
