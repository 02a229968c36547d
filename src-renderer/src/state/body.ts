/** Parsing what the user typed in the append editor into a body, with a preview. */
import type { Body } from '../../../src-shared/contract'

export type InputMode = 'json' | 'text' | 'base64' | 'hex'

export interface BodyPreview {
  body: Body | null
  /** Messages this body becomes (JSON: array elements), or null when invalid. */
  count: number | null
  error: string | null
}

export function previewBody(mode: InputMode, text: string, jsonStream: boolean): BodyPreview {
  switch (mode) {
    case 'json': {
      if (text.trim() === '') return { body: null, count: null, error: 'Type a JSON value' }
      let value: unknown
      try {
        value = JSON.parse(text)
      } catch (err) {
        return { body: null, count: null, error: `Not valid JSON: ${(err as Error).message}` }
      }
      if (!jsonStream) return { body: { kind: 'text', text }, count: 1, error: null }
      if (Array.isArray(value) && value.length === 0) {
        return { body: null, count: 0, error: 'An empty array appends no messages' }
      }
      return {
        body: { kind: 'jsonText', text },
        count: Array.isArray(value) ? value.length : 1,
        error: null,
      }
    }
    case 'text':
      if (text.length === 0) return { body: null, count: null, error: 'Type some text' }
      return { body: { kind: 'text', text }, count: 1, error: null }
    case 'base64': {
      const clean = text.replace(/\s+/g, '')
      if (clean.length === 0) return { body: null, count: null, error: 'Type base64 data' }
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean) || clean.length % 4 !== 0) {
        return {
          body: null,
          count: null,
          error: 'Not valid base64 (A–Z, a–z, 0–9, +, /, = padding)',
        }
      }
      return { body: { kind: 'base64', base64: clean }, count: 1, error: null }
    }
    case 'hex': {
      const clean = text.replace(/0x/gi, '').replace(/[\s,:]+/g, '')
      if (clean.length === 0)
        return { body: null, count: null, error: 'Type hex bytes, e.g. de ad be ef' }
      if (!/^[0-9a-fA-F]*$/.test(clean))
        return { body: null, count: null, error: 'Not valid hex: only 0–9 and a–f' }
      if (clean.length % 2 !== 0)
        return { body: null, count: null, error: 'Hex needs an even number of digits' }
      const bytes = new Uint8Array(clean.length / 2)
      for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(clean.slice(i * 2, i * 2 + 2), 16)
      return { body: { kind: 'base64', base64: toBase64(bytes) }, count: 1, error: null }
    }
  }
}

export function toBase64(bytes: Uint8Array): string {
  let s = ''
  for (const b of bytes) s += String.fromCharCode(b)
  return btoa(s)
}

export function fromBase64(b64: string): Uint8Array {
  const s = atob(b64)
  const out = new Uint8Array(s.length)
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i)
  return out
}
