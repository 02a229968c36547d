import { useId, useLayoutEffect, useRef, type ReactNode } from 'react'

/** What gets focus when a dialog opens: a marked field, else its first field, else a button. */
const INITIAL_FOCUS = [
  '[data-autofocus]',
  'input:not([disabled]):not([type="hidden"]), select:not([disabled]), textarea:not([disabled])',
  '.dialog-body button:not([disabled])',
]

const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])'

/** The dialog's focusable elements that are shown, in tab order (document order here). */
function focusables(dialog: HTMLElement): HTMLElement[] {
  return [...dialog.querySelectorAll<HTMLElement>(FOCUSABLE)].filter(
    (el) => el.getClientRects().length > 0,
  )
}

/**
 * Tab from the last element goes to the first, Shift+Tab from the first to the last: the
 * browser would otherwise move on to its own toolbar (the page behind is inert either way).
 */
function trapTab(e: React.KeyboardEvent<HTMLDialogElement>): void {
  if (e.key !== 'Tab') return
  const all = focusables(e.currentTarget)
  const first = all[0]
  const last = all[all.length - 1]
  if (!first || !last) return
  const active = document.activeElement
  if (e.shiftKey && (active === first || active === e.currentTarget)) {
    e.preventDefault()
    last.focus()
  } else if (!e.shiftKey && active === last) {
    e.preventDefault()
    first.focus()
  }
}

/**
 * A modal dialog on the native <dialog> (showModal): the rest of the page is inert while it is
 * open and Tab wraps around inside it; the first field gets focus (or one marked `data-autofocus`);
 * Escape or the close button calls `onClose`; focus goes back to what had it before (the opener).
 * Named by its title for assistive technology (and `getByRole('dialog', { name })`).
 */
export function Dialog({
  title,
  onClose,
  children,
  testId,
}: {
  title: string
  onClose: () => void
  children: ReactNode
  testId?: string
}) {
  const ref = useRef<HTMLDialogElement>(null)
  const titleId = useId()
  // A layout effect: its cleanup runs before React removes the element, so close() (and the
  // focus return) happens while the dialog is still in the document.
  useLayoutEffect(() => {
    const dialog = ref.current
    if (!dialog) return
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null
    if (!dialog.open) dialog.showModal()
    for (const selector of INITIAL_FOCUS) {
      const el = dialog.querySelector<HTMLElement>(selector)
      if (el) {
        el.focus()
        break
      }
    }
    return () => {
      if (dialog.open) dialog.close()
      if (opener?.isConnected) opener.focus()
    }
  }, [])
  return (
    <dialog
      ref={ref}
      className="dialog"
      aria-labelledby={titleId}
      data-testid={testId}
      onKeyDown={trapTab}
      onCancel={(e) => {
        // Escape: the owner unmounts the dialog (that closes it), so its state stays the truth.
        e.preventDefault()
        onClose()
      }}
    >
      <div className="dialog-head">
        <h2 id={titleId}>{title}</h2>
        <div className="spacer" />
        <button type="button" className="ghost small" aria-label="Close dialog" onClick={onClose}>
          ✕
        </button>
      </div>
      <div className="dialog-body">{children}</div>
    </dialog>
  )
}
