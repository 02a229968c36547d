/** Command-line options shared by the desktop app and the web host. */
import { homedir } from 'node:os'
import { join } from 'node:path'

export interface CliOptions {
  port: number
  userDataDir: string | null
  serverUrl: string | null
}

export class UsageError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'UsageError'
  }
}

export function parseArgs(argv: readonly string[], env: NodeJS.ProcessEnv): CliOptions {
  // --user-data wins over DSI_USER_DATA (as --server over DSI_SERVER_URL).
  const out: CliOptions = {
    port: 0,
    userDataDir: env.DSI_USER_DATA || null,
    serverUrl: env.DSI_SERVER_URL || null,
  }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? ''
    const [flag, inline] = arg.includes('=')
      ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
      : [arg, undefined]
    const value = (): string => {
      const v = inline ?? argv[++i]
      if (v === undefined || v === '') throw new UsageError(`${flag} needs a value`)
      return v
    }
    switch (flag) {
      case '--port': {
        const v = value()
        const n = Number(v)
        if (!Number.isInteger(n) || n < 0 || n > 65535)
          throw new UsageError(`--port must be 0-65535, got ${v}`)
        out.port = n
        break
      }
      case '--user-data':
        out.userDataDir = value()
        break
      case '--server': {
        out.serverUrl = value()
        break
      }
      default:
        // Electron and Chromium add their own switches; only our flags are checked.
        if (flag.startsWith('--dsi-')) throw new UsageError(`Unknown option ${flag}`)
    }
  }
  if (out.serverUrl !== null) {
    let url: URL
    try {
      url = new URL(out.serverUrl)
    } catch (_err) {
      throw new UsageError(`--server / DSI_SERVER_URL is not a valid URL: ${out.serverUrl}`)
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new UsageError(`--server must be an http(s) URL, got ${out.serverUrl}`)
    }
  }
  return out
}

/** Where the web host keeps its data when --user-data is not given (mirrors Electron). */
export function defaultUserDataDir(appName = 'Durable Streams Inspector'): string {
  if (process.platform === 'darwin')
    return join(homedir(), 'Library', 'Application Support', appName)
  if (process.platform === 'win32')
    return join(process.env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), appName)
  return join(process.env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), appName)
}
