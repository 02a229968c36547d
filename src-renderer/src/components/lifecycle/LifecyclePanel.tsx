import { useState } from 'react'
import type { StreamInfo } from '../../../../src-shared/contract'
import { StreamPathSchema } from '../../../../src-shared/contract'
import { refreshStreams, selectStream } from '../../store'
import { confirmAction } from '../../state/confirm'
import { closeStream, forkStream } from '../../state/lifecycle'
import { editForkOffset, useTools } from '../../state/tools'
import { errorMessage } from '../../../../src-shared/error-message'

/** Close the stream (optionally with a final message) and fork it from an offset. */
export function LifecyclePanel({ info, closed }: { info: StreamInfo; closed: boolean }) {
  const json = info.contentType.toLowerCase().startsWith('application/json')
  const [finalMsg, setFinalMsg] = useState('')
  const [closeError, setCloseError] = useState<string | null>(null)
  const [forkPath, setForkPath] = useState(`${info.path}-fork`)
  const forkOffset = useTools((s) => s.forkOffset)
  const forkSubOffset = useTools((s) => s.forkSubOffset)
  const forkNote = useTools((s) => s.forkNote)
  const [forkError, setForkError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  const close = async (): Promise<void> => {
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
    const ok = await confirmAction(
      'Close stream',
      `Close ${info.path}? Nobody can append to it afterwards.`,
      'Close',
    )
    if (!ok) return
    setBusy(true)
    try {
      await closeStream(info.path, body)
    } catch (err) {
      setCloseError(errorMessage(err))
    } finally {
      setBusy(false)
    }
  }

  const fork = async (): Promise<void> => {
    const parsed = StreamPathSchema.safeParse(forkPath)
    if (!parsed.success) {
      setForkError(parsed.error.issues[0]?.message ?? 'invalid path')
      return
    }
    setBusy(true)
    setForkError(null)
    try {
      const created = await forkStream(info, parsed.data)
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
          onChange={(e) => editForkOffset(e.target.value)}
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
