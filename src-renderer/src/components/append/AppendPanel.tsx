import Editor, { type OnMount } from '@monaco-editor/react'
import { useMemo, useRef, useState } from 'react'
import { monaco } from '../../monaco/setup'
import type { StreamInfo } from '../../../../src-shared/contract'
import { appendToStream } from '../../state/streams'
import { previewBody, type InputMode } from '../../state/body'
import { describeAppendError } from '../../state/append-errors'
import { isDark, useUi } from '../../state/ui'

type MonacoEditor = Parameters<OnMount>[0]

/**
 * Above this many characters the body is not put in Monaco: tokenizing, folding and the JSON
 * language service over megabytes froze the tab for minutes. It is held as plain text instead.
 */
export const LARGE_BODY_CHARS = 256 * 1024

const size = (chars: number): string =>
  chars >= 1024 * 1024
    ? `${(chars / (1024 * 1024)).toFixed(1)} MB`
    : `${Math.round(chars / 1024)} KB`

/** The panel's fields sit on one line with their labels (the editor gets the height). */
const ROW_LABEL: React.CSSProperties = {
  flexDirection: 'row',
  alignItems: 'center',
  gap: 6,
  flex: 'none',
}

/**
 * The body the editor would hold once `pasted` replaces its selection: the large-body guard
 * checks this total, not the paste alone (a paste into a big body can cross the line too).
 */
export function bodyAfterPaste(editor: MonacoEditor | null, pasted: string): string {
  const model = editor?.getModel()
  if (!editor || !model) return pasted
  const value = model.getValue()
  const sel = editor.getSelection()
  if (!sel) return value + pasted
  const from = model.getOffsetAt(sel.getStartPosition())
  const to = model.getOffsetAt(sel.getEndPosition())
  return value.slice(0, from) + pasted + value.slice(to)
}

/** Append with a local Monaco editor: JSON validation/format, split preview, raw modes. */
export default function AppendPanel({ info, closed }: { info: StreamInfo; closed: boolean }) {
  const jsonStream = info.contentType.toLowerCase().startsWith('application/json')
  const [mode, setMode] = useState<InputMode>(jsonStream ? 'json' : 'text')
  const [text, setText] = useState('')
  const [seq, setSeq] = useState('')
  const [contentType, setContentType] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [result, setResult] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  /** A large body (pasted or from a file), kept out of the editor. */
  const [large, setLarge] = useState<string | null>(null)
  const theme = useUi((s) => s.theme)
  const editorRef = useRef<MonacoEditor | null>(null)
  const preview = useMemo(() => previewBody(mode, text, jsonStream), [mode, text, jsonStream])
  const sendRef = useRef<(close: boolean) => void>(() => undefined)

  const send = async (close: boolean): Promise<void> => {
    if (busy || closed) return
    if (!preview.body) {
      setError(preview.error ?? 'Nothing to append')
      return
    }
    setBusy(true)
    setError(null)
    setResult(null)
    try {
      const r = await appendToStream({
        path: info.path,
        body: preview.body,
        close,
        ...(seq.trim() ? { seq: seq.trim() } : {}),
        ...(contentType.trim() ? { contentType: contentType.trim() } : {}),
      })
      setResult(
        `Appended ${preview.count ?? 1} message${preview.count === 1 ? '' : 's'} → ${r.nextOffset}${r.closed ? ' · stream closed' : ''}`,
      )
      setText('')
      setLarge(null)
      editorRef.current?.setValue('')
    } catch (err) {
      setError(describeAppendError(err))
    } finally {
      setBusy(false)
    }
  }
  sendRef.current = (close) => void send(close)

  /** Takes a body from a paste or a file: large ones bypass the editor. */
  function takeBody(body: string): void {
    setError(null)
    if (body.length > LARGE_BODY_CHARS) {
      setLarge(body)
      setText(body)
    } else {
      setLarge(null)
      editorRef.current?.setValue(body)
    }
  }

  // Key codes from our Monaco instance (the one the loader uses): @monaco-editor/react's types
  // cannot resolve monaco-editor 0.57's, so OnMount's own `monaco` argument is untyped.
  const onMount: OnMount = (editor) => {
    editorRef.current = editor
    editor.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.Enter, () => sendRef.current(false))
  }

  return (
    <div
      className="append-panel"
      data-testid="append-panel"
      style={{ display: 'flex', flexDirection: 'column', height: '100%', minHeight: 0 }}
      onKeyDown={(e) => {
        // Monaco handles the shortcut itself; this covers the other fields of the panel.
        if (e.key === 'Enter' && (e.ctrlKey || e.metaKey) && !e.defaultPrevented) {
          e.preventDefault()
          void send(false)
        }
      }}
    >
      <div className="toolbar">
        <div className="segmented" role="radiogroup" aria-label="Input format">
          {(['json', 'text', 'base64', 'hex'] as const).map((m) => (
            <button
              key={m}
              type="button"
              role="radio"
              aria-checked={mode === m}
              className={mode === m ? 'on' : ''}
              data-testid={`mode-${m}`}
              onClick={() => setMode(m)}
            >
              {m === 'json' ? 'JSON' : m}
            </button>
          ))}
        </div>
        <label className="ghost small file-button" title="Append the content of a file">
          From file…
          <input
            type="file"
            data-testid="append-file"
            className="visually-hidden"
            onChange={(e) => {
              const file = e.target.files?.[0]
              e.target.value = ''
              if (!file) return
              file.text().then(
                (t) => takeBody(t),
                (err: unknown) => setError(`Could not read ${file.name}: ${String(err)}`),
              )
            }}
          />
        </label>
        {mode === 'json' && large === null && (
          <button
            type="button"
            className="ghost small"
            data-testid="format-json"
            onClick={() => {
              if (preview.error) setError(preview.error)
              else editorRef.current?.setValue(JSON.stringify(JSON.parse(text), null, 2))
            }}
          >
            Format
          </button>
        )}
        <div className="spacer" />
        <span
          className={`small ${preview.error ? 'muted' : ''}`}
          data-testid="append-preview"
          title="How the body is split into messages"
        >
          {preview.count !== null && !preview.error
            ? `${preview.count} message${preview.count === 1 ? '' : 's'}`
            : text.trim()
              ? 'invalid'
              : ''}
        </span>
      </div>
      {large !== null && (
        <div className="large-body" data-testid="append-large">
          <div className="row">
            <span className="small">
              Large body ({size(large.length)}): shown as plain text, editor features off above{' '}
              {size(LARGE_BODY_CHARS)}.
            </span>
            <div className="spacer" />
            <button
              type="button"
              className="ghost small"
              data-testid="append-large-clear"
              onClick={() => {
                setLarge(null)
                setText('')
                editorRef.current?.setValue('')
              }}
            >
              Clear
            </button>
          </div>
          <textarea
            className="input mono large-text"
            readOnly
            aria-label="Large message to append"
            value={
              large.length > 4096
                ? `${large.slice(0, 4096)}\n… (${size(large.length)} in all)`
                : large
            }
          />
        </div>
      )}
      <div
        className={`editor-frame ${error ? 'invalid' : ''}`}
        data-testid="append-editor"
        aria-label="Message to append"
        hidden={large !== null}
        style={{ flex: '1 1 auto', minHeight: 88, display: 'flex', flexDirection: 'column' }}
        onPasteCapture={(e) => {
          // Checked before Monaco sees the paste: what the editor would hold after it (the
          // paste replaces the selection) must stay small, or the whole body goes around it.
          const pasted = e.clipboardData.getData('text/plain')
          const after = bodyAfterPaste(editorRef.current, pasted)
          if (after.length <= LARGE_BODY_CHARS) return
          e.preventDefault()
          e.stopPropagation()
          takeBody(after)
        }}
      >
        <Editor
          height="100%"
          language={mode === 'json' ? 'json' : 'plaintext'}
          theme={isDark(theme) ? 'vs-dark' : 'vs'}
          defaultValue=""
          onChange={(v) => {
            setText(v ?? '')
            setError(null)
          }}
          onMount={onMount}
          options={{
            minimap: { enabled: false },
            scrollBeyondLastLine: false,
            fontSize: 12,
            lineNumbers: 'on',
            lineNumbersMinChars: 3,
            lineDecorationsWidth: 4,
            folding: false,
            wordWrap: 'on',
            automaticLayout: true,
          }}
        />
      </div>
      <div className="append-actions" style={{ marginBottom: 0 }}>
        <label className="small inline" style={ROW_LABEL}>
          Stream-Seq
          <input
            className="input mono narrow"
            data-testid="append-seq"
            placeholder="optional"
            value={seq}
            onChange={(e) => setSeq(e.target.value)}
          />
        </label>
        <label
          className="small inline"
          style={ROW_LABEL}
          title="Send a different Content-Type (409 on mismatch)"
        >
          Content-Type
          <input
            className="input mono narrow"
            data-testid="append-content-type"
            placeholder={info.contentType}
            value={contentType}
            onChange={(e) => setContentType(e.target.value)}
          />
        </label>
        <div className="spacer" />
        <span className="muted small">Ctrl/⌘+Enter</span>
        <button
          type="button"
          disabled={busy || closed}
          data-testid="append-close"
          onClick={() => void send(true)}
          title={closed ? 'The stream is closed' : 'Append and close the stream in one request'}
        >
          Append &amp; close
        </button>
        <button
          type="button"
          className="primary"
          disabled={busy || closed}
          data-testid="append"
          onClick={() => void send(false)}
          title={closed ? 'The stream is closed: the server refuses appends' : undefined}
        >
          Append
        </button>
      </div>
      {error && (
        <div className="error-text" role="alert" data-testid="append-error">
          {error}
        </div>
      )}
      {result && !error && (
        <div className="ok-text small mono" data-testid="append-result">
          {result}
        </div>
      )}
    </div>
  )
}
