import { cancelOpen, useApp } from '../store'
import { useBrowse } from '../state/browse'
import { useTools } from '../state/tools'
import { Splitter } from './browser/Splitter'
import { StreamHeader } from './header/StreamHeader'
import { ToolsBody, ToolsStrip } from './shell/StreamTools'
import { StreamPane } from './state/StreamPane'

export function StreamView() {
  const selectedPath = useApp((s) => s.selectedPath)
  const streamInfo = useApp((s) => s.streamInfo)
  const streamError = useApp((s) => s.streamError)
  const browseClosed = useBrowse((s) => s.progress?.closed ?? false)
  const toolsOpen = useTools((s) => s.open)
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
  if (!streamInfo)
    return (
      <div className="stream-view pad" data-testid="stream-opening">
        <div className="opening-row">
          <span className="spinner" aria-hidden="true" />
          <span>
            Opening <span className="mono">{selectedPath}</span>…
          </span>
          <span className="muted small">gives up after 10 s without an answer</span>
          <button className="small" data-testid="cancel-open" onClick={cancelOpen}>
            Cancel
          </button>
        </div>
      </div>
    )
  const closed = browseClosed || streamInfo.closed
  return (
    <div className="stream-view">
      <StreamHeader />
      <ToolsStrip />
      {toolsOpen ? (
        // The tools sit beside the browser, full height: the list keeps its rows (≥ 20 at
        // 1280×800) and the Append editor gets a useful height.
        <Splitter
          direction="row"
          sized="second"
          storageKey="dsi.toolsWidth"
          initial={360}
          min={280}
          label="Resize the tools panel"
          first={<StreamPane />}
          second={<ToolsBody info={streamInfo} closed={closed} />}
        />
      ) : (
        <StreamPane />
      )}
    </div>
  )
}
