/** Handlers of the reading methods (src-shared/contract/reading.ts): the message browser. */
import type { readingParams } from '../../../src-shared/contract/index.js'
import type { HandlersOf } from '../../core/core-types.js'
import type { BrowseService } from './browse.js'

export function readingHandlers(b: () => BrowseService): HandlersOf<typeof readingParams> {
  return {
    'reading.open': (o, p) => b().open(o, p),
    'reading.close': async (o, p) => {
      await b().close(o, p.sessionId)
      return null
    },
    'reading.setLive': async (o, p) => {
      await b().setLive(o, p.sessionId, p.live)
      return null
    },
    'reading.reconnect': async (o, p) => {
      await b().reconnect(o, p.sessionId)
      return null
    },
    'reading.page': (o, p) => b().page(o, p.sessionId, p.from, p.count, p.view),
    'reading.search': (o, p) => b().search(o, p.sessionId, p.filter),
    'reading.locate': (o, p) => b().locate(o, p.sessionId, p.offset),
    'reading.curl': (o, p) => b().curl(o, p.sessionId),
  }
}
