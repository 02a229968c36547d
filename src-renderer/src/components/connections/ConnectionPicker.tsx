import { useState } from 'react'
import { useApp } from '../../store'
import { switchConnection } from '../../state/connections'
import { reportError } from '../../state/ui'
import { ConnectionsDialog } from './ConnectionsDialog'

/** The current connection with a switcher and the profile manager. */
export function ConnectionPicker() {
  const connections = useApp((s) => s.connections)
  const connectionId = useApp((s) => s.connectionId)
  const [open, setOpen] = useState(false)
  const current = connections.find((c) => c.id === connectionId)
  return (
    <div className="connection-picker">
      <select
        className="input"
        aria-label="Connection"
        data-testid="connection-select"
        value={connectionId ?? ''}
        onChange={(e) =>
          void switchConnection(e.target.value).catch((err: unknown) =>
            reportError('Could not switch connection', err),
          )
        }
      >
        {connections.map((c) => (
          <option key={c.id} value={c.id}>
            {c.name}
          </option>
        ))}
      </select>
      {current && (
        <span className="muted mono small" data-testid="connection-url">
          {current.baseUrl}
        </span>
      )}
      <button
        className="ghost small"
        data-testid="manage-connections"
        onClick={() => setOpen(true)}
      >
        Connections…
      </button>
      {open && <ConnectionsDialog onClose={() => setOpen(false)} />}
    </div>
  )
}
