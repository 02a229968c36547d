// First: configures zod before any schema is built (see the module).
import './zod-jitless'
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './App'
import { createBridge, setBridgeReason, setBridgeState, useBridgeStatus } from './bridge'
import { init } from './store'
import { applyTheme } from './state/ui'
import { errorMessage } from '../../src-shared/error-message'
import './styles.css'

applyTheme()
const bridge = createBridge(setBridgeState)
init(bridge).catch((err: unknown) => {
  // With the bridge closed the page says so (the session-ended screen): that is expected.
  if (useBridgeStatus.getState().state === 'closed')
    console.warn('init stopped: bridge closed', err)
  else console.error('init failed', err)
  setBridgeReason(errorMessage(err))
})

const root = document.getElementById('root')
if (!root) throw new Error('#root missing from index.html')
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
)
