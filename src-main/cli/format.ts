/**
 * How `dsi cat` / `dsi tail` print messages. JSON streams: `ndjson` (default: one message a
 * line, compact), `json` (one JSON array), `pretty` (indented; colours only on a terminal),
 * `raw` (each message's JSON text, one a line). Text and byte streams: `raw` (default: the
 * bytes as stored), `ndjson`/`json` (each read chunk as a JSON string, bytes as base64),
 * `pretty` (text as is, bytes as a hex dump). `--with-offsets` prints the NDJSON envelope of
 * the app's export format instead: {"offset","index","value"|"text"|"base64"}.
 */
import type { NdjsonLine } from '../domains/transfer/transfer.js'
import type { Output } from './io.js'

export type Format = 'json' | 'ndjson' | 'raw' | 'pretty'
export const FORMATS: readonly Format[] = ['json', 'ndjson', 'raw', 'pretty']

export type Message =
  | { kind: 'json'; value: unknown }
  | { kind: 'text'; text: string }
  | { kind: 'bytes'; bytes: Uint8Array }

export interface Printer {
  message(m: Message, offset: string, index: number): void | Promise<void>
  end(): Promise<void>
}

export function makePrinter(
  out: Output,
  format: Format,
  opts: { withOffsets: boolean; color: boolean },
): Printer {
  if (opts.withOffsets) {
    return {
      message: (m, offset, index) => {
        const line: NdjsonLine = { offset, index }
        if (m.kind === 'json') line.value = m.value
        else if (m.kind === 'text') line.text = m.text
        else line.base64 = Buffer.from(m.bytes).toString('base64')
        return out.write(JSON.stringify(line) + '\n')
      },
      end: () => out.flush(),
    }
  }
  switch (format) {
    case 'ndjson':
      return {
        message: (m) => out.write(JSON.stringify(plain(m)) + '\n'),
        end: () => out.flush(),
      }
    case 'json': {
      let first = true
      return {
        message: (m) => {
          const text = (first ? '[\n' : ',\n') + JSON.stringify(plain(m))
          first = false
          return out.write(text)
        },
        end: async () => {
          await out.write(first ? '[]\n' : '\n]\n')
          await out.flush()
        },
      }
    }
    case 'raw':
      return {
        message: (m) =>
          m.kind === 'json'
            ? out.write(JSON.stringify(m.value) + '\n')
            : out.write(m.kind === 'text' ? m.text : m.bytes),
        end: () => out.flush(),
      }
    case 'pretty':
      return {
        message: (m) => {
          if (m.kind === 'json') return out.write(prettyJson(m.value, opts.color) + '\n')
          if (m.kind === 'text') return out.write(m.text)
          return out.write(hexDump(m.bytes))
        },
        end: () => out.flush(),
      }
  }
}

function plain(m: Message): unknown {
  if (m.kind === 'json') return m.value
  if (m.kind === 'text') return m.text
  return Buffer.from(m.bytes).toString('base64')
}

const C = {
  key: '\x1b[36m',
  string: '\x1b[32m',
  number: '\x1b[33m',
  literal: '\x1b[35m',
  reset: '\x1b[0m',
}

/** Indented JSON; with colour, keys, strings, numbers and literals are tinted. */
export function prettyJson(value: unknown, color: boolean): string {
  const text = JSON.stringify(value, null, 2) ?? 'null'
  if (!color) return text
  return text.replace(
    /("(?:[^"\\]|\\.)*")(\s*:)?|\b(true|false|null)\b|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/g,
    (match, str: string | undefined, colon: string | undefined, literal: string | undefined) => {
      if (str !== undefined)
        return colon ? `${C.key}${str}${C.reset}${colon}` : `${C.string}${str}${C.reset}`
      if (literal !== undefined) return `${C.literal}${match}${C.reset}`
      return `${C.number}${match}${C.reset}`
    },
  )
}

/** 16 bytes a line: offset, hex, ASCII. */
export function hexDump(bytes: Uint8Array): string {
  let out = ''
  for (let i = 0; i < bytes.length; i += 16) {
    const row = bytes.subarray(i, i + 16)
    const hex = [...row].map((b) => b.toString(16).padStart(2, '0')).join(' ')
    const ascii = [...row].map((b) => (b >= 32 && b < 127 ? String.fromCharCode(b) : '.')).join('')
    out += `${i.toString(16).padStart(8, '0')}  ${hex.padEnd(47)}  ${ascii}\n`
  }
  return out
}

/** Colours on a terminal only, and never with NO_COLOR set. */
export function useColor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  return stream.isTTY === true && !env.NO_COLOR && env.TERM !== 'dumb'
}
