/**
 * Deep links (`dsi://stream/<connectionId>/<path>?offset=<offset>`) handed to the app by the
 * OS. A link that arrives before the renderer is ready waits here until it asks for it;
 * later ones are pushed to every window as `browse.deepLink`.
 */
export const DSI_SCHEME = 'dsi'

/** The first `dsi://` URL in a command line (Windows/Linux pass links as arguments). */
export function findDeepLink(argv: readonly string[]): string | null {
  return argv.find((a) => a.toLowerCase().startsWith(`${DSI_SCHEME}://`)) ?? null
}

export class DeepLinkInbox {
  private pending: string | null = null

  constructor(private readonly deliver: (url: string) => number) {}

  /** A link from the OS: delivered now if a window listens, else kept for `take`. */
  push(url: string): void {
    if (!url.toLowerCase().startsWith(`${DSI_SCHEME}://`)) return
    if (this.deliver(url) === 0) this.pending = url
  }

  take(): string | null {
    const url = this.pending
    this.pending = null
    return url
  }
}
