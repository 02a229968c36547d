/**
 * Hand-written idempotent-producer requests (PROTOCOL.md §5.2.1): every body is one batch
 * with `Producer-Id`, `Producer-Epoch: 0` and `Producer-Seq` 0, 1, 2 …, pipelined up to
 * `maxInFlight` requests. A 409 sequence gap (a later batch overtook an earlier one on
 * another connection) waits for the earlier batch and resends the same seq, so order and
 * exactly-once hold. This is the raw subject's writer and the coordinator's load generator.
 */
import { header, RawHttp, type Body } from './http.js'

export interface RawProduceOptions {
  url: string
  producerId: string
  contentType: string
  maxInFlight: number
  /** Batches in order; may wait (e.g. for flow control) between bodies. */
  bodies: Iterable<Body> | AsyncIterable<Body>
  signal?: AbortSignal
}

export interface RawProduceResult {
  batches: number
  gapResends: number
}

export async function rawProduce(h: RawHttp, o: RawProduceOptions): Promise<RawProduceResult> {
  const path = RawHttp.pathOf(o.url)
  const acked: boolean[] = []
  const waiters = new Map<number, Array<() => void>>()
  const inFlight = new Set<Promise<void>>()
  let failure: unknown
  let gapResends = 0

  const markAcked = (seq: number): void => {
    acked[seq] = true
    const w = waiters.get(seq)
    if (w) {
      waiters.delete(seq)
      for (const f of w) f()
    }
  }
  const waitAcked = (seq: number): Promise<void> =>
    acked[seq]
      ? Promise.resolve()
      : new Promise((resolve) => {
          const list = waiters.get(seq) ?? []
          list.push(resolve)
          waiters.set(seq, list)
        })

  const send = async (seq: number, body: Body): Promise<void> => {
    const headers = {
      'content-type': o.contentType,
      'producer-id': o.producerId,
      'producer-epoch': '0',
      'producer-seq': String(seq),
    }
    for (let attempt = 0; ; attempt++) {
      const res = await h.request('POST', path, headers, body, o.signal)
      if (res.status === 200 || res.status === 204) {
        markAcked(seq)
        return
      }
      const expected = Number(header(res, 'producer-expected-seq'))
      if (res.status === 409 && Number.isInteger(expected) && expected < seq && attempt < 100) {
        gapResends++
        await waitAcked(seq - 1)
        if (failure !== undefined) throw failure as unknown
        continue
      }
      throw new Error(
        `raw producer POST seq ${seq}: HTTP ${res.status} ${res.body.toString('utf8').slice(0, 200)}`,
      )
    }
  }

  let seq = 0
  for await (const body of o.bodies) {
    if (failure !== undefined) break
    while (inFlight.size >= o.maxInFlight) await Promise.race(inFlight)
    const p: Promise<void> = send(seq++, body).then(
      () => {
        inFlight.delete(p)
      },
      (err: unknown) => {
        inFlight.delete(p)
        failure ??= err
        // Release batches waiting for an earlier one that will never be acknowledged.
        for (const list of waiters.values()) for (const f of list) f()
        waiters.clear()
      },
    )
    inFlight.add(p)
  }
  await Promise.all(inFlight)
  if (failure !== undefined) throw failure as unknown
  return { batches: seq, gapResends }
}
