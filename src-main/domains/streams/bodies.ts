/** Turns a user-typed body (raw JSON text, text, base64) into what the client sends. */
import type { Body } from '../../../src-shared/contract/index.js'
import { errorMessage } from '../../../src-shared/error-message.js'

export class BodyError extends Error {
  readonly code = 'INVALID_ARGUMENT'
  readonly field = 'body'
  constructor(message: string) {
    super(message)
    this.name = 'InvalidArgumentError'
  }
}

/** Request body bytes: JSON text is sent verbatim (a top-level array → several messages). */
export function bodyBytes(body: Body): Uint8Array {
  switch (body.kind) {
    case 'jsonText':
      return new TextEncoder().encode(body.text)
    case 'text':
      return new TextEncoder().encode(body.text)
    case 'base64':
      return new Uint8Array(Buffer.from(body.base64, 'base64'))
  }
}

/** Parses JSON text, naming the problem; nothing is sent when this throws. */
export function parseJsonBody(text: string): unknown {
  try {
    return JSON.parse(text) as unknown
  } catch (err) {
    throw new BodyError(`Body is not valid JSON: ${errorMessage(err)}`)
  }
}

/** The messages a body makes for a producer: one per array element for JSON arrays. */
export function bodyMessages(body: Body, json: boolean): unknown[] {
  if (body.kind === 'jsonText') {
    const value = parseJsonBody(body.text)
    if (!json) return [body.text]
    if (Array.isArray(value)) {
      if (value.length === 0) throw new BodyError('An empty JSON array holds no messages')
      return value
    }
    return [value]
  }
  if (json) throw new BodyError('This stream takes JSON: switch the input to JSON')
  return [body.kind === 'text' ? body.text : bodyBytes(body)]
}
