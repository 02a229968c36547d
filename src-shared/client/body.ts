/**
 * Request body encoding for appends, by stream content type.
 * @internal
 */
import { InvalidArgumentError } from './errors.js'

/**
 * Data accepted by `append`: a JSON value for JSON streams; string or bytes for the others.
 * @example
 * ```ts
 * const data: AppendData = { type: 'order.created', id: 42 }
 * ```
 */
export type AppendData = unknown

const encoder = new TextEncoder()
const decoder = new TextDecoder()

function asBytes(data: unknown): Uint8Array | undefined {
  if (data instanceof Uint8Array) return data
  if (data instanceof ArrayBuffer) return new Uint8Array(data)
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
  return undefined
}

/**
 * JSON text of one message. Throws for values JSON cannot represent (undefined, functions,
 * symbols, BigInt, cycles).
 */
export function jsonMessage(value: unknown, field = 'data'): string {
  let text: string | undefined
  try {
    text = JSON.stringify(value)
  } catch (err) {
    throw new InvalidArgumentError(
      field,
      `Cannot encode ${field} as JSON: ${(err as Error).message}`,
    )
  }
  if (text === undefined) {
    throw new InvalidArgumentError(
      field,
      `Cannot encode ${field} as JSON: ${typeof value} is not a JSON value`,
    )
  }
  return text
}

// ignoreBOM keeps a byte-order mark in the text, so JSON.parse refuses it: framed into the
// batch's array it would make the server refuse the whole batch (400 Invalid JSON).
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })

/**
 * Checks that raw bytes appended to a JSON stream hold exactly one JSON value (one message),
 * and returns them. An idempotent producer frames each message into one array, so bytes like
 * `1,2` would otherwise become two messages and `not json` would poison its whole batch.
 */
export function oneJsonValue(bytes: Uint8Array, field = 'data'): Uint8Array {
  if (bytes.length === 0) return bytes // the caller refuses empty messages with its own message
  let text: string
  try {
    text = strictUtf8.decode(bytes)
  } catch {
    throw new InvalidArgumentError(field, `Invalid ${field}: raw JSON bytes are not valid UTF-8`)
  }
  try {
    JSON.parse(text)
  } catch (err) {
    throw new InvalidArgumentError(
      field,
      `Invalid ${field}: raw bytes on a JSON stream must hold exactly one JSON value, one message (${(err as Error).message}): ${JSON.stringify(text.slice(0, 60))}`,
    )
  }
  return bytes
}

/**
 * Encodes an append body.
 * - JSON streams: bytes are sent verbatim (pre-serialised JSON; a top-level array is
 *   flattened by the server into several messages); any other value is one message, sent as
 *   a one-element array.
 * - Other streams: strings are sent as UTF-8, bytes as they are.
 */
export function encodeBody(data: AppendData, json: boolean, field = 'data'): Uint8Array | string {
  const bytes = asBytes(data)
  if (json) {
    if (bytes) return bytes
    return '[' + jsonMessage(data, field) + ']'
  }
  if (typeof data === 'string') return data
  if (bytes) return bytes
  throw new InvalidArgumentError(
    field,
    `Invalid ${field}: byte and text streams take a string or Uint8Array, got ${data === null ? 'null' : typeof data}`,
  )
}

/** Encodes several queued messages as one request body (one JSON array, or concatenated bytes). */
export function encodeBatch(items: readonly unknown[], json: boolean): Uint8Array | string {
  if (json) {
    // Bytes are the JSON text of one message (as in `append`), everything else is encoded.
    let s = '['
    for (let i = 0; i < items.length; i++) {
      if (i > 0) s += ','
      const item = items[i]
      s += item instanceof Uint8Array ? decoder.decode(item) : jsonMessage(item)
    }
    return s + ']'
  }
  if (items.length === 1) return encodeBody(items[0], false)
  return concatBytes(
    items.map((d) => {
      const b = encodeBody(d, false)
      return typeof b === 'string' ? encoder.encode(b) : b
    }),
  )
}

/** One array holding all `parts` in order (the part itself when there is only one). */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!
  let len = 0
  for (const p of parts) len += p.length
  const out = new Uint8Array(len)
  let pos = 0
  for (const p of parts) {
    out.set(p, pos)
    pos += p.length
  }
  return out
}

/** UTF-8 byte length of a string without allocating. */
export function byteLengthUtf8(s: string): number {
  let n = 0
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c < 0x80) n += 1
    else if (c < 0x800) n += 2
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      n += 4
      i++
    } else n += 3
  }
  return n
}
