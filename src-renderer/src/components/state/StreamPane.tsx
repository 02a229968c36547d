import { useStateView } from '../../state/state-view'
import { BrowserPane } from '../browser/BrowserPane'
import { StateView } from './StateView'
import { ViewSwitch } from './ViewSwitch'
import './state.css'

/** The stream's main pane: the message browser, or the State view ("Messages | State"). */
export function StreamPane() {
  const view = useStateView((s) => s.view)
  return (
    <div className="stream-pane">
      <ViewSwitch />
      {view === 'state' ? <StateView /> : <BrowserPane />}
    </div>
  )
}
