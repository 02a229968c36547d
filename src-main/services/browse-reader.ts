/** One read of a stream as renderer payloads, whatever its content type, with its batch metadata. */
import type { Stream } from '../../src-shared/client/node.js'
import type { MessagePayload } from '../../src-shared/ipc/contract.js'
import type { LiveModeChoice, ReadPhase } from '../../src-shared/ipc/contract-browse.js'
import { bytesPayload, isJsonType, isTextType } from './payloads.js'

export interface PayloadBatch {
  messages: MessagePayload[]
  nextOffset: string
  upToDate: boolean
  closed: boolean
  phase: ReadPhase
  receivedAt: number
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
  if (isJsonType(contentType)) {
    const r = stream.readJson(opts)
    return {
      reconnects: () => r.reconnects,
      batches: map(r.batches(), (b) =>
        b.items.map((value): MessagePayload => ({ kind: 'json', value })),
      ),
    }
  }
  if (isTextType(contentType)) {
    const r = stream.readText(opts)
    return {
      reconnects: () => r.reconnects,
      batches: map(r.batches(), (b) => (b.text.length > 0 ? [{ kind: 'text', text: b.text }] : [])),
    }
  }
  const r = stream.readBytes(opts)
  return {
    reconnects: () => r.reconnects,
    batches: map(r.batches(), (b) => (b.data.byteLength > 0 ? [bytesPayload(b.data)] : [])),
  }
}

async function* map<B extends Omit<PayloadBatch, 'messages'>>(
  source: AsyncIterable<B>,
  convert: (b: B) => MessagePayload[],
): AsyncGenerator<PayloadBatch> {
  for await (const b of source) {
    yield {
      messages: convert(b),
      nextOffset: b.nextOffset,
      upToDate: b.upToDate,
      closed: b.closed,
      phase: b.phase,
      receivedAt: b.receivedAt,
    }
  }
}

/** Reads `count` messages starting at `offset` (catch-up only), for re-fetching an evicted batch. */
export async function readMessagesAt(
  stream: Stream,
  contentType: string,
  offset: string,
  count: number,
): Promise<MessagePayload[]> {
  const controller = new AbortController()
  const out: MessagePayload[] = []
  try {
    const reader = openPayloadReader(stream, contentType, offset, false, controller.signal)
    for await (const b of reader.batches) {
      for (const m of b.messages) {
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
