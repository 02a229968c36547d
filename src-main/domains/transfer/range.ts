/**
 * Reads a range of a stream (catch-up only): every message of the batches from `fromOffset`
 * up to and including the batch that ends at `toOffset`. Offsets are opaque but ordered
 * lexicographically (protocol), which is all this relies on.
 */
import {
  isJsonContentType,
  isTextContentType,
  type Stream,
} from '../../../src-shared/client/node.js'

export interface RangeMessage {
  /** Offset after the batch that carried the message. */
  offset: string
  index: number
  kind: 'json' | 'text' | 'bytes'
  value: unknown
  text?: string
  bytes?: Uint8Array
}

export interface RangeResult {
  contentType: string
  messages: RangeMessage[]
  nextOffset: string
}

export const MAX_RANGE_MESSAGES = 1_000_000

/**
 * A range by message position, for ranges picked in the message browser: the server may
 * coalesce several appends into one read response, so an end offset inside such a response
 * cannot bound the read; counting messages from the start offset can.
 */
export interface RangeCount {
  /** Messages to skip after `fromOffset` (earlier messages of the first batch). */
  skip: number
  /** Messages to take; `toOffset` is then ignored. */
  count: number
}

export async function readRange(
  stream: Stream,
  fromOffset: string,
  toOffset: string | undefined,
  signal?: AbortSignal,
  byCount?: RangeCount,
  /** Called after each response with the number of messages read so far. */
  onProgress?: (messages: number) => void,
): Promise<RangeResult> {
  const head = await stream.head()
  const contentType = head.contentType ?? 'application/octet-stream'
  const messages: RangeMessage[] = []
  let nextOffset = fromOffset
  const past = (o: string): boolean => !byCount && toOffset !== undefined && o > toOffset
  const opts = { offset: fromOffset, live: false as const, ...(signal ? { signal } : {}) }
  const check = (): void => {
    if (messages.length > MAX_RANGE_MESSAGES) {
      throw new Error(`Range holds more than ${MAX_RANGE_MESSAGES} messages; narrow it`)
    }
  }
  const enough = (): boolean =>
    byCount !== undefined && messages.length >= byCount.skip + byCount.count
  if (isJsonContentType(contentType)) {
    for await (const b of stream.readJson(opts).batches()) {
      if (past(b.nextOffset) && b.items.length > 0) break
      b.items.forEach((value, index) =>
        messages.push({ offset: b.nextOffset, index, kind: 'json', value }),
      )
      nextOffset = b.nextOffset
      check()
      onProgress?.(messages.length)
      if (enough()) break
    }
  } else if (isTextContentType(contentType)) {
    for await (const b of stream.readText(opts).batches()) {
      if (past(b.nextOffset) && b.text.length > 0) break
      if (b.text.length > 0) {
        messages.push({ offset: b.nextOffset, index: 0, kind: 'text', value: b.text, text: b.text })
      }
      nextOffset = b.nextOffset
      check()
      onProgress?.(messages.length)
      if (enough()) break
    }
  } else {
    for await (const b of stream.readBytes(opts).batches()) {
      if (past(b.nextOffset) && b.data.byteLength > 0) break
      if (b.data.byteLength > 0) {
        messages.push({ offset: b.nextOffset, index: 0, kind: 'bytes', value: null, bytes: b.data })
      }
      nextOffset = b.nextOffset
      check()
      onProgress?.(messages.length)
      if (enough()) break
    }
  }
  if (byCount) {
    const taken = messages.slice(byCount.skip, byCount.skip + byCount.count)
    return { contentType, messages: taken, nextOffset: taken.at(-1)?.offset ?? fromOffset }
  }
  return { contentType, messages, nextOffset }
}

/** What an idempotent producer appends for one message. */
export function appendValue(m: RangeMessage): unknown {
  return m.kind === 'json' ? m.value : m.kind === 'text' ? m.text : m.bytes
}
