/**
 * Which server and stream a command talks to: a stream URL, or a path on `--server URL` /
 * DSI_SERVER_URL, or a path on a saved connection profile of the app (`--connection NAME`,
 * read from the app's settings in its user-data dir). Header values come from `--header` and
 * DSI_HEADER_<Name> variables only; they are never printed.
 */
import { defaultUserDataDir } from '../args.js'
import { Client, type Stream } from '../../src-shared/client/node.js'
import { CliError, EXIT, usageError } from './exit-codes.js'

export interface TargetOptions {
  server?: string | undefined
  connection?: string | undefined
  userData?: string | undefined
  header?: string[] | undefined
}

export interface Target {
  client: Client
  /** The server's base URL (streams and `__registry__` are resolved against it). */
  baseUrl: string
  /** Where the base URL came from, for messages (`--server`, `connection "prod"`, a URL). */
  source: string
}

export interface StreamTarget extends Target {
  stream: Stream
  /** The stream's path relative to the base URL (what forks name as their source). */
  path: string
  url: string
}

const NO_TARGET =
  'no server given: pass a stream URL, or --server URL (or DSI_SERVER_URL) with a path, or ' +
  '--connection NAME. dsi does not start the app\'s embedded Local server: run "npm run web" ' +
  '(it prints "Embedded server: URL") and pass that URL with --server'

function isUrl(s: string): boolean {
  return /^https?:\/\//i.test(s)
}

function checkHttpUrl(value: string, what: string): string {
  let u: URL
  try {
    u = new URL(value)
  } catch (_err) {
    throw usageError(what, `not a valid URL: ${value}`)
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') {
    throw usageError(what, `must be an http(s) URL, got ${u.protocol}`)
  }
  return value.replace(/\/+$/, '')
}

/** `Name: value` headers from --header, then DSI_HEADER_<Name> variables (`_` means `-`). */
export function collectHeaders(
  flags: readonly string[],
  env: NodeJS.ProcessEnv,
): Map<string, { name: string; value: string }> {
  const out = new Map<string, { name: string; value: string }>()
  for (const [key, value] of Object.entries(env)) {
    if (!key.startsWith('DSI_HEADER_') || value === undefined) continue
    const name = key.slice('DSI_HEADER_'.length).replace(/_/g, '-')
    if (!/^[A-Za-z0-9!#$%&'*+.^`|~-]+$/.test(name)) {
      throw usageError(key, 'not a valid header name after DSI_HEADER_')
    }
    out.set(name.toLowerCase(), { name, value })
  }
  for (const flag of flags) {
    const colon = flag.indexOf(':')
    const name = colon > 0 ? flag.slice(0, colon).trim() : ''
    if (!name || !/^[A-Za-z0-9!#$%&'*+.^`|~-]+$/.test(name)) {
      // Only the part before the colon is shown: the value may be a secret.
      throw usageError(
        '--header',
        `expected "Name: value", got "${flag.slice(0, Math.max(colon, 0)) || '…'}"`,
      )
    }
    out.set(name.toLowerCase(), { name, value: flag.slice(colon + 1).trim() })
  }
  return out
}

/** The app's user-data dir: --user-data, then DSI_USER_DATA, then the app's default. */
export function userDataDir(opts: TargetOptions, env: NodeJS.ProcessEnv): string {
  return opts.userData || env.DSI_USER_DATA || defaultUserDataDir()
}

async function profileTarget(
  name: string,
  opts: TargetOptions,
  env: NodeJS.ProcessEnv,
  headers: Map<string, { name: string; value: string }>,
): Promise<{ baseUrl: string; headers: Record<string, string>; source: string }> {
  const dir = userDataDir(opts, env)
  // Loaded only here: zod and the settings schema are not needed by other targets.
  const { SettingsStore } = await import('../domains/app/settings.js')
  const settings = new SettingsStore(dir)
  const all = (await settings.load()).connections
  const profile =
    all.find((c) => c.name === name) ??
    all.find((c) => c.name.toLowerCase() === name.toLowerCase()) ??
    all.find((c) => c.id === name)
  if (!profile) {
    const known = all.map((c) => `"${c.name}"`).join(', ') || 'none'
    throw new CliError(
      `--connection ${name}`,
      `no such connection profile in ${settings.path} (profiles: ${known})`,
      EXIT.notFound,
    )
  }
  const out: Record<string, string> = {}
  for (const h of profile.headerNames) {
    const given = headers.get(h.toLowerCase())
    if (!given) {
      throw usageError(
        `connection "${profile.name}"`,
        `header ${h} needs a value: set DSI_HEADER_${h.replace(/-/g, '_')} or pass --header '${h}: …' ` +
          '(the app keeps the value encrypted; dsi does not read it)',
      )
    }
  }
  for (const h of headers.values()) out[h.name] = h.value
  return {
    baseUrl: profile.baseUrl.replace(/\/+$/, ''),
    headers: out,
    source: `connection "${profile.name}"`,
  }
}

/** The server to talk to, for commands that take no stream (ls) or a server URL argument. */
export async function resolveServer(
  serverArg: string | undefined,
  opts: TargetOptions,
  env: NodeJS.ProcessEnv,
): Promise<Target> {
  const headers = collectHeaders(opts.header ?? [], env)
  if (opts.server && opts.connection) {
    throw usageError('--connection', 'give either --server or --connection, not both')
  }
  let baseUrl: string
  let source: string
  let sent: Record<string, string>
  if (serverArg !== undefined && isUrl(serverArg)) {
    baseUrl = checkHttpUrl(serverArg, 'server URL')
    source = 'URL'
    sent = Object.fromEntries([...headers.values()].map((h) => [h.name, h.value]))
  } else if (opts.connection) {
    const p = await profileTarget(opts.connection, opts, env, headers)
    ;({ baseUrl, source } = p)
    sent = p.headers
  } else {
    const server = opts.server || env.DSI_SERVER_URL
    if (!server) throw usageError('target', NO_TARGET)
    baseUrl = checkHttpUrl(server, opts.server ? '--server' : 'DSI_SERVER_URL')
    source = opts.server ? '--server' : 'DSI_SERVER_URL'
    sent = Object.fromEntries([...headers.values()].map((h) => [h.name, h.value]))
  }
  const client = new Client({ baseUrl, headers: sent })
  return { client, baseUrl, source }
}

/** A stream: a full URL, or a path on --server / DSI_SERVER_URL / --connection. */
export async function resolveStream(
  arg: string | undefined,
  opts: TargetOptions,
  env: NodeJS.ProcessEnv,
): Promise<StreamTarget> {
  if (arg === undefined || arg === '')
    throw usageError('stream', 'missing: give a stream URL or a path')
  if (isUrl(arg)) {
    if (opts.server || opts.connection) {
      throw usageError(arg, 'a full stream URL cannot be combined with --server or --connection')
    }
    const url = checkHttpUrl(arg, 'stream URL')
    const u = new URL(url)
    const base = `${u.origin}`
    const t = await resolveServer(base, opts, env)
    return { ...t, stream: t.client.stream(url), path: u.pathname, url }
  }
  const t = await resolveServer(undefined, opts, env)
  const path = '/' + arg.replace(/^\/+/, '')
  const url = t.client.resolve(path)
  return { ...t, stream: t.client.stream(path), path, url }
}
