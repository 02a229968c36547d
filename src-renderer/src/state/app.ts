/**
 * The app's core state: connections, the current connection's streams and the open stream.
 * Actions live next to what they do (store.ts opens streams, state/connections.ts switches).
 */
import { create } from 'zustand'
import type { AppInfo, ConnectionInfo, StreamEntry, StreamInfo } from '../../../src-shared/contract'
import { errorMessage } from '../../../src-shared/error-message'

export interface AppState {
  info: AppInfo | null
  connections: ConnectionInfo[]
  connectionId: string | null
  streams: StreamEntry[]
  streamsError: string | null
  selectedPath: string | null
  streamInfo: StreamInfo | null
  streamError: string | null
  /**
   * What the app knows of the current connection's server, for the top bar's dot: 'ok' after
   * it answered, 'waiting' while a request has been pending for a while, 'unreachable' after
   * a request failed without an answer (timeout, refused), with the reason.
   */
  server: { state: 'unknown' | 'ok' | 'waiting' | 'unreachable'; reason: string | null }
}

export const useApp = create<AppState>(() => ({
  info: null,
  connections: [],
  connectionId: null,
  streams: [],
  streamsError: null,
  selectedPath: null,
  streamInfo: null,
  streamError: null,
  server: { state: 'unknown', reason: null },
}))

/** Error codes that mean the server did not answer (as opposed to answering with an error). */
const NO_ANSWER = new Set(['TIMEOUT', 'CONNECTION_ERROR'])

/** Records whether the server answered `err` (null: it answered fine). */
export function noteServer(err: unknown): void {
  const code = (err as { code?: unknown } | null)?.code
  if (err === null) useApp.setState({ server: { state: 'ok', reason: null } })
  else if (typeof code === 'string' && NO_ANSWER.has(code))
    useApp.setState({ server: { state: 'unreachable', reason: errorMessage(err) } })
}
