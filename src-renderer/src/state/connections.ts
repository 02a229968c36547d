/** Connection profiles: switch, save, remove, test (values of headers never come back). */
import type { ConnectionInfo } from '../../../src-shared/contract'
import type { ConnectionDraft, ConnectionTestResult } from '../../../src-shared/contract'
import { getBridge } from '../bridge'
import { useApp } from './app'
import { loadBookmarks, refreshStreams } from './streams'

/** Leaves the current stream and lists the other connection's streams. */
export async function switchConnection(id: string): Promise<void> {
  if (id === useApp.getState().connectionId) return
  useApp.setState({
    connectionId: id,
    selectedPath: null,
    streamInfo: null,
    streamError: null,
    streams: [],
    streamsError: null,
    server: { state: 'unknown', reason: null },
  })
  window.history.replaceState(null, '', window.location.pathname + window.location.search)
  await Promise.all([refreshStreams(), loadBookmarks()])
}

export async function reloadConnections(): Promise<ConnectionInfo[]> {
  const connections = await getBridge().call('connections.list', {})
  useApp.setState({ connections })
  return connections
}

export async function saveConnection(draft: ConnectionDraft): Promise<ConnectionInfo> {
  const saved = await getBridge().call('connections.save', draft)
  await reloadConnections()
  return saved
}

export async function removeConnection(id: string): Promise<void> {
  await getBridge().call('connections.remove', { id })
  const list = await reloadConnections()
  if (useApp.getState().connectionId === id && list[0]) await switchConnection(list[0].id)
}

export function testConnection(
  target: { id: string } | { draft: ConnectionDraft },
): Promise<ConnectionTestResult> {
  return getBridge().call('connections.test', target)
}
