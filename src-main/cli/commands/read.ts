/**
 * `dsi cat` and `dsi tail`: read a stream (catch-up, then optionally live), filter, print.
 * Stops at the tail (`--live false`), at `--until-up-to-date`, after `--count`, at EOF (closed
 * stream) or on SIGINT; on SIGINT, and whenever it stops before the end of what it read, the
 * offset to resume from goes to stderr.
 */
import type { Command } from 'commander'
import type { LiveMode } from '../../../src-shared/client/node.js'
import type { MessagePayload } from '../../../src-shared/contract/index.js'
import { compileFilter, type MessagePredicate } from '../../domains/reading/browse-filter.js'
import {
  isJsonContentType as isJsonType,
  isTextContentType as isTextType,
} from '../../../src-shared/client/node.js'
import { EXIT, usageError } from '../exit-codes.js'
import { makePrinter, useColor, type Format, type Message } from '../format.js'
import { Output } from '../io.js'
import { JsonArrayToLines } from '../json-lines.js'
import type { GlobalOptions } from '../main.js'
import { resolveStream } from '../target.js'

interface ReadOpts extends GlobalOptions {
  from: string
  live: 'false' | 'long-poll' | 'sse' | 'auto'
  count?: string
  untilUpToDate?: boolean
  format?: Format
  withOffsets?: boolean
  filter?: string
  grep?: string
}

interface Batch {
  messages: Message[]
  nextOffset: string
  upToDate: boolean
  /** A progressive piece before the last of its response: nextOffset is the response start. */
  partial: boolean
  /** Already printed form of the batch (the NDJSON fast path); `messages` is then empty. */
  rendered?: { bytes: Uint8Array; messages: number }
}

function toPayload(m: Message): MessagePayload {
  if (m.kind === 'json') return { kind: 'json', value: m.value }
  if (m.kind === 'text') return { kind: 'text', text: m.text }
  return {
    kind: 'bytes',
    base64: Buffer.from(m.bytes).toString('base64'),
    size: m.bytes.byteLength,
  }
}

export async function read(cmd: Command): Promise<number> {
  const o = cmd.optsWithGlobals<ReadOpts>()
  let count: number | undefined
  if (o.count !== undefined) {
    count = Number(o.count)
    if (!Number.isInteger(count) || count < 0)
      throw usageError('--count', `must be a whole number, got ${o.count}`)
  }
  let predicate: MessagePredicate | undefined
  if (o.filter !== undefined || o.grep !== undefined) {
    try {
      predicate = compileFilter({ path: o.filter, text: o.grep })
    } catch (err) {
      throw usageError('--filter', (err as Error).message)
    }
  }
  const t = await resolveStream(cmd.args[0], o, process.env)
  const head = await t.stream.head()
  const contentType = head.contentType ?? 'application/octet-stream'
  const json = isJsonType(contentType)
  const format: Format = o.format ?? (json ? 'ndjson' : 'raw')
  const out = new Output()
  const printer = makePrinter(out, format, {
    withOffsets: o.withOffsets === true,
    color: useColor(process.stdout, process.env),
  })
  const live: LiveMode = o.live === 'false' ? false : o.live
  const controller = new AbortController()
  let interrupted = false
  const onSigint = (): void => {
    if (interrupted) process.exit(130) // a second Ctrl-C: stop now
    interrupted = true
    controller.abort()
  }
  process.on('SIGINT', onSigint)
  process.on('SIGTERM', onSigint)

  const readOpts = { offset: o.from, live, signal: controller.signal }
  let batches: AsyncIterable<Batch>
  // JSON as NDJSON, nothing to filter or count: the bodies are turned into lines directly,
  // without parsing and re-serialising each message (several times faster for big streams).
  const direct =
    json &&
    (format === 'ndjson' || format === 'raw') &&
    !predicate &&
    !o.withOffsets &&
    count === undefined &&
    (live === false || live === 'long-poll')
  if (direct) {
    const lines = new JsonArrayToLines()
    batches = (async function* () {
      for await (const b of t.stream.readBytes(readOpts).batches()) {
        const before = lines.messages
        const bytes = lines.push(b.data)
        yield {
          messages: [],
          rendered: { bytes, messages: lines.messages - before },
          nextOffset: b.nextOffset,
          upToDate: b.upToDate,
          partial: false,
        }
      }
    })()
  } else if (json) {
    batches = (async function* () {
      for await (const b of t.stream.readJson({ ...readOpts, progressive: true }).batches()) {
        yield {
          messages: b.items.map((value): Message => ({ kind: 'json', value })),
          nextOffset: b.nextOffset,
          upToDate: b.upToDate && (!b.part || b.part.last),
          partial: b.part !== undefined && !b.part.last,
        }
      }
    })()
  } else if (isTextType(contentType)) {
    batches = (async function* () {
      for await (const b of t.stream.readText(readOpts).batches()) {
        yield {
          messages: b.text ? [{ kind: 'text', text: b.text }] : [],
          nextOffset: b.nextOffset,
          upToDate: b.upToDate,
          partial: false,
        }
      }
    })()
  } else {
    batches = (async function* () {
      for await (const b of t.stream.readBytes(readOpts).batches()) {
        yield {
          messages: b.data.byteLength ? [{ kind: 'bytes', bytes: b.data }] : [],
          nextOffset: b.nextOffset,
          upToDate: b.upToDate,
          partial: false,
        }
      }
    })()
  }

  // The offset after the last batch printed whole: resuming there repeats nothing printed and
  // skips nothing unprinted (a progressive piece's offset is its response's start).
  let resumeAt = o.from
  let printed = 0
  let stoppedEarly = false
  try {
    outer: for await (const b of batches) {
      if (b.rendered) {
        if (b.rendered.bytes.length > 0) await out.write(b.rendered.bytes)
        printed += b.rendered.messages
      }
      let index = 0
      for (const m of b.messages) {
        if (count !== undefined && printed >= count) {
          stoppedEarly = true
          break outer
        }
        if (!predicate || predicate(toPayload(m))) {
          const w = printer.message(m, b.nextOffset, index)
          if (w) await w
          printed++
        }
        index++
      }
      resumeAt = b.nextOffset
      // Each response reaches the reader of our stdout at once (a tail must not sit in a buffer).
      await out.flush()
      if (interrupted) break
      if (count !== undefined && printed >= count) {
        // The batch was printed whole only when its last message was the count-th one.
        break
      }
      if (o.untilUpToDate && b.upToDate) break
    }
  } finally {
    process.off('SIGINT', onSigint)
    process.off('SIGTERM', onSigint)
    controller.abort()
  }
  await printer.end()
  if (interrupted || stoppedEarly) {
    process.stderr.write(`dsi: ${t.url}: stopped; resume with --from ${resumeAt}\n`)
  }
  await t.client.close()
  return EXIT.ok
}
