import { useRef, useState } from 'react'
import type { StreamInfo } from '../../../../src-shared/contract'
import { exportRange as readRange, importInto } from '../../state/transfer'
import { useApp } from '../../store'
import { fromBase64, toBase64 } from '../../state/body'
import { rangeCount, useTools } from '../../state/tools'
import { errorMessage } from '../../../../src-shared/error-message'

/** Export a range to NDJSON (with offsets) or raw bytes; import such a file. */
export function TransferCard({ info }: { info: StreamInfo }) {
  const [format, setFormat] = useState<'ndjson' | 'raw'>('ndjson')
  const from = useTools((s) => s.replayFrom)
  const to = useTools((s) => s.replayTo)
  const pickStart = useTools((s) => s.pickStart)
  const pickEnd = useTools((s) => s.pickEnd)
  const byCount = rangeCount({ pickStart, pickEnd })
  const [status, setStatus] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)
  const fileRef = useRef<HTMLInputElement>(null)

  const exportRange = async (): Promise<void> => {
    const { connectionId } = useApp.getState()
    if (!connectionId) return
    setError(null)
    try {
      const r = await readRange({
        connectionId,
        path: info.path,
        format,
        fromOffset: from.trim() || '-1',
        ...(to.trim() ? { toOffset: to.trim() } : {}),
        ...(byCount ?? {}),
      })
      const blob =
        r.format === 'ndjson'
          ? new Blob([r.content], { type: 'application/x-ndjson' })
          : new Blob([fromBase64(r.content) as BlobPart], { type: 'application/octet-stream' })
      const a = document.createElement('a')
      a.href = URL.createObjectURL(blob)
      a.download = `${info.path.replace(/[^\w.-]+/g, '_')}.${r.format === 'ndjson' ? 'ndjson' : 'bin'}`
      a.click()
      setTimeout(() => URL.revokeObjectURL(a.href), 10_000)
      setStatus(`Exported ${r.messages} messages (up to ${r.nextOffset})`)
    } catch (err) {
      setError(errorMessage(err))
    }
  }

  const importFile = async (file: File): Promise<void> => {
    const { connectionId } = useApp.getState()
    if (!connectionId) return
    setError(null)
    setStatus(`Importing ${file.name}…`)
    try {
      const content =
        format === 'ndjson' ? await file.text() : toBase64(new Uint8Array(await file.arrayBuffer()))
      const r = await importInto({
        connectionId,
        path: info.path,
        format,
        content,
      })
      setStatus(
        r.duplicates > 0
          ? `Imported ${file.name}: ${r.appended} new, ${r.duplicates} duplicates skipped (already in the stream) · tail ${r.nextOffset}`
          : `Imported ${r.appended} messages from ${file.name} → ${r.nextOffset}`,
      )
    } catch (err) {
      setStatus(null)
      setError(`Nothing imported: ${errorMessage(err)}`)
    } finally {
      if (fileRef.current) fileRef.current.value = ''
    }
  }

  return (
    <div className="card">
      <h3>Export / import</h3>
      <div className="segmented" role="radiogroup" aria-label="File format">
        {(['ndjson', 'raw'] as const).map((f) => (
          <button
            key={f}
            type="button"
            role="radio"
            aria-checked={format === f}
            className={format === f ? 'on' : ''}
            data-testid={`format-${f}`}
            onClick={() => setFormat(f)}
          >
            {f === 'ndjson' ? 'NDJSON + offsets' : 'raw bytes'}
          </button>
        ))}
      </div>
      <p className="muted small">Exports the range above.</p>
      <div className="row">
        <button type="button" data-testid="export" onClick={() => void exportRange()}>
          Export
        </button>
        <button type="button" data-testid="import" onClick={() => fileRef.current?.click()}>
          Import file…
        </button>
        <input
          ref={fileRef}
          type="file"
          hidden
          data-testid="import-file"
          accept={format === 'ndjson' ? '.ndjson,.jsonl,.json,.txt' : undefined}
          onChange={(e) => {
            const f = e.target.files?.[0]
            if (f) void importFile(f)
          }}
        />
      </div>
      {status && (
        <div className="ok-text small" data-testid="transfer-status">
          {status}
        </div>
      )}
      {error && (
        <div className="error-text" role="alert" data-testid="transfer-error">
          {error}
        </div>
      )}
    </div>
  )
}
