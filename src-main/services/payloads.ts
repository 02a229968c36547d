/** Conversions between contract payloads and what the client sends/receives. */
import type { AppendData, MessagePayload } from '../../src-shared/ipc/contract.js'

export function isJsonType(contentType: string | null | undefined): boolean {
  return (contentType ?? '').toLowerCase().split(';')[0]?.trim() === 'application/json'
}

export function isTextType(contentType: string | null | undefined): boolean {
  return (contentType ?? '').toLowerCase().startsWith('text/')
}

/** Turns tagged append data into the value handed to `stream.append`. */
export function toAppendValue(data: AppendData): unknown {
  switch (data.kind) {
    case 'json':
      return data.value
    case 'text':
      return data.text
    case 'base64':
      return new Uint8Array(Buffer.from(data.base64, 'base64'))
  }
}

export function bytesPayload(data: Uint8Array): MessagePayload {
  return { kind: 'bytes', base64: Buffer.from(data).toString('base64'), size: data.byteLength }
}
