/** Picks the bridge that exists: the preload API in Electron, the WebSocket shim in a browser. */
import type { Bridge } from '../../../src-shared/contract'
import { typedBridge } from './typed'
import { takeToken, wsTransport, type ConnectionState } from './ws'

export type { ConnectionState }

export function createBridge(onState: (state: ConnectionState, reason?: string) => void): Bridge {
  if (window.dsi) {
    onState('open')
    return typedBridge(window.dsi)
  }
  const token = takeToken()
  if (!token) {
    onState('closed', 'No access token: open the URL printed by `npm run web`.')
    return typedBridge({
      invoke: async () => ({
        ok: false,
        error: { name: 'ConnectionError', code: 'CONNECTION_ERROR', message: 'No access token' },
      }),
      subscribe: () => () => undefined,
    })
  }
  return typedBridge(wsTransport(token, onState))
}

export {
  getBridge,
  setBridge,
  setBridgeReason,
  setBridgeState,
  useBridgeStatus,
  type BridgeStatus,
} from './current'
