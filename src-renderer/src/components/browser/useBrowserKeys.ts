import { useEffect, type RefObject } from 'react'

function typing(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null
  if (!el) return false
  if (el.tagName === 'INPUT') {
    const type = (el as HTMLInputElement).type
    return !['checkbox', 'radio', 'button', 'submit'].includes(type)
  }
  return (
    el.isContentEditable ||
    ['TEXTAREA', 'SELECT'].includes(el.tagName) ||
    el.closest('.monaco-editor') !== null
  )
}

/**
 * `/` focuses the search box from anywhere outside a text field. The list's own keys (j/k,
 * arrows, g/G, Enter, the context menu) belong to the list and work while it has the focus
 * (VirtualList).
 */
export function useBrowserKeys(searchRef: RefObject<HTMLInputElement | null>): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (e.key !== '/' || e.ctrlKey || e.metaKey || e.altKey || typing(e.target)) return
      if (!searchRef.current) return
      searchRef.current.focus()
      e.preventDefault()
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [searchRef])
}
