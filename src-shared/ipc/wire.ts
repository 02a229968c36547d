/**
 * What both transports carry (Electron IPC and the web host's WebSocket): call outcomes as data,
 * the raw transport the preload exposes, and the WebSocket's frames.
 */
import type { ErrorData } from '../contract/common.js'
import type { EventName, MethodName } from '../contract/names.js'

/** A call's outcome on the wire: errors travel as data, never as thrown IPC errors. */
export type WireResult = { ok: true; value: unknown } | { ok: false; error: ErrorData }

/**
 * A raw, untyped transport: what the Electron preload exposes on `window.dsi`, and what the
 * WebSocket bridge implements; the renderer wraps it into the typed Bridge.
 */
export interface PreloadApi {
  invoke(method: MethodName, params: unknown): Promise<WireResult>
  subscribe(listener: (event: EventName, payload: unknown) => void): () => void
}

export interface CallFrame {
  t: 'call'
  id: number
  method: MethodName
  params: unknown
}

export interface ResultFrame {
  t: 'result'
  id: number
  result: WireResult
}

export interface EventFrame {
  t: 'event'
  event: EventName
  payload: unknown
}

export type ServerFrame = ResultFrame | EventFrame

/** Name of the query parameter carrying the per-launch token. */
export const TOKEN_PARAM = 'token'
/** Path of the WebSocket endpoint on the web host. */
export const WS_PATH = '/bridge'

const MiB = 1024 * 1024
/**
 * Largest WebSocket frame the web host accepts. Small, so a junk frame costs the host little: the
 * socket refuses a larger frame (1009) from its header, before buffering it. Calls larger than
 * this travel in parts (`callFrames`).
 */
export const MAX_FRAME_BYTES = 4 * MiB
/**
 * Largest call (its JSON text, UTF-8) the host assembles from parts. `transfer.import` carries up to
 * 64 MiB of content (src-shared/contract/transfer.ts); JSON escaping can double NDJSON text (every `"` becomes
 * `\"`), so this is twice that plus room for the envelope. Base64 imports never need escaping.
 */
export const MAX_CALL_BYTES = 129 * MiB
/**
 * Characters of call text per part. Escaped once more inside the part frame (at most doubled) and
 * at most 3 UTF-8 bytes each, a part frame stays under 3 MiB + its envelope.
 */
export const PART_CHARS = 512 * 1024

/** One piece of a call's JSON text; the host parses the call once the `last` part arrived. */
export interface PartFrame {
  t: 'part'
  /** The call's id (answered with one result frame as usual). */
  id: number
  /** 0, 1, 2, … in order. */
  seq: number
  data: string
  last: boolean
}

/**
 * The frames that carry call `id` whose JSON text is `text`: the text itself when it fits in one
 * frame, else part frames of at most `partChars` characters (never splitting a surrogate pair).
 */
export function callFrames(id: number, text: string, partChars = PART_CHARS): string[] {
  if (!frameTooLarge(text)) return [text]
  const frames: string[] = []
  let seq = 0
  for (let start = 0; start < text.length;) {
    let end = Math.min(text.length, start + partChars)
    const before = text.charCodeAt(end - 1)
    if (end < text.length && before >= 0xd800 && before <= 0xdbff) end--
    const part: PartFrame = {
      t: 'part',
      id,
      seq: seq++,
      data: text.slice(start, end),
      last: end >= text.length,
    }
    frames.push(JSON.stringify(part))
    start = end
  }
  return frames
}

/** Bytes of `text` once UTF-8 encoded (what the socket sends), without allocating a copy. */
export function utf8Length(text: string): number {
  let n = 0
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c < 0x80) n += 1
    else if (c < 0x800) n += 2
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1)
      if (d >= 0xdc00 && d <= 0xdfff) {
        n += 4
        i++
      } else n += 3
    } else n += 3
  }
  return n
}

/** Would the host refuse this frame (and close the socket with 1009)? See `callFrames`. */
export function frameTooLarge(text: string, max = MAX_FRAME_BYTES): boolean {
  if (text.length * 3 <= max) return false
  if (text.length > max) return true
  return utf8Length(text) > max
}

/** What the page shows when the bridge socket closes. */
export function closeMessage(code: number, reason: string): string {
  if (code === 1009) {
    return (
      `The connection to the app closed: a frame was larger than ${MAX_FRAME_BYTES / MiB} MiB. ` +
      'Reload the page to reconnect.'
    )
  }
  return reason || `connection closed (code ${code})`
}
