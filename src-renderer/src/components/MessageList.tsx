import { useEffect, useRef } from 'react'
import type { MessagePayload, TailMessage } from '../../../src-shared/ipc/contract'

export function MessageList({
  messages,
  onSelect,
  selected,
}: {
  messages: TailMessage[]
  onSelect: (m: TailMessage) => void
  selected: TailMessage | null
}) {
  const ref = useRef<HTMLDivElement>(null)
  const stick = useRef(true)
  useEffect(() => {
    const el = ref.current
    if (el && stick.current) el.scrollTop = el.scrollHeight
  }, [messages])
  return (
    <div
      className="messages"
      ref={ref}
      onScroll={(e) => {
        const el = e.currentTarget
        stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < 40
      }}
    >
      <table>
        <thead>
          <tr>
            <th className="col-n">#</th>
            <th className="col-offset" title="Offset after the batch that carried the message">
              Offset
            </th>
            <th>Message</th>
          </tr>
        </thead>
        <tbody data-testid="messages">
          {messages.map((m, i) => (
            <tr
              key={`${m.offset}:${m.index}`}
              data-testid="message"
              data-offset={m.offset}
              className={selected === m ? 'selected' : ''}
              onClick={() => onSelect(m)}
            >
              <td className="col-n muted">{i + 1}</td>
              <td className="col-offset mono" title="Offset after this message's batch">
                {m.offset}
                {m.index > 0 ? <span className="muted"> ·{m.index}</span> : null}
              </td>
              <td className="mono value">{render(m.payload)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {messages.length === 0 && <div className="muted pad">No messages yet. Append one above.</div>}
    </div>
  )
}

function render(p: MessagePayload): string {
  switch (p.kind) {
    case 'json':
      return JSON.stringify(p.value)
    case 'text':
      return p.text
    case 'bytes':
      return `${p.size} bytes · base64 ${p.base64.length > 120 ? p.base64.slice(0, 120) + '…' : p.base64}`
  }
}
