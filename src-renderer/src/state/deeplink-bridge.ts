/** `dsi://` links from Electron main: the launch link (taken once) and links opened later. */
import type { Bridge } from '../../../src-shared/contract'
import { formatHash, parseDeepLink } from './deeplink'

/** Puts the launch link (if any) in the URL hash without a hashchange; later links navigate. */
export async function wireDeepLinks(b: Bridge): Promise<void> {
  b.on('app.deepLink', (e) => {
    const link = parseDeepLink(e.url)
    if (link) window.location.hash = formatHash(link)
    else console.warn(`Ignoring a deep link the app does not understand: ${e.url}`)
  })
  const { url } = await b.call('app.takeDeepLink', {})
  const link = url ? parseDeepLink(url) : null
  if (link) window.history.replaceState(null, '', formatHash(link))
}
