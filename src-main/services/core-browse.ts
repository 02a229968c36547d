/** Dispatcher handlers of the browse side (contract-browse.ts), merged into AppCore's table. */
import type { BrowseMethodName } from '../../src-shared/ipc/contract-browse.js'
import type { ParsedParams, Result } from '../../src-shared/ipc/contract.js'
import type { BrowseService } from './browse.js'

type BrowseHandlers = {
  [M in BrowseMethodName]: (ownerId: string, p: ParsedParams<M>) => Promise<Result<M>> | Result<M>
}

export function browseHandlers(b: () => BrowseService): BrowseHandlers {
  return {
    'browse.head': (_o, p) => b().head(p.connectionId, p.path),
    'browse.open': (o, p) => b().open(o, p),
    'browse.close': async (o, p) => {
      await b().close(o, p.sessionId)
      return null
    },
    'browse.setLive': async (o, p) => {
      await b().setLive(o, p.sessionId, p.live)
      return null
    },
    'browse.reconnect': async (o, p) => {
      await b().reconnect(o, p.sessionId)
      return null
    },
    'browse.page': (o, p) => b().page(o, p.sessionId, p.from, p.count, p.view),
    'browse.search': (o, p) => b().search(o, p.sessionId, p.filter),
    'browse.locate': (o, p) => b().locate(o, p.sessionId, p.offset),
    'browse.curl': (o, p) => b().curl(o, p.sessionId),
    'browse.takeDeepLink': () => ({ url: b().deepLinks.take() }),
  }
}
