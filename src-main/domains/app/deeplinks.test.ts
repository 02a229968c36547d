import { describe, expect, it } from 'vitest'
import { DeepLinkInbox, findDeepLink } from './deeplinks.js'

describe('deep link inbox', () => {
  it('finds a dsi:// link in argv', () => {
    expect(findDeepLink(['/app', '--flag', 'dsi://stream/local/a?offset=1'])).toBe(
      'dsi://stream/local/a?offset=1',
    )
    expect(findDeepLink(['/app'])).toBeNull()
  })
  it('keeps a link until the renderer takes it when no window listens', () => {
    const delivered: string[] = []
    let windows = 0
    const inbox = new DeepLinkInbox((url) => {
      if (windows > 0) delivered.push(url)
      return windows
    })
    inbox.push('dsi://stream/local/a')
    inbox.push('https://evil.example') // ignored
    expect(inbox.take()).toBe('dsi://stream/local/a')
    expect(inbox.take()).toBeNull()
    windows = 1
    inbox.push('dsi://stream/local/b')
    expect(delivered).toEqual(['dsi://stream/local/b'])
    expect(inbox.take()).toBeNull()
  })
})
