import { Sidebar } from './components/Sidebar'
import { StreamView } from './components/StreamView'
import { TopBar } from './components/TopBar'
import { useApp } from './store'

export function App() {
  const selectedPath = useApp((s) => s.selectedPath)
  return (
    <div className="app">
      <TopBar />
      <div className="body">
        <Sidebar />
        <main className="main">
          {selectedPath ? (
            <StreamView />
          ) : (
            <div className="empty">
              <h2>No stream selected</h2>
              <p>Create a stream or pick one from the list to watch its messages live.</p>
            </div>
          )}
        </main>
      </div>
    </div>
  )
}
