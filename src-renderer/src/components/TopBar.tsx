import { useApp } from '../store'
import { ConnectionPicker } from './connections/ConnectionPicker'
import { ThemeToggle } from './shell/ThemeToggle'

export function TopBar() {
  const { bridgeState, bridgeReason, connections, connectionId, info } = useApp()
  const connection = connections.find((c) => c.id === connectionId)
  return (
    <header className="topbar">
      <div className="brand">Durable Streams Inspector</div>
      <div className="connection" data-testid="connection">
        <span className={`dot ${bridgeState}`} title={`bridge ${bridgeState}`} />
        {connection ? (
          <>
            <span className="connection-name visually-hidden" data-testid="connection-name">
              {connection.name}
            </span>
            <ConnectionPicker />
          </>
        ) : (
          <span className="muted">{bridgeState === 'closed' ? 'Disconnected' : 'Connecting…'}</span>
        )}
      </div>
      <div className="spacer" />
      {bridgeReason && (
        <div className="error-text" role="alert">
          {bridgeReason}
        </div>
      )}
      <ThemeToggle />
      {info && (
        <div className="muted small">
          {info.host === 'web' ? 'Web' : 'Desktop'} · v{info.version}
        </div>
      )}
    </header>
  )
}
