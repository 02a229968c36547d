/** One read of a stream as renderer payloads, whatever its content type, with its batch metadata. */
import {
  isJsonContentType,
  isTextContentType,
  type ResponsePart,
  type Stream,
} from '../../../src-shared/client/node.js'
import type { MessagePayload } from '../../../src-shared/contract/index.js'
import type { LiveModeChoice, ReadPhase } from '../../../src-shared/contract/index.js'

export interface PayloadBatch {
  messages: MessagePayload[]
  nextOffset: string
  upToDate: boolean
  closed: boolean
  phase: ReadPhase
  receivedAt: number
  /** Set when a large response arrives in pieces (JSON streams are read progressively). */
  part?: ResponsePart | undefined
  /** Body bytes of the batch where the reader has them (text and binary), else null. */
  bytes: number | null
}

export interface PayloadReader {
  batches: AsyncIterable<PayloadBatch>
  /** SSE reconnections so far. */
  reconnects(): number
}

export function openPayloadReader(
  stream: Stream,
  contentType: string,
  offset: string,
  live: LiveModeChoice | false,
  signal: AbortSignal,
): PayloadReader {
  const opts = { offset, live, signal }
  if (isJsonContentType(contentType)) {
    // Progressive: the first messages of a huge catch-up show while the rest downloads.
    const r = stream.readJson({ ...opts, progressive: true })
    return {
      reconnects: () => r.reconnects,
      batches: map(
        r.batches(),
        (b) => b.items.map((value): MessagePayload => ({ kind: 'json', value })),
        () => null,
      ),
    }
  }
  if (isTextContentType(contentType)) {
    const r = stream.readText(opts)
    return {
      reconnects: () => r.reconnects,
      batches: map(
        r.batches(),
        (b) => (b.text.length > 0 ? [{ kind: 'text', text: b.text }] : []),
        (b) => Buffer.byteLength(b.text),
      ),
    }
  }
  const r = stream.readBytes(opts)
  return {
    reconnects: () => r.reconnects,
    batches: map(
      r.batches(),
      (b) => (b.data.byteLength > 0 ? [bytesPayload(b.data)] : []),
      (b) => b.data.byteLength,
    ),
  }
}

async function* map<
  B extends Omit<PayloadBatch, 'messages' | 'part' | 'bytes'> & {
    part?: ResponsePart | undefined
  },
>(
  source: AsyncIterable<B>,
  convert: (b: B) => MessagePayload[],
  size: (b: B) => number | null,
): AsyncGenerator<PayloadBatch> {
  for await (const b of source) {
    yield {
      messages: convert(b),
      bytes: size(b),
      nextOffset: b.nextOffset,
      upToDate: b.upToDate,
      closed: b.closed,
      phase: b.phase,
      receivedAt: b.receivedAt,
      part: b.part,
    }
  }
}

/**
 * Reads `count` messages of the response at `offset`, after its first `skip` (catch-up only),
 * for re-fetching an evicted batch; stops reading as soon as it has them.
 */
export async function readMessagesAt(
  stream: Stream,
  contentType: string,
  offset: string,
  skip: number,
  count: number,
): Promise<MessagePayload[]> {
  const controller = new AbortController()
  const out: MessagePayload[] = []
  let toSkip = skip
  try {
    const reader = openPayloadReader(stream, contentType, offset, false, controller.signal)
    for await (const b of reader.batches) {
      for (const m of b.messages) {
        if (toSkip > 0) {
          toSkip--
          continue
        }
        out.push(m)
        if (out.length >= count) return out
      }
      if (b.upToDate) break
    }
    return out
  } finally {
    controller.abort()
  }
}

/** A binary message as the renderer shows it (base64 plus its size). */
export function bytesPayload(data: Uint8Array): MessagePayload {
  return { kind: 'bytes', base64: Buffer.from(data).toString('base64'), size: data.byteLength }
}
