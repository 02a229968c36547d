/** Conversions between contract payloads and what the client sends/receives. */
import type { MessagePayload } from '../../src-shared/contract/index.js'

export function isJsonType(contentType: string | null | undefined): boolean {
  return (contentType ?? '').toLowerCase().split(';')[0]?.trim() === 'application/json'
}

export function isTextType(contentType: string | null | undefined): boolean {
  return (contentType ?? '').toLowerCase().startsWith('text/')
}

export function bytesPayload(data: Uint8Array): MessagePayload {
  return { kind: 'bytes', base64: Buffer.from(data).toString('base64'), size: data.byteLength }
}
