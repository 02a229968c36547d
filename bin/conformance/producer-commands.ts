/**
 * The idempotent-* commands, on the client's `IdempotentProducer`.
 *
 * One producer per (path, producerId, epoch) is kept across idempotent-append / -close /
 * -detach so its sequence numbers continue; idempotent-append-batch uses a fresh producer each
 * time. Message data is JSON text for JSON streams; it is handed to the producer as bytes,
 * which it sends verbatim (pre-serialised JSON, or the raw bytes of other streams).
 */
import { IdempotentProducer } from '../../src-shared/client/node.js'
import type { Session } from './session.js'
import type {
  Headers,
  IdempotentAppendBatchCommand,
  IdempotentAppendCommand,
  IdempotentCloseCommand,
  IdempotentDetachCommand,
  Result,
} from './types.js'

interface ProducerSpec {
  path: string
  producerId: string
  epoch: number
  autoClaim?: boolean
  headers?: Headers | undefined
  maxInFlight?: number
  maxBatchItems?: number
}

function newProducer(s: Session, spec: ProducerSpec): IdempotentProducer {
  const contentType = s.contentTypes.get(spec.path)
  return new IdempotentProducer({
    client: s.client,
    path: spec.path,
    producerId: spec.producerId,
    epoch: spec.epoch,
    autoClaim: spec.autoClaim ?? false,
    maxInFlight: spec.maxInFlight ?? 1,
    // Everything the adapter appends for one command is queued synchronously before
    // flush(), so batching is deterministic; no linger window is needed.
    lingerMs: 0,
    ...(spec.maxBatchItems !== undefined ? { maxBatchItems: spec.maxBatchItems } : {}),
    ...(contentType !== undefined ? { contentType } : {}),
    ...(spec.headers ? { headers: spec.headers } : {}),
  })
}

function key(path: string, producerId: string, epoch: number): string {
  return `${path}|${producerId}|${epoch}`
}

function cached(s: Session, spec: ProducerSpec): IdempotentProducer {
  const k = key(spec.path, spec.producerId, spec.epoch)
  let p = s.producers.get(k)
  if (!p) {
    p = newProducer(s, spec)
    s.producers.set(k, p)
  }
  return p
}

export async function idempotentAppend(s: Session, cmd: IdempotentAppendCommand): Promise<Result> {
  const p = cached(s, cmd)
  p.append(s.body(cmd.data))
  await p.flush()
  return { type: 'idempotent-append', success: true, status: 200 }
}

export async function idempotentAppendBatch(
  s: Session,
  cmd: IdempotentAppendBatchCommand,
): Promise<Result> {
  const maxInFlight = cmd.maxInFlight ?? 1
  // With pipelining, one message per request so that several requests are in flight (and
  // may overtake each other: the producer must recover from 409 sequence gaps). Otherwise
  // one request for the whole batch. Either way the split is deterministic, so sending the
  // same batch again with a fresh producer is recognised as duplicates.
  const p = newProducer(s, {
    ...cmd,
    maxInFlight,
    ...(maxInFlight > 1 ? { maxBatchItems: 1 } : {}),
  })
  try {
    for (const item of cmd.items) p.append(s.body(item))
    await p.flush()
  } finally {
    await p.detach().catch(() => undefined) // the flush error, if any, is the one reported
  }
  return { type: 'idempotent-append-batch', success: true, status: 200 }
}

export async function idempotentClose(s: Session, cmd: IdempotentCloseCommand): Promise<Result> {
  const p = cached(s, cmd)
  const { finalOffset } = await p.close({
    closeStream: true,
    ...(cmd.data !== undefined ? { finalData: s.body(cmd.data) } : {}),
  })
  return {
    type: 'idempotent-close',
    success: true,
    status: 200,
    ...(finalOffset !== undefined ? { finalOffset } : {}),
  }
}

export async function idempotentDetach(s: Session, cmd: IdempotentDetachCommand): Promise<Result> {
  const k = key(cmd.path, cmd.producerId, cmd.epoch)
  const p = s.producers.get(k) ?? newProducer(s, cmd)
  s.producers.delete(k)
  await p.detach()
  return { type: 'idempotent-detach', success: true, status: 200 }
}
