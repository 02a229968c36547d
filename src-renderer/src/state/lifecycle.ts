/** Closing the open stream and forking it (the Close & fork tool's actions). */
import type { Body, StreamInfo } from '../../../src-shared/contract'
import { errorMessage } from '../../../src-shared/error-message'
import { getBridge } from '../bridge'
import { useApp } from './app'
import { useBrowse } from './browse'
import { useTools } from './tools'
import { reportNotice } from './ui'

/** Closes `path` (with a final message if `body`), then shows its new state. */
export async function closeStream(path: string, body?: Body): Promise<void> {
  const { connectionId } = useApp.getState()
  if (!connectionId) return
  const b = getBridge()
  await b.call('streams.close', { connectionId, path, ...(body ? { body } : {}) })
  const head = await b.call('streams.head', { connectionId, path })
  useApp.setState({ streamInfo: head })
}

/**
 * Forks `info` into `path` at the fork point picked in the tools (offset, sub-offset): a
 * protocol fork (Stream-Forked-From, -Offset, -Sub-Offset). When the server cannot fork inside
 * the batch (a batch read from -1 has no offset; a sub-offset past one append is refused with
 * 400) the batch's messages up to the picked one are copied instead: after a fork at the batch
 * start, or into a new stream for the stream's first batch. Returns the new stream.
 */
export async function forkStream(info: StreamInfo, path: string): Promise<StreamInfo> {
  const { connectionId } = useApp.getState()
  if (!connectionId) throw new Error('No connection')
  const b = getBridge()
  const { forkOffset, forkSubOffset, forkCopy } = useTools.getState()
  const offset = forkOffset.trim()
  const copied = async (): Promise<{ kind: 'jsonText'; text: string }> => {
    const { sessionId } = useBrowse.getState()
    if (!forkCopy || !sessionId) throw new Error('The picked message is no longer loaded')
    if (forkCopy.count > 1000)
      throw new Error(
        `The server cannot fork inside this batch, and ${forkCopy.count} messages are too many to copy (max 1000): fork at the batch end instead`,
      )
    const page = await b.call('reading.page', {
      sessionId,
      from: forkCopy.from,
      count: forkCopy.count,
      view: 'all',
    })
    const values = page.rows.map((r) => (r.payload.kind === 'json' ? r.payload.value : null))
    return { kind: 'jsonText', text: JSON.stringify(values) }
  }
  const n = forkSubOffset ?? 0
  const copies = `${n} message${n === 1 ? '' : 's'}`
  if (forkSubOffset !== null && (offset === '-1' || offset === 'now')) {
    const created = await b.call('streams.create', {
      connectionId,
      path,
      contentType: info.contentType,
      body: await copied(),
    })
    // Said after the fact too: the user asked for a fork and got a plain stream.
    reportNotice(
      'Not a fork: a copy',
      `${path} is a new stream holding copies of the first ${copies} of ${info.path}: the stream's first batch has no offset to fork at. The copies have new offsets; ${path} is not linked to ${info.path}.`,
    )
    return created
  }
  try {
    return await b.call('streams.create', {
      connectionId,
      path,
      forkedFrom: info.path,
      ...(offset ? { forkOffset: offset } : {}),
      ...(forkSubOffset !== null ? { forkSubOffset } : {}),
    })
  } catch (err) {
    if (forkSubOffset === null || (err as { status?: unknown }).status !== 400) throw err
    // The batch holds several appends: fork at its start, then copy its first messages.
    const body = await copied()
    const created = await b.call('streams.create', {
      connectionId,
      path,
      forkedFrom: info.path,
      ...(offset ? { forkOffset: offset } : {}),
    })
    await b.call('streams.append', { connectionId, path, body, close: false })
    reportNotice(
      'Forked, then copied',
      `${path} forks ${info.path} at offset ${offset}; the server refused to fork inside that batch (${errorMessage(err)}), so its next ${copies} were appended to ${path} as copies (new offsets, not inherited from ${info.path}).`,
    )
    return created
  }
}
