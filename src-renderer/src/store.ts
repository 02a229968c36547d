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
  /**
   * What the app knows of the current connection's server, for the top bar's dot: 'ok' after
   * it answered, 'waiting' while a request has been pending for a while, 'unreachable' after
   * a request failed without an answer (timeout, refused), with the reason.
   */
  server: { state: 'unknown' | 'ok' | 'waiting' | 'unreachable'; reason: string | null }
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
  server: { state: 'unknown', reason: null },
}))

/** Error codes that mean the server did not answer (as opposed to answering with an error). */
const NO_ANSWER = new Set(['TIMEOUT', 'CONNECTION_ERROR'])

/** Records whether the server answered `err` (null: it answered fine). */
function noteServer(err: unknown): void {
  const code = (err as { code?: unknown } | null)?.code
  if (err === null) useApp.setState({ server: { state: 'ok', reason: null } })
  else if (typeof code === 'string' && NO_ANSWER.has(code))
    useApp.setState({ server: { state: 'unreachable', reason: message(err) } })
}

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
    if (useApp.getState().connectionId !== connectionId) return
    useApp.setState({ streams, streamsError: null })
    noteServer(null)
  } catch (err) {
    if (useApp.getState().connectionId !== connectionId) return
    useApp.setState({ streamsError: message(err) })
    noteServer(err)
  }
}

/** Bumped to abandon the open in progress (Cancel, or another stream opened). */
let openSeq = 0
let abandonOpen: (() => void) | null = null

/** Cancels opening the current stream: the view goes back to empty, Open is usable again. */
export function cancelOpen(): void {
  openSeq++
  abandonOpen?.()
  abandonOpen = null
  useApp.setState({ selectedPath: null, streamInfo: null, streamError: null })
  window.history.replaceState(null, '', window.location.pathname + window.location.search)
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
  const seq = ++openSeq
  abandonOpen?.()
  const abandoned = new Promise<'abandoned'>((resolve) => {
    abandonOpen = () => resolve('abandoned')
  })
  // The dot turns to 'waiting' if the server takes more than a second to answer.
  const slow = setTimeout(() => {
    if (seq === openSeq) useApp.setState({ server: { state: 'waiting', reason: null } })
  }, 1000)
  let info: StreamInfo
  try {
    const r = await Promise.race([b.call('streams.open', { connectionId, path }), abandoned])
    if (r === 'abandoned' || seq !== openSeq) return
    info = r
    noteServer(null)
  } catch (err) {
    if (seq !== openSeq) return
    noteServer(err)
    useApp.setState({ streamError: message(err) })
    return
  } finally {
    clearTimeout(slow)
    if (seq === openSeq) abandonOpen = null
  }
  useApp.setState({ streamInfo: info })
  void refreshStreams()
  // The message browser (state/browse.ts) reads the stream: catch-up, then live.
  // A link's offset is on probation: refused by the server, the stream is read from the start.
  await openSession(connectionId, info.path, offset ?? '-1', undefined, offset ? '-1' : null)
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
