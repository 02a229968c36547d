/**
 * Confirmations in the app's own modal dialog (instead of window.confirm, which blocks the page
 * and cannot be styled or named): `confirmAction` shows one and resolves with the choice.
 */
import { create } from 'zustand'

export interface ConfirmRequest {
  title: string
  message: string
  /** The confirming button's label, e.g. "Remove". */
  confirmLabel: string
  resolve: (ok: boolean) => void
}

export const useConfirm = create<{ request: ConfirmRequest | null }>(() => ({ request: null }))

/** Asks the user; true if they confirmed. A newer request cancels an unanswered one. */
export function confirmAction(
  title: string,
  message: string,
  confirmLabel = 'OK',
): Promise<boolean> {
  return new Promise((resolve) => {
    useConfirm.getState().request?.resolve(false)
    useConfirm.setState({ request: { title, message, confirmLabel, resolve } })
  })
}

/** The user's answer to the request shown. */
export function answerConfirm(ok: boolean): void {
  const { request } = useConfirm.getState()
  if (!request) return
  useConfirm.setState({ request: null })
  request.resolve(ok)
}
