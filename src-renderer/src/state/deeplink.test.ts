import { describe, expect, it } from 'vitest'
import { formatDsiUrl, formatHash, parseDeepLink } from './deeplink'

describe('deep links', () => {
  it('round-trips hash and dsi:// links with an offset', () => {
    const link = { connectionId: 'local', path: 'a/b c', offset: '0000_0012' }
    expect(parseDeepLink(formatHash(link))).toEqual(link)
    expect(parseDeepLink(formatDsiUrl(link))).toEqual(link)
    expect(parseDeepLink('#/stream/local/orders')).toEqual({
      connectionId: 'local',
      path: 'orders',
      offset: null,
    })
  })
  it('ignores what it does not understand', () => {
    expect(parseDeepLink('#/other')).toBeNull()
    expect(parseDeepLink('#/stream/%E0%A4%A/x')).toBeNull()
  })
})
