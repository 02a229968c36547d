/**
 * The current connection's streams: the list and its extras (bookmarks, per-stream summaries,
 * filter), creating, appending to and deleting streams.
 */
import { create } from 'zustand'
import type { Params, Result, StreamInfo, StreamSummary } from '../../../src-shared/contract'
import { errorMessage } from '../../../src-shared/error-message'
import { getBridge } from '../bridge'
import { noteServer, useApp } from './app'

interface StreamsExtra {
  bookmarks: string[]
  summaries: Record<string, StreamSummary>
  filter: string
  /** Per connection: whether its server keeps a `__registry__` stream (lists its streams). */
  registry: Record<string, boolean>
}

export const useStreamsExtra = create<StreamsExtra>(() => ({
  bookmarks: [],
  summaries: {},
  filter: '',
  registry: {},
}))

/** Lists the current connection's streams (the server's registry, opened and bookmarked). */
export async function refreshStreams(): Promise<void> {
  const { connectionId } = useApp.getState()
  if (!connectionId) return
  try {
    const streams = await getBridge().call('streams.list', { connectionId })
    if (useApp.getState().connectionId !== connectionId) return
    useApp.setState({ streams, streamsError: null })
    noteServer(null)
  } catch (err) {
    if (useApp.getState().connectionId !== connectionId) return
    useApp.setState({ streamsError: errorMessage(err) })
    noteServer(err)
  }
}

/**
 * Asks the server whether it lists its streams (a `__registry__` stream), once per connection
 * while the registry gave nothing: without one the sidebar must not claim "no streams yet".
 */
export async function checkRegistry(connectionId: string): Promise<void> {
  if (connectionId in useStreamsExtra.getState().registry) return
  const r = await getBridge().call('connections.test', { id: connectionId })
  if (!r.ok) return // unreachable or not a Durable Streams server: the list's error says so
  useStreamsExtra.setState((s) => ({ registry: { ...s.registry, [connectionId]: r.registry } }))
}

export async function loadBookmarks(): Promise<void> {
  const { connectionId } = useApp.getState()
  if (!connectionId) return
  const bookmarks = await getBridge().call('streams.bookmarks', { connectionId })
  useStreamsExtra.setState({ bookmarks })
}

export async function toggleBookmark(path: string): Promise<void> {
  const { connectionId } = useApp.getState()
  if (!connectionId) return
  const on = !useStreamsExtra.getState().bookmarks.includes(path)
  const bookmarks = await getBridge().call('streams.setBookmark', {
    connectionId,
    path,
    bookmarked: on,
  })
  useStreamsExtra.setState({ bookmarks })
}

/** HEADs the listed streams for content type and closed state. */
export async function describe(paths: string[]): Promise<void> {
  const { connectionId } = useApp.getState()
  if (!connectionId || paths.length === 0) return
  const list = await getBridge().call('streams.summaries', {
    connectionId,
    paths: paths.slice(0, 200),
  })
  const summaries = { ...useStreamsExtra.getState().summaries }
  for (const s of list) summaries[`${connectionId}\n${s.path}`] = s
  useStreamsExtra.setState({ summaries })
}

export async function deleteStream(path: string): Promise<void> {
  const { connectionId, selectedPath } = useApp.getState()
  if (!connectionId) return
  await getBridge().call('streams.delete', { connectionId, path })
  if (useStreamsExtra.getState().bookmarks.includes(path)) await toggleBookmark(path)
  if (selectedPath === path) {
    useApp.setState({ selectedPath: null, streamInfo: null, streamError: null })
  }
}

/** A pasted URL of this connection becomes its path; a plain path is kept. */
export function toPath(input: string, baseUrl: string | undefined): string {
  const t = input.trim()
  if (!/^https?:\/\//i.test(t)) return t.replace(/^\/+/, '')
  const base = (baseUrl ?? '').replace(/\/+$/, '')
  if (base && t.startsWith(base + '/')) return t.slice(base.length + 1).split(/[?#]/)[0] ?? ''
  throw new Error(`That URL is not on the current connection (${base || 'none'})`)
}

/** Creates a stream on the current connection and lists it (the caller opens it). */
export async function createStreamAt(
  params: Omit<Params<'streams.create'>, 'connectionId'>,
): Promise<StreamInfo> {
  const { connectionId } = useApp.getState()
  if (!connectionId) throw new Error('No connection')
  const info = await getBridge().call('streams.create', { ...params, connectionId })
  await refreshStreams()
  return info
}

/** Appends to a stream of the current connection; closing the open one shows it closed. */
export async function appendToStream(
  params: Omit<Params<'streams.append'>, 'connectionId'>,
): Promise<Result<'streams.append'>> {
  const { connectionId } = useApp.getState()
  if (!connectionId) throw new Error('No connection')
  const b = getBridge()
  const r = await b.call('streams.append', { ...params, connectionId })
  if (r.closed) {
    const head = await b.call('streams.head', { connectionId, path: params.path })
    if (useApp.getState().selectedPath === params.path) useApp.setState({ streamInfo: head })
  }
  return r
}
