/**
 * Write-side stream operations typed by the user: create (with TTL, expiry, closed, initial
 * body, fork), raw appends (Stream-Seq, append-and-close, content type override), close with a
 * final message, and HEAD summaries for the stream list.
 */
import type { AppendResult } from '../../../src-shared/client/node.js'
import type { StreamInfo } from '../../../src-shared/contract/index.js'
import type { Body, StreamSummary } from '../../../src-shared/contract/index.js'
import { bodyBytes } from './bodies.js'
import type { ConnectionService } from '../connections/connections.js'
import { toErrorData } from '../../core/errors.js'
import type { StreamService } from './streams.js'

export interface CreateRequest {
  contentType?: string | undefined
  ttlSeconds?: number | undefined
  expiresAt?: string | undefined
  closed: boolean
  body?: Body | undefined
  forkedFrom?: string | undefined
  forkOffset?: string | undefined
  forkSubOffset?: number | undefined
}

export interface AppendRequest {
  body: Body
  seq?: string | undefined
  close: boolean
  /** Send this Content-Type instead of the stream's (to check a mismatch on purpose). */
  contentType?: string | undefined
}

export class AdminService {
  constructor(
    private readonly connections: ConnectionService,
    private readonly streams: StreamService,
    private readonly onChanged: (connectionId: string) => void,
  ) {}

  async create(connectionId: string, path: string, req: CreateRequest): Promise<StreamInfo> {
    const client = await this.connections.client(connectionId)
    const forkedFrom =
      req.forkedFrom === undefined ? undefined : new URL(client.stream(req.forkedFrom).url).pathname
    await client.stream(path).createStream({
      ...(req.contentType !== undefined ? { contentType: req.contentType } : {}),
      ...(req.ttlSeconds !== undefined ? { ttlSeconds: req.ttlSeconds } : {}),
      ...(req.expiresAt !== undefined ? { expiresAt: req.expiresAt } : {}),
      ...(req.closed ? { closed: true } : {}),
      // Bytes are sent verbatim, so a JSON array body becomes several messages.
      ...(req.body !== undefined ? { body: bodyBytes(req.body) } : {}),
      ...(forkedFrom !== undefined ? { forkedFrom } : {}),
      ...(req.forkOffset !== undefined ? { forkOffset: req.forkOffset } : {}),
      ...(req.forkSubOffset !== undefined ? { forkSubOffset: req.forkSubOffset } : {}),
    })
    const info = await this.streams.open(connectionId, path)
    this.onChanged(connectionId)
    return info
  }

  async append(
    connectionId: string,
    path: string,
    req: AppendRequest,
  ): Promise<{ nextOffset: string; closed: boolean }> {
    const client = await this.connections.client(connectionId)
    const stream = client.stream(path)
    const data = bodyBytes(req.body)
    const common = {
      ...(req.seq !== undefined ? { seq: req.seq } : {}),
      ...(req.contentType !== undefined ? { contentType: req.contentType } : {}),
    }
    if (req.close) {
      // Append-and-close is one atomic request (Stream-Closed: true with a body).
      const { finalOffset } = await stream.close({ data, ...common })
      return { nextOffset: finalOffset, closed: true }
    }
    const r: AppendResult = await stream.append(data, common)
    return { nextOffset: r.nextOffset ?? '', closed: r.closed }
  }

  async close(
    connectionId: string,
    path: string,
    body: Body | undefined,
  ): Promise<{ finalOffset: string }> {
    const stream = (await this.connections.client(connectionId)).stream(path)
    if (body === undefined) return stream.close()
    return stream.close({ data: bodyBytes(body) })
  }

  /** HEADs each path (8 at a time); a failure is reported per stream, not for the list. */
  async describe(connectionId: string, paths: string[]): Promise<StreamSummary[]> {
    const client = await this.connections.client(connectionId)
    const out: StreamSummary[] = new Array<StreamSummary>(paths.length)
    let next = 0
    const worker = async (): Promise<void> => {
      while (next < paths.length) {
        const i = next++
        const path = paths[i] as string
        try {
          const h = await client.stream(path).head()
          out[i] = {
            path,
            contentType: h.contentType ?? null,
            closed: h.closed,
            nextOffset: h.nextOffset ?? null,
            error: null,
          }
        } catch (err) {
          const error = toErrorData(err).message
          out[i] = { path, contentType: null, closed: null, nextOffset: null, error }
        }
      }
    }
    await Promise.all(Array.from({ length: Math.min(8, paths.length) }, worker))
    return out
  }
}
