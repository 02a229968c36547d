import { isJsonContentType } from '../../../../src-shared/client/protocol'
import { useBrowse } from '../../state/browse'
import { looksLikeState, setPaneView, useStateView } from '../../state/state-view'
import type { MessagePayload } from '../../../../src-shared/contract'

/** First messages of the browser's list (it reads from the start by default). */
function firstPayloads(rows: ReadonlyMap<number, { payload: MessagePayload }>): MessagePayload[] {
  const out: MessagePayload[] = []
  for (let i = 0; i < 20; i++) {
    const r = rows.get(i)
    if (!r) break
    out.push(r.payload)
  }
  return out
}

/** "Messages | State": the State view is offered (badge) when the stream carries State Protocol. */
export function ViewSwitch() {
  const view = useStateView((s) => s.view)
  const isJson = useBrowse((s) => isJsonContentType(s.header?.contentType))
  const stateLike = useBrowse((s) => looksLikeState(firstPayloads(s.rows)))
  if (!isJson && view === 'messages') return null
  return (
    <div className="view-switch" role="tablist" aria-label="Stream view">
      <button
        role="tab"
        aria-selected={view === 'messages'}
        className={view === 'messages' ? 'active' : ''}
        onClick={() => setPaneView('messages')}
      >
        Messages
      </button>
      <button
        role="tab"
        aria-selected={view === 'state'}
        className={view === 'state' ? 'active' : ''}
        onClick={() => setPaneView('state')}
      >
        State
        {stateLike && view === 'messages' ? (
          <span
            className="state-badge"
            data-testid="state-hint"
            title="The first messages are State Protocol change/control messages"
          >
            State Protocol
          </span>
        ) : null}
      </button>
    </div>
  )
}
