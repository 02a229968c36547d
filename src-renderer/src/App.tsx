import { Splitter } from './components/browser/Splitter'
import { Sidebar } from './components/Sidebar'
import { StreamView } from './components/StreamView'
import { TopBar } from './components/TopBar'
import { Banners } from './components/shell/Banners'
import { ConfirmDialog } from './components/shell/ConfirmDialog'
import { useBridgeStatus } from './bridge'
import { useApp } from './store'

export function App() {
  const bridgeState = useBridgeStatus((s) => s.state)
  const bridgeReason = useBridgeStatus((s) => s.reason)
  if (bridgeState === 'closed') {
    // Nothing here can work any more: no list, no buttons, just what happened and what to do.
    return (
      <div className="app">
        <TopBar />
        <main className="main">
          <div className="empty" role="alert" data-testid="session-ended">
            <h2>This page&apos;s session with the inspector ended</h2>
            <p>
              The inspector it talked to was stopped or restarted, or this page&apos;s access token
              is no longer valid{bridgeReason ? ` (${bridgeReason})` : ''}.
            </p>
            <p>
              Start <span className="mono">npm run web</span> again if it is not running, and open
              the URL it prints: each start has a new address and token, so reloading this page does
              not reconnect.
            </p>
          </div>
        </main>
      </div>
    )
  }
  return (
    <div className="app">
      <TopBar />
      <Banners />
      <ConfirmDialog />
      <div className="body">
        <Splitter
          direction="row"
          sized="first"
          storageKey="dsi.sidebarWidth"
          initial={270}
          min={200}
          label="Resize the stream list"
          first={<Sidebar />}
          second={<Main />}
        />
      </div>
    </div>
  )
}

function Main() {
  const selectedPath = useApp((s) => s.selectedPath)
  return (
    <main className="main">
      {selectedPath ? (
        <StreamView />
      ) : (
        <div className="empty">
          <h2>No stream selected</h2>
          <p>Pick a stream on the left to watch its messages live, or:</p>
          <ol className="steps">
            <li>
              type a path (e.g. demo/events) and press Create, or “New…” for TTL, expiry and an
              initial body;
            </li>
            <li>paste a stream URL or path and press Open to inspect an existing stream;</li>
            <li>switch server with the connection menu at the top (Connections… adds one).</li>
          </ol>
        </div>
      )}
    </main>
  )
}
