import { answerConfirm, useConfirm } from '../../state/confirm'
import { Dialog } from './Dialog'

/** The open confirmation (state/confirm.ts), if any: Escape or Cancel say no. */
export function ConfirmDialog() {
  const request = useConfirm((s) => s.request)
  if (!request) return null
  return (
    <Dialog title={request.title} onClose={() => answerConfirm(false)} testId="confirm-dialog">
      <p data-testid="confirm-message">{request.message}</p>
      <div className="row end">
        <button type="button" onClick={() => answerConfirm(false)}>
          Cancel
        </button>
        <button
          type="button"
          className="primary"
          data-autofocus
          data-testid="confirm-ok"
          onClick={() => answerConfirm(true)}
        >
          {request.confirmLabel}
        </button>
      </div>
    </Dialog>
  )
}
