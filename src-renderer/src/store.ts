/**
 * The app's actions at the top: start-up, deep links, opening and creating streams. The state
 * itself is in state/app.ts (useApp, re-exported here); all I/O goes through the bridge.
 */
import type { Bridge, StreamInfo } from '../../src-shared/contract'
import { errorMessage } from '../../src-shared/error-message'
import { getBridge, setBridge } from './bridge/current'
import { noteServer, useApp } from './state/app'
import { createStreamAt, refreshStreams } from './state/streams'
import { openSession } from './state/browse'
import { readHashLink } from './state/deeplink'
import { resetToolForms } from './state/tools'
import { wireDeepLinks } from './state/deeplink-bridge'
import type { DeepLink } from './state/deeplink'
import { switchConnection } from './state/connections'
import { reportNotice } from './state/ui'

export { useApp, type AppState } from './state/app'
export { refreshStreams } from './state/streams'

export async function init(b: Bridge): Promise<void> {
  setBridge(b)
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
  const b = getBridge()
  const { connectionId } = useApp.getState()
  if (!connectionId) return
  useApp.setState({ selectedPath: path, streamInfo: null, streamError: null })
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
    useApp.setState({ streamError: errorMessage(err) })
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

export async function createStream(path: string, contentType: string): Promise<void> {
  const info = await createStreamAt({ path, contentType })
  await selectStream(info.path)
}

function writeHash(connectionId: string, path: string): void {
  const hash = `#/stream/${encodeURIComponent(connectionId)}/${encodeURIComponent(path)}`
  if (window.location.hash !== hash) window.history.replaceState(null, '', hash)
}
