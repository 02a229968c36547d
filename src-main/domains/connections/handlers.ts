/** Handlers of the connections methods (src-shared/contract/connections.ts). */
import type { connectionsParams } from '../../../src-shared/contract/index.js'
import type { HandlersOf } from '../../core/core-types.js'
import type { ConnectionProfiles } from './connection-profiles.js'
import type { ConnectionService } from './connections.js'

export interface ConnectionsDeps {
  connections: ConnectionService
  profiles: ConnectionProfiles
}

export function connectionsHandlers(
  d: () => ConnectionsDeps,
): HandlersOf<typeof connectionsParams> {
  return {
    'connections.list': () => d().connections.list(),
    'connections.save': (_o, p) => d().profiles.save(p),
    'connections.remove': async (_o, p) => {
      await d().profiles.remove(p.id)
      return null
    },
    'connections.test': (_o, p) => d().profiles.test(p),
  }
}
