import { useRef } from 'react'
import { useBrowse } from '../../state/browse'
import { Timeline } from '../timeline/Timeline'
import './browser.css'
import { BrowserToolbar } from './BrowserToolbar'
import { DetailPane } from './DetailPane'
import { Splitter } from './Splitter'
import { TailBar } from './TailBar'
import { useBrowserKeys } from './useBrowserKeys'
import { VirtualList } from './VirtualList'

/** Message browser + live tail + timeline for the open stream. */
export function BrowserPane() {
  const searchRef = useRef<HTMLInputElement>(null)
  const detailOpen = useBrowse((s) => s.detailOpen && (s.selected !== null || s.held !== null))
  useBrowserKeys(searchRef)
  const list = (
    <div className="list-col">
      <VirtualList />
    </div>
  )
  return (
    <div className="browser-pane" data-testid="browser">
      <BrowserToolbar searchRef={searchRef} />
      <TailBar />
      <Timeline />
      {detailOpen ? (
        <Splitter
          first={list}
          second={<DetailPane />}
          storageKey="dsi.detailWidth"
          initial={400}
          label="Resize the message detail"
        />
      ) : (
        list
      )}
    </div>
  )
}
