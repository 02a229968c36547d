/** Formatting of message payloads and offsets for the browser. */
import type { MessagePayload } from '../../../../src-shared/contract/index.js'

export function decodeBase64(b64: string): Uint8Array {
  const bin = atob(b64)
  const out = new Uint8Array(bin.length)
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i)
  return out
}

const hex2 = (n: number): string => n.toString(16).padStart(2, '0')

/** Classic hex dump: offset, 16 hex bytes, ASCII column. */
export function hexDump(bytes: Uint8Array, maxBytes = 64 * 1024, perLine = 16): string {
  const lines: string[] = []
  const n = Math.min(bytes.length, maxBytes)
  for (let i = 0; i < n; i += perLine) {
    const chunk = bytes.subarray(i, Math.min(i + perLine, n))
    const hex = [...chunk]
      .map(hex2)
      .join(' ')
      .padEnd(perLine * 3 - 1, ' ')
    const ascii = [...chunk].map((b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.'))
    lines.push(`${i.toString(16).padStart(8, '0')}  ${hex}  |${ascii.join('')}|`)
  }
  if (bytes.length > n) lines.push(`… ${bytes.length - n} more bytes`)
  return lines.join('\n')
}

/** One-line preview of a message for a list row. */
export function preview(p: MessagePayload, max = 400): string {
  let s: string
  switch (p.kind) {
    case 'json':
      s = JSON.stringify(p.value) ?? 'undefined'
      break
    case 'text':
      s = p.text.replace(/\s+/g, ' ')
      break
    case 'bytes': {
      const bytes = decodeBase64(p.base64).subarray(0, 24)
      const ascii = [...bytes].map((b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.'))
      s = `${p.size} B · ${[...bytes].map(hex2).join(' ')} |${ascii.join('')}|`
      break
    }
  }
  return s.length > max ? `${s.slice(0, max)}…` : s
}

/** Full text of a message for copying. */
export function fullText(p: MessagePayload, pretty = true): string {
  switch (p.kind) {
    case 'json':
      return JSON.stringify(p.value, null, pretty ? 2 : undefined) ?? 'undefined'
    case 'text':
      return p.text
    case 'bytes':
      return hexDump(decodeBase64(p.base64), Infinity)
  }
}

export function byteSize(p: MessagePayload): number {
  switch (p.kind) {
    case 'json':
      return new TextEncoder().encode(JSON.stringify(p.value) ?? '').length
    case 'text':
      return new TextEncoder().encode(p.text).length
    case 'bytes':
      return p.size
  }
}

/** Opaque offsets are long; rows show their tail (the full value is in the title). */
export function shortOffset(o: string, keep = 10): string {
  return o.length > keep + 1 ? `…${o.slice(-keep)}` : o
}

export function clock(ms: number): string {
  const d = new Date(ms)
  const p = (n: number, w = 2): string => String(n).padStart(w, '0')
  return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}`
}
