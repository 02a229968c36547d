import { useBridgeStatus } from '../bridge'
import { useApp } from '../store'
import { ConnectionPicker } from './connections/ConnectionPicker'
import { ThemeToggle } from './shell/ThemeToggle'

export function TopBar() {
  const bridgeState = useBridgeStatus((s) => s.state)
  const bridgeReason = useBridgeStatus((s) => s.reason)
  const connection = useApp((s) => s.connections.find((c) => c.id === s.connectionId))
  const info = useApp((s) => s.info)
  const server = useApp((s) => s.server)
  // Green only when both the app's own bridge and the server answer.
  const dot = bridgeState !== 'open' ? bridgeState : server.state === 'ok' ? 'open' : server.state
  const dotTitle =
    bridgeState !== 'open'
      ? `app ${bridgeState}`
      : server.state === 'ok'
        ? 'the server answers'
        : server.state === 'waiting'
          ? 'waiting for the server to answer…'
          : server.state === 'unreachable'
            ? `the server does not answer: ${server.reason ?? ''}`
            : 'the server has not been asked yet'
  return (
    <header className="topbar">
      <div className="brand">Durable Streams Inspector</div>
      <div className="connection" data-testid="connection">
        <span
          className={`dot ${dot}`}
          title={dotTitle}
          data-testid="connection-dot"
          data-state={dot}
          aria-label={dotTitle}
        />
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
