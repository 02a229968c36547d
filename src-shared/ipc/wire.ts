/** Frames of the WebSocket transport used by the web host (same contract as Electron IPC). */
import type { EventName, MethodName } from './channels.js'
import type { WireResult } from './contract.js'

export interface CallFrame {
  t: 'call'
  id: number
  method: MethodName
  params: unknown
}

export interface ResultFrame {
  t: 'result'
  id: number
  result: WireResult
}

export interface EventFrame {
  t: 'event'
  event: EventName
  payload: unknown
}

export type ServerFrame = ResultFrame | EventFrame

/** Name of the query parameter carrying the per-launch token. */
export const TOKEN_PARAM = 'token'
/** Path of the WebSocket endpoint on the web host. */
export const WS_PATH = '/bridge'
