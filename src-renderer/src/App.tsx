import { Splitter } from './components/browser/Splitter'
import { Sidebar } from './components/Sidebar'
import { StreamView } from './components/StreamView'
import { TopBar } from './components/TopBar'
import { Banners } from './components/shell/Banners'
import { useApp } from './store'

export function App() {
  return (
    <div className="app">
      <TopBar />
      <Banners />
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
