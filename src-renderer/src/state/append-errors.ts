/** Append errors in words, next to the editor (nothing was appended). */
import { errorMessage } from '../../../src-shared/error-message.js'

/** Names the protocol errors in words next to the editor (nothing was appended). */
export function describeAppendError(err: unknown): string {
  const e = err as { status?: unknown; code?: unknown }
  const msg = errorMessage(err)
  // The client's message repeats the gist ("Stream is closed: <url> …"): keep only what it adds.
  const say = (text: string, gist?: string): string => {
    const rest =
      gist && msg.toLowerCase().startsWith(gist)
        ? msg.slice(gist.length).replace(/^[:\s]+/, '')
        : msg
    return rest ? `${text} ${rest}` : text
  }
  switch (e.status) {
    case 409:
      if (e.code === 'STREAM_CLOSED')
        return say('Stream is closed: nothing appended (409).', 'stream is closed')
      if (e.code === 'SEQUENCE_CONFLICT')
        return say('Stream-Seq must be greater than the last one: nothing appended (409).')
      if (e.code === 'CONTENT_TYPE_MISMATCH')
        return say('Content type does not match the stream: nothing appended (409).')
      return say('Conflict: nothing appended (409).')
    case 400:
      return say('Rejected by the server: nothing appended (400).')
    case 404:
      return say('Stream not found (404): it may have been deleted.', 'stream not found')
    default:
      return msg
  }
}
