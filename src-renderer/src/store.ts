/** The renderer's state (zustand). All I/O goes through the bridge. */
import { create } from 'zustand'
import type {
  AppInfo,
  AppendData,
  Bridge,
  ConnectionInfo,
  EventMap,
  StreamEntry,
  StreamInfo,
  TailMessage,
} from '../../src-shared/ipc/contract'
import type { ConnectionState } from './bridge'
import { openSession } from './state/browse'
import { readHashLink } from './state/deeplink'
import { resetToolForms } from './state/tools'
import { wireDeepLinks } from './state/deeplink-bridge'
import type { DeepLink } from './state/deeplink'
import { switchConnection } from './state/connections'
import { reportNotice } from './state/ui'

/** Messages kept in view per stream; older ones are trimmed (and counted). */
export const VIEW_LIMIT = 5000

export interface TailView {
  subscriptionId: string | null
  path: string
  messages: TailMessage[]
  trimmed: number
  dropped: number
  nextOffset: string
  upToDate: boolean
  closed: boolean
  state: 'connecting' | 'live' | 'closed' | 'error' | 'stopped'
  error: string | null
}

export interface AppState {
  bridgeState: ConnectionState
  bridgeReason: string | null
  info: AppInfo | null
  connections: ConnectionInfo[]
  connectionId: string | null
  streams: StreamEntry[]
  streamsError: string | null
  selectedPath: string | null
  streamInfo: StreamInfo | null
  streamError: string | null
  tail: TailView | null
}

export const useApp = create<AppState>(() => ({
  bridgeState: 'connecting',
  bridgeReason: null,
  info: null,
  connections: [],
  connectionId: null,
  streams: [],
  streamsError: null,
  selectedPath: null,
  streamInfo: null,
  streamError: null,
  tail: null,
}))

let bridge: Bridge | null = null

function requireBridge(): Bridge {
  if (!bridge) throw new Error('Bridge not initialised')
  return bridge
}

/** The bridge for other state modules (state/*.ts). */
export function getBridge(): Bridge {
  return requireBridge()
}

const message = (err: unknown): string => (err instanceof Error ? err.message : String(err))

export function setBridgeState(state: ConnectionState, reason?: string): void {
  useApp.setState({ bridgeState: state, bridgeReason: reason ?? null })
}

export async function init(b: Bridge): Promise<void> {
  bridge = b
  b.on('tail.batch', onBatch)
  b.on('tail.status', onStatus)
  b.on('streams.changed', (e) => {
    if (e.connectionId === useApp.getState().connectionId) void refreshStreams()
  })
  const [info, connections] = await Promise.all([
    b.call('app.info', {}),
    b.call('connections.list', {}),
  ])
  const connectionId = connections[0]?.id ?? null
  useApp.setState({ info, connections, connectionId })
  await refreshStreams()
  // Deep links: the URL hash (web), or dsi:// links that main turns into the same hash.
  window.addEventListener('hashchange', () => {
    const link = readHashLink()
    if (link) void followLink(link)
  })
  await wireDeepLinks(b)
  const fromHash = readHashLink()
  if (fromHash) await followLink(fromHash)
}

/**
 * Opens a deep link: on its connection (switching to it if it is another one); a link naming a
 * connection this app does not have is not followed, and the banner says why.
 */
export async function followLink(link: DeepLink): Promise<void> {
  const { connections, connectionId } = useApp.getState()
  if (!connections.some((c) => c.id === link.connectionId)) {
    const known = connections.map((c) => `"${c.name}" (${c.id})`).join(', ')
    reportNotice(
      'Link not opened',
      `The link to "${link.path}" names connection "${link.connectionId}", which this app does not have (it has ${known || 'none'}). Add that server under Connections, then open the link again.`,
    )
    return
  }
  if (link.connectionId !== connectionId) await switchConnection(link.connectionId)
  await selectStream(link.path, link.offset ?? undefined)
}

export async function refreshStreams(): Promise<void> {
  const { connectionId } = useApp.getState()
  if (!connectionId) return
  try {
    const streams = await requireBridge().call('streams.list', { connectionId })
    useApp.setState({ streams, streamsError: null })
  } catch (err) {
    useApp.setState({ streamsError: message(err) })
  }
}

/** Opens a stream: HEAD it, remember it, start a live tail from the beginning. */
export async function selectStream(path: string, offset?: string): Promise<void> {
  const b = requireBridge()
  const { connectionId, tail } = useApp.getState()
  if (!connectionId) return
  if (tail?.subscriptionId) {
    const id = tail.subscriptionId
    await b.call('tails.unsubscribe', { subscriptionId: id }).catch((err: unknown) => {
      console.warn('unsubscribe failed', err)
    })
  }
  useApp.setState({ selectedPath: path, streamInfo: null, streamError: null, tail: null })
  resetToolForms()
  writeHash(connectionId, path)
  let info: StreamInfo
  try {
    info = await b.call('streams.open', { connectionId, path })
  } catch (err) {
    useApp.setState({ streamError: message(err) })
    return
  }
  useApp.setState({ streamInfo: info })
  void refreshStreams()
  // The message browser (state/browse.ts) reads the stream: catch-up, then live.
  await openSession(connectionId, info.path, offset ?? '-1')
}

// Batches can arrive before the subscribe call returns its id; keep them until it does.
const early = new Map<string, Array<EventMap['tail.batch'] | EventMap['tail.status']>>()

/**
 * The current tail if event `e` is for it. While the subscribe call has not returned its id,
 * the event is kept for later and null is returned.
 */
function tailFor(e: EventMap['tail.batch'] | EventMap['tail.status']): TailView | null {
  const tail = useApp.getState().tail
  if (!tail) return null
  if (tail.subscriptionId === null) {
    early.set(e.subscriptionId, [...(early.get(e.subscriptionId) ?? []), e])
    return null
  }
  return tail.subscriptionId === e.subscriptionId ? tail : null
}

function onBatch(e: EventMap['tail.batch']): void {
  const tail = tailFor(e)
  if (!tail) return
  let messages = tail.messages.concat(e.messages)
  let trimmed = tail.trimmed
  if (messages.length > VIEW_LIMIT) {
    trimmed += messages.length - VIEW_LIMIT
    messages = messages.slice(messages.length - VIEW_LIMIT)
  }
  useApp.setState({
    tail: {
      ...tail,
      messages,
      trimmed,
      dropped: tail.dropped + e.dropped,
      nextOffset: e.nextOffset,
      upToDate: e.upToDate,
      closed: e.closed,
      state: e.closed ? 'closed' : e.upToDate ? 'live' : tail.state,
    },
  })
  const id = e.subscriptionId
  requestAnimationFrame(() => {
    requireBridge()
      .call('tails.ack', { subscriptionId: id })
      .catch((err: unknown) => console.warn('ack failed', err))
  })
}

function onStatus(e: EventMap['tail.status']): void {
  const tail = tailFor(e)
  if (!tail) return
  useApp.setState({
    tail: {
      ...tail,
      state: e.state,
      error: e.error ? e.error.message : null,
      subscriptionId: null,
    },
  })
}

export async function createStream(path: string, contentType: string): Promise<void> {
  const { connectionId } = useApp.getState()
  if (!connectionId) throw new Error('No connection')
  const info = await requireBridge().call('streams.create', { connectionId, path, contentType })
  await refreshStreams()
  await selectStream(info.path)
}

export async function append(data: AppendData): Promise<string> {
  const { connectionId, selectedPath } = useApp.getState()
  if (!connectionId || !selectedPath) throw new Error('No stream selected')
  const r = await requireBridge().call('streams.append', { connectionId, path: selectedPath, data })
  return r.nextOffset
}

export async function closeStream(): Promise<void> {
  const { connectionId, selectedPath } = useApp.getState()
  if (!connectionId || !selectedPath) return
  await requireBridge().call('streams.close', { connectionId, path: selectedPath })
  const info = await requireBridge().call('streams.head', { connectionId, path: selectedPath })
  useApp.setState({ streamInfo: info })
}

function writeHash(connectionId: string, path: string): void {
  const hash = `#/stream/${encodeURIComponent(connectionId)}/${encodeURIComponent(path)}`
  if (window.location.hash !== hash) window.history.replaceState(null, '', hash)
}
