import Editor from '@monaco-editor/react'
import '../monaco/setup'
import type { TailMessage } from '../../../src-shared/ipc/contract'

/** Read-only, pretty-printed view of one message in a local Monaco editor. */
export default function MessageDetail({
  message,
  onClose,
}: {
  message: TailMessage
  onClose: () => void
}) {
  const p = message.payload
  const text =
    p.kind === 'json' ? JSON.stringify(p.value, null, 2) : p.kind === 'text' ? p.text : p.base64
  const dark = window.matchMedia('(prefers-color-scheme: dark)').matches
  return (
    <div className="detail" data-testid="message-detail">
      <div className="detail-bar">
        <span className="muted small">Offset</span>
        <span className="mono small">{message.offset}</span>
        <div className="spacer" />
        <button className="ghost small" onClick={onClose}>
          Close
        </button>
      </div>
      <Editor
        height="220px"
        language={p.kind === 'json' ? 'json' : 'plaintext'}
        theme={dark ? 'vs-dark' : 'vs'}
        value={text}
        options={{
          readOnly: true,
          minimap: { enabled: false },
          scrollBeyondLastLine: false,
          fontSize: 12,
        }}
      />
    </div>
  )
}
