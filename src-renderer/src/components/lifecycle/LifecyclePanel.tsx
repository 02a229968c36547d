import { useState } from 'react'
import type { StreamInfo } from '../../../../src-shared/contract'
import { StreamPathSchema } from '../../../../src-shared/contract'
import { getBridge } from '../../bridge'
import { refreshStreams, selectStream, useApp } from '../../store'
import { useBrowse } from '../../state/browse'
import { useTools } from '../../state/tools'
import { errorMessage } from '../../../../src-shared/error-message'
import { reportNotice } from '../../state/ui'

/** Close the stream (optionally with a final message) and fork it from an offset. */
export function LifecyclePanel({ info, closed }: { info: StreamInfo; closed: boolean }) {
  const json = info.contentType.toLowerCase().startsWith('application/json')
  const [finalMsg, setFinalMsg] = useState('')
  const [closeError, setCloseError] = useState<string | null>(null)
  const [forkPath, setForkPath] = useState(`${info.path}-fork`)
  const forkOffset = useTools((s) => s.forkOffset)
  const forkSubOffset = useTools((s) => s.forkSubOffset)
  const forkNote = useTools((s) => s.forkNote)
  const forkCopy = useTools((s) => s.forkCopy)
  // Typing an offset by hand leaves "through this message": the fork ends before that offset.
  const setForkOffset = (v: string): void => {
    useTools.setState({ forkOffset: v, forkSubOffset: null, forkNote: null, forkCopy: null })
  }
  const [forkError, setForkError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  const close = async (): Promise<void> => {
    const { connectionId } = useApp.getState()
    if (!connectionId) return
    let body: { kind: 'jsonText'; text: string } | { kind: 'text'; text: string } | undefined
    if (finalMsg.trim()) {
      if (json) {
        try {
          JSON.parse(finalMsg)
        } catch (err) {
          setCloseError(`Final message is not valid JSON: ${errorMessage(err)}`)
          return
        }
        body = { kind: 'jsonText', text: finalMsg }
      } else body = { kind: 'text', text: finalMsg }
    }
    // The confirmation is a new attempt: an earlier error no longer applies, even if cancelled.
    setCloseError(null)
    if (!window.confirm(`Close ${info.path}? Nobody can append to it afterwards.`)) return
    setBusy(true)
    try {
      await getBridge().call('streams.close', {
        connectionId,
        path: info.path,
        ...(body ? { body } : {}),
      })
      const head = await getBridge().call('streams.head', { connectionId, path: info.path })
      useApp.setState({ streamInfo: head })
    } catch (err) {
      setCloseError(errorMessage(err))
    } finally {
      setBusy(false)
    }
  }

  /**
   * A protocol fork (Stream-Forked-From, -Offset, -Sub-Offset). When the server cannot fork
   * inside the batch (a batch read from -1 has no offset; a sub-offset past one append is
   * refused with 400) the batch's messages up to the picked one are copied instead: after a
   * fork at the batch start, or into a new stream for the stream's first batch.
   */
  const createFork = async (connectionId: string, path: string) => {
    const b = getBridge()
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

  const fork = async (): Promise<void> => {
    const { connectionId } = useApp.getState()
    if (!connectionId) return
    const parsed = StreamPathSchema.safeParse(forkPath)
    if (!parsed.success) {
      setForkError(parsed.error.issues[0]?.message ?? 'invalid path')
      return
    }
    setBusy(true)
    setForkError(null)
    try {
      const created = await createFork(connectionId, parsed.data)
      await refreshStreams()
      await selectStream(created.path)
    } catch (err) {
      const e = err as { status?: unknown }
      const hint =
        e.status === 400 && forkSubOffset !== null
          ? ` (the server forks inside one append only, and this message's batch holds several appends: fork at the batch's end offset instead, or read from a later offset so the batch starts nearer)`
          : e.status === 400 || e.status === 501
            ? ' (this server may not support forks: Stream-Forked-From)'
            : ''
      setForkError(`${errorMessage(err)}${hint}`)
    } finally {
      setBusy(false)
    }
  }

  return (
    <div className="lifecycle grid2">
      <form
        className="card"
        onSubmit={(e) => {
          e.preventDefault()
          void close()
        }}
      >
        <h3>Close stream</h3>
        {closed ? (
          <p className="muted small" data-testid="already-closed">
            Closed: readers see the end of the stream (EOF).
          </p>
        ) : (
          <>
            <label className="field-label" htmlFor="final-message">
              Final message (optional{json ? ', JSON' : ''})
            </label>
            <input
              id="final-message"
              className={`input mono ${closeError ? 'invalid' : ''}`}
              data-testid="final-message"
              placeholder={json ? '{"type":"done"}' : 'last words'}
              value={finalMsg}
              onChange={(e) => setFinalMsg(e.target.value)}
            />
            <button type="submit" disabled={busy} data-testid="close-stream">
              Close stream
            </button>
          </>
        )}
        {closeError && (
          <div className="error-text" role="alert" data-testid="close-error">
            {closeError}
          </div>
        )}
      </form>
      <form
        className="card"
        onSubmit={(e) => {
          e.preventDefault()
          void fork()
        }}
      >
        <h3>Fork</h3>
        <label className="field-label" htmlFor="fork-path">
          New stream path
        </label>
        <input
          id="fork-path"
          className={`input mono ${forkError ? 'invalid' : ''}`}
          data-testid="fork-path"
          value={forkPath}
          onChange={(e) => setForkPath(e.target.value)}
        />
        <label className="field-label" htmlFor="fork-offset">
          From offset (empty: the current tail {info.nextOffset})
        </label>
        <input
          id="fork-offset"
          className="input mono"
          data-testid="fork-offset"
          placeholder={info.nextOffset}
          value={forkOffset}
          onChange={(e) => setForkOffset(e.target.value)}
        />
        {forkSubOffset !== null && (
          <div className="small muted" data-testid="fork-sub-offset">
            {forkOffset.trim() === '-1'
              ? `The stream's first batch has no offset to fork at: its first ${forkSubOffset} message${forkSubOffset === 1 ? '' : 's'} are copied into a new stream.`
              : `+ ${forkSubOffset} message${forkSubOffset === 1 ? '' : 's'} of the batch read from there (Stream-Fork-Sub-Offset; copied if the server cannot fork inside it).`}
          </div>
        )}
        <div className="small" data-testid="fork-contents">
          {forkNote ??
            (forkOffset.trim()
              ? `The fork will hold everything before offset ${forkOffset.trim()}, then its own messages.`
              : `The fork will hold everything up to the current tail (${info.nextOffset}), then its own messages.`)}
        </div>
        <button type="submit" disabled={busy} data-testid="fork-stream">
          Fork stream
        </button>
        {forkError && (
          <div className="error-text" role="alert" data-testid="fork-error">
            {forkError}
          </div>
        )}
      </form>
    </div>
  )
}
