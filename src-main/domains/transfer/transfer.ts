/**
 * Export a range of a stream to NDJSON (one message a line, with its offset) or raw bytes, and
 * import such a file into a stream through an idempotent producer whose id is derived from the
 * file's content: importing the same file twice appends it once.
 */
import { createHash } from 'node:crypto'
import { IdempotentProducer, isJsonContentType } from '../../../src-shared/client/node.js'
import type { ExportResult } from '../../../src-shared/contract/index.js'
import { BodyError } from '../streams/bodies.js'
import type { ConnectionService } from '../connections/connections.js'
import { readRange, type RangeCount } from './range.js'
import { errorMessage } from '../../../src-shared/error-message.js'

export interface NdjsonLine {
  offset: string
  index: number
  value?: unknown
  text?: string
  base64?: string
}

export class TransferService {
  /** Only `client(id)` is used, so the CLI can hand in its own client. */
  constructor(private readonly connections: Pick<ConnectionService, 'client'>) {}

  async exportRange(
    connectionId: string,
    path: string,
    format: 'ndjson' | 'raw',
    fromOffset: string,
    toOffset: string | undefined,
    byCount?: RangeCount,
    /** Messages read so far, after each response (the CLI's progress line). */
    onProgress?: (messages: number) => void,
  ): Promise<ExportResult> {
    const stream = (await this.connections.client(connectionId)).stream(path)
    const r = await readRange(stream, fromOffset, toOffset, undefined, byCount, onProgress)
    if (format === 'ndjson') {
      const lines = r.messages.map((m) => {
        const line: NdjsonLine = { offset: m.offset, index: m.index }
        if (m.kind === 'json') line.value = m.value
        else if (m.kind === 'text') line.text = m.text ?? ''
        else line.base64 = Buffer.from(m.bytes ?? new Uint8Array()).toString('base64')
        return JSON.stringify(line)
      })
      const content = lines.length > 0 ? lines.join('\n') + '\n' : ''
      return { format, content, messages: r.messages.length, nextOffset: r.nextOffset }
    }
    // Raw: the bytes as stored; for JSON streams, one JSON array of the messages.
    const raw = isJsonContentType(r.contentType)
      ? Buffer.from(JSON.stringify(r.messages.map((m) => m.value)))
      : Buffer.concat(
          r.messages.map((m) =>
            m.kind === 'text' ? Buffer.from(m.text ?? '') : Buffer.from(m.bytes ?? []),
          ),
        )
    return {
      format,
      content: raw.toString('base64'),
      messages: r.messages.length,
      nextOffset: r.nextOffset,
    }
  }

  async importFile(
    connectionId: string,
    path: string,
    format: 'ndjson' | 'raw',
    content: string,
    /** Messages acknowledged so far (new or duplicate) of the file's total. */
    onProgress?: (done: number, total: number) => void,
  ): Promise<{ appended: number; duplicates: number; nextOffset: string }> {
    const stream = (await this.connections.client(connectionId)).stream(path)
    const json = isJsonContentType((await stream.head()).contentType)
    const values = format === 'ndjson' ? parseNdjson(content, json) : parseRaw(content, json)
    if (values.length === 0) throw new BodyError('The file holds no messages')
    const digest = createHash('sha256').update(format).update(content).digest('hex').slice(0, 16)
    const producer = new IdempotentProducer({
      stream,
      producerId: `import-${digest}`,
      epoch: 0,
      lingerMs: 0,
      maxBatchItems: 1,
    })
    let last = ''
    let duplicates = 0
    try {
      let done = 0
      const total = values.length
      const acked = <T>(ack: T): T => {
        onProgress?.(++done, total)
        return ack
      }
      const acks = await Promise.all(
        values.map((v) =>
          onProgress ? producer.appendAndWait(v).then(acked) : producer.appendAndWait(v),
        ),
      )
      // A re-import is answered as duplicates, often without an offset: count them apart, and
      // take the tail from a HEAD when no ack carried one.
      duplicates = acks.filter((a) => a.duplicate).length
      last = acks.findLast((a) => a.nextOffset)?.nextOffset ?? ''
    } finally {
      await producer.detach()
    }
    if (!last) last = (await stream.head()).nextOffset ?? ''
    return { appended: values.length - duplicates, duplicates, nextOffset: last }
  }
}

/** Parses every line before anything is sent, naming the first bad line. */
export function parseNdjson(content: string, json: boolean): unknown[] {
  const out: unknown[] = []
  const lines = content.split(/\r?\n/)
  lines.forEach((line, i) => {
    if (line.trim() === '') return
    let parsed: unknown
    try {
      parsed = JSON.parse(line)
    } catch (err) {
      throw new BodyError(`Line ${i + 1} is not valid JSON: ${errorMessage(err)}`)
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new BodyError(`Line ${i + 1} must be an object like {"offset":…,"value":…}`)
    }
    const l = parsed as NdjsonLine
    if (json) {
      if (!('value' in l)) throw new BodyError(`Line ${i + 1} has no "value" (JSON stream)`)
      out.push(l.value)
    } else if (typeof l.text === 'string') out.push(l.text)
    else if (typeof l.base64 === 'string') out.push(new Uint8Array(Buffer.from(l.base64, 'base64')))
    else throw new BodyError(`Line ${i + 1} has no "text" or "base64" (non-JSON stream)`)
  })
  return out
}

function parseRaw(base64: string, json: boolean): unknown[] {
  const bytes = Buffer.from(base64, 'base64')
  if (!json) return bytes.byteLength > 0 ? [new Uint8Array(bytes)] : []
  let value: unknown
  try {
    value = JSON.parse(bytes.toString('utf8'))
  } catch (err) {
    throw new BodyError(`The file is not valid JSON: ${errorMessage(err)}`)
  }
  return Array.isArray(value) ? value : [value]
}
