import { useApp } from '../store'
import { useBrowse } from '../state/browse'
import { BrowserPane } from './browser/BrowserPane'
import { Splitter } from './browser/Splitter'
import { StreamHeader } from './header/StreamHeader'
import { StreamTools } from './shell/StreamTools'

export function StreamView() {
  const { selectedPath, streamInfo, streamError } = useApp()
  const browseClosed = useBrowse((s) => s.progress?.closed ?? false)
  if (streamError) {
    return (
      <div className="stream-view">
        <h2 className="mono">{selectedPath}</h2>
        <div className="error-text" role="alert" data-testid="stream-error">
          {streamError}
        </div>
      </div>
    )
  }
  if (!streamInfo) return <div className="stream-view muted pad">Opening {selectedPath}…</div>
  const closed = browseClosed || streamInfo.closed
  return (
    <div className="stream-view">
      <StreamHeader />
      <Splitter
        direction="column"
        sized="first"
        storageKey="dsi.toolsHeight"
        initial={230}
        min={60}
        first={<StreamTools info={streamInfo} closed={closed} />}
        second={<BrowserPane />}
      />
    </div>
  )
}
