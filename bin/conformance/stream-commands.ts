/**
 * Single-request stream operations: create, connect, append, head, delete, close.
 */
import { actuallySent, nonEmpty } from './dynamic.js'
import type { Session } from './session.js'
import type {
  AppendCommand,
  CloseCommand,
  ConnectCommand,
  CreateCommand,
  DeleteCommand,
  HeadCommand,
  Result,
} from './types.js'

function decodeBase64(b64: string): Uint8Array {
  return new Uint8Array(Buffer.from(b64, 'base64'))
}

export async function create(s: Session, cmd: CreateCommand): Promise<Result> {
  const contentType = cmd.contentType ?? 'application/octet-stream'
  const stream = s.stream(cmd.path, { contentType })
  const { status, nextOffset } = await stream.createStream({
    contentType,
    ...(cmd.ttlSeconds !== undefined ? { ttlSeconds: cmd.ttlSeconds } : {}),
    ...(cmd.expiresAt !== undefined ? { expiresAt: cmd.expiresAt } : {}),
    ...(cmd.closed ? { closed: true } : {}),
    ...(cmd.data !== undefined ? { body: s.body(cmd.data) } : {}),
    ...(cmd.headers ? { headers: cmd.headers } : {}),
  })
  s.remember(cmd.path, stream.contentType ?? contentType)
  return {
    type: 'create',
    success: true,
    status: status === 201 ? 201 : 200,
    ...(nextOffset !== undefined ? { offset: nextOffset } : {}),
  }
}

export async function connect(s: Session, cmd: ConnectCommand): Promise<Result> {
  const stream = await s.client.connect(cmd.path, cmd.headers ? { headers: cmd.headers } : {})
  s.remember(cmd.path, stream.contentType)
  return { type: 'connect', success: true, status: 200, offset: stream.nextOffset }
}

export async function append(s: Session, cmd: AppendCommand): Promise<Result> {
  const dyn = s.dynamic.next()
  const stream = s.stream(cmd.path)
  const data = cmd.binary ? decodeBase64(cmd.data) : s.body(cmd.data)
  const res = await stream.append(data, {
    ...(cmd.seq !== undefined ? { seq: String(cmd.seq) } : {}),
    headers: { ...s.dynamic.headerFunctions(), ...(cmd.headers ?? {}) },
  })
  s.remember(cmd.path, stream.contentType)
  return {
    type: 'append',
    success: true,
    status: 200,
    offset: res.nextOffset ?? stream.nextOffset,
    headersSent: nonEmpty(actuallySent(dyn.headers, stream.lastRequest?.headers, true)),
    paramsSent: nonEmpty(actuallySent(dyn.params, stream.lastRequest?.params, false)),
  }
}

export async function head(s: Session, cmd: HeadCommand): Promise<Result> {
  const h = await s.stream(cmd.path, cmd.headers ? { headers: cmd.headers } : {}).head()
  s.remember(cmd.path, h.contentType)
  return {
    type: 'head',
    success: true,
    status: 200,
    offset: h.nextOffset,
    contentType: h.contentType,
    streamClosed: h.closed,
  }
}

export async function del(s: Session, cmd: DeleteCommand): Promise<Result> {
  await s.stream(cmd.path).delete(cmd.headers ? { headers: cmd.headers } : {})
  s.contentTypes.delete(cmd.path)
  return { type: 'delete', success: true, status: 200 }
}

export async function close(s: Session, cmd: CloseCommand): Promise<Result> {
  const stream = s.stream(cmd.path, cmd.contentType ? { contentType: cmd.contentType } : {})
  const { finalOffset } = await stream.close(
    cmd.data !== undefined ? { data: s.body(cmd.data) } : {},
  )
  return { type: 'close', success: true, status: 200, finalOffset }
}
