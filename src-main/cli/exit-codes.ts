/**
 * Exit codes of `dsi` and the one-line error format `dsi: <what>: <why>`. Every failure maps to
 * one code, so scripts can branch on `$?` without parsing messages.
 */
import type { DurableStreamsError } from '../../src-shared/client/node.js'

export const EXIT = {
  ok: 0,
  /** Bad command line: unknown option, missing target, malformed value. */
  usage: 1,
  /** The stream (or connection profile) does not exist, or is gone (404, 410). */
  notFound: 2,
  /** Conflict: the stream exists with another configuration, is closed, content type or seq mismatch (409). */
  conflict: 3,
  /** An idempotent producer was fenced by a newer epoch (403 with Producer-Epoch). */
  fenced: 4,
  /** The server could not be reached, timed out, or kept failing (5xx, dropped connections). */
  network: 5,
  /** The server or dsi refused the data: invalid JSON, malformed NDJSON, 400 Bad Request. */
  badInput: 6,
  /** Authentication or authorisation failed (401, 403 other than fencing). */
  auth: 7,
  /** Anything else (a bug: rerun with --debug and report it). */
  internal: 8,
  /** Stopped by Ctrl-C / SIGTERM before finishing (`dsi produce`: what was not written is said). */
  interrupted: 130,
} as const

export type ExitCode = (typeof EXIT)[keyof typeof EXIT]

/** An error raised by dsi itself, with its exit code and the "what" of the message. */
export class CliError extends Error {
  constructor(
    readonly what: string,
    message: string,
    readonly exitCode: ExitCode,
    options?: { cause?: unknown },
  ) {
    super(message, options)
    this.name = 'CliError'
  }
}

export function usageError(what: string, why: string): CliError {
  return new CliError(what, why, EXIT.usage)
}

function isClientError(err: unknown): err is DurableStreamsError {
  return (
    err instanceof Error &&
    typeof (err as { code?: unknown }).code === 'string' &&
    'headers' in err &&
    'status' in err
  )
}

/** The exit code for any error: dsi's own, the client's typed errors, or anything else. */
export function exitCodeOf(err: unknown): ExitCode {
  if (err instanceof CliError) return err.exitCode
  // Client errors, and the app services' errors of the same shape (code, status).
  const e = (typeof err === 'object' && err !== null ? err : {}) as {
    code?: unknown
    status?: unknown
  }
  const status = typeof e.status === 'number' ? e.status : undefined
  if (e.code !== 'STALE_EPOCH' && (status === 401 || status === 403)) return EXIT.auth
  // An unclassified HTTP failure (FETCH_ERROR) is judged by its status.
  const code = e.code === 'FETCH_ERROR' && status !== undefined && status < 500 ? null : e.code
  switch (code) {
    case 'NOT_FOUND':
    case 'GONE':
      return EXIT.notFound
    case 'STREAM_EXISTS':
    case 'SEQUENCE_CONFLICT':
    case 'CONTENT_TYPE_MISMATCH':
    case 'STREAM_CLOSED':
    case 'SEQUENCE_GAP':
    case 'CLOSED':
      return EXIT.conflict
    case 'STALE_EPOCH':
      return EXIT.fenced
    case 'CONNECTION_ERROR':
    case 'TIMEOUT':
    case 'FETCH_ERROR':
    case 'RATE_LIMITED':
    case 'SSE_NOT_SUPPORTED':
    case 'APPEND_OUTCOME_UNKNOWN':
    case 'OFFSET_REGRESSION':
      return EXIT.network
    case 'BAD_REQUEST':
    case 'PARSE_ERROR':
    case 'INVALID_ARGUMENT':
      return EXIT.badInput
    default:
      if (status === 401 || status === 403) return EXIT.auth
      if (status === 404) return EXIT.notFound
      if (status === 409) return EXIT.conflict
      if (status !== undefined && status >= 500) return EXIT.network
      if (status !== undefined && status >= 400) return EXIT.badInput
      return EXIT.internal
  }
}

/** Query parameters of the protocol itself, shown as they are; any other value is masked. */
const PROTOCOL_PARAMS = new Set(['offset', 'live', 'cursor'])

/**
 * A URL as it may be shown: user info (user:password@) removed, and the values of query
 * parameters other than the protocol's (`?token=…`, `?api_key=…`) replaced by `REDACTED`.
 */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url)
    let changed = false
    if (u.username || u.password) {
      u.username = ''
      u.password = ''
      changed = true
    }
    for (const key of new Set(u.searchParams.keys())) {
      if (PROTOCOL_PARAMS.has(key)) continue
      u.searchParams.set(key, 'REDACTED')
      changed = true
    }
    return changed ? u.href : url // unchanged: exactly as given
  } catch (_err) {
    return url
  }
}

/** Every http(s) URL in a text (an error message, a stack trace) through redactUrl. */
export function redactText(text: string): string {
  return text.replace(/https?:\/\/[^\s"'<>()]+/g, (url) => redactUrl(url))
}

/**
 * `dsi: <what>: <why>` for an error; `what` is the command's subject (a stream URL, a file).
 * Never includes request headers: client errors carry only response headers, and those are
 * not printed either.
 */
export function formatError(err: unknown, what: string): string {
  if (err instanceof CliError) return redactText(`dsi: ${err.what}: ${oneLine(err.message)}`)
  const message = err instanceof Error ? err.message : String(err)
  let why = oneLine(message)
  if (isClientError(err)) {
    if (err.url) why = why.split(err.url).join(redactUrl(err.url))
    if (err.status !== undefined && !why.includes(String(err.status)))
      why += ` (HTTP ${err.status})`
  }
  return redactText(`dsi: ${what}: ${why}`)
}

function oneLine(s: string): string {
  return s.replace(/\s*\n\s*/g, ' ').trim()
}
