import { useEffect, type RefObject } from 'react'
import { select, setFollow, useBrowse, visibleTotal } from '../../state/browse'

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

/** j/k move, Enter opens the detail, / focuses search, g/G go to the first/last message. */
export function useBrowserKeys(searchRef: RefObject<HTMLInputElement | null>): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (e.ctrlKey || e.metaKey || e.altKey || typing(e.target)) return
      const s = useBrowse.getState()
      if (!s.sessionId) return
      const total = visibleTotal(s)
      const cur = s.selected
      switch (e.key) {
        case 'j':
          setFollow(false)
          select(cur === null ? 0 : Math.min(total - 1, cur + 1))
          break
        case 'k':
          setFollow(false)
          select(cur === null ? Math.max(0, total - 1) : Math.max(0, cur - 1))
          break
        case 'Enter':
          if (cur !== null) useBrowse.setState({ detailOpen: true })
          else select(0, true)
          break
        case '/':
          searchRef.current?.focus()
          break
        case 'g':
          setFollow(false)
          select(0)
          break
        case 'G':
          select(total - 1)
          break
        default:
          return
      }
      e.preventDefault()
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [searchRef])
}
