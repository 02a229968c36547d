/**
 * `dsi append`: messages from arguments (one each), or stdin as one message, or stdin lines
 * (`--lines`, one message a line). JSON streams: every message must be JSON, checked before
 * anything is sent. Text/byte streams: a line keeps its newline, so `dsi cat | dsi append
 * --lines` reproduces the bytes exactly. Quiet on success; `--json` prints the next offset.
 */
import type { Command } from 'commander'
import type { Stream } from '../../../src-shared/client/node.js'
import { isJsonContentType as isJsonType } from '../../../src-shared/client/node.js'
import { CliError, EXIT, usageError } from '../exit-codes.js'
import { lineBatches, readAll } from '../io.js'
import type { GlobalOptions } from '../main.js'
import { resolveStream } from '../target.js'

interface AppendOpts extends GlobalOptions {
  lines?: boolean
  seq?: string
  close?: boolean
  json?: boolean
}

/** One POST body per this many bytes of JSON lines (without --seq, which needs one POST). */
const MAX_POST_BYTES = 4 * 1024 * 1024

function checkJson(text: Uint8Array, where: string): void {
  try {
    JSON.parse(Buffer.from(text.buffer, text.byteOffset, text.byteLength).toString('utf8'))
  } catch (err) {
    throw new CliError(
      where,
      `not valid JSON: ${(err as Error).message}; nothing was appended`,
      EXIT.badInput,
    )
  }
}

/** Message sources, in order; each a byte slice (JSON text for JSON streams). */
async function collect(cmd: Command, o: AppendOpts, json: boolean): Promise<Uint8Array[]> {
  const args = cmd.args.slice(1)
  if (args.length > 0) {
    if (o.lines) throw usageError('--lines', 'reads stdin; do not also give messages as arguments')
    return args.map((a) => new TextEncoder().encode(a))
  }
  if (process.stdin.isTTY)
    throw usageError('append', 'no messages: give them as arguments or pipe them to stdin')
  if (!o.lines) {
    const all = new Uint8Array(await readAll())
    if (all.byteLength === 0) throw usageError('stdin', 'is empty: nothing to append')
    if (json) return [trimTrailingNewline(all)]
    return [all]
  }
  const out: Uint8Array[] = []
  for await (const batch of lineBatches(process.stdin, !json)) {
    for (const line of batch) {
      // Blank lines separate nothing in NDJSON: skipped for JSON streams.
      if (json && isBlank(line)) continue
      out.push(line)
    }
  }
  return out
}

function trimTrailingNewline(b: Uint8Array): Uint8Array {
  let end = b.byteLength
  while (end > 0 && (b[end - 1] === 10 || b[end - 1] === 13)) end--
  return b.subarray(0, end)
}

function isBlank(b: Uint8Array): boolean {
  for (const c of b) if (c !== 32 && c !== 9 && c !== 13) return false
  return true
}

/** JSON: `[m1,m2,…]` bodies (sent verbatim, each element one message), split by size. */
function jsonBodies(messages: Uint8Array[], single: boolean): Uint8Array[] {
  const bodies: Uint8Array[] = []
  let parts: Uint8Array[] = []
  let size = 0
  const seal = (): void => {
    if (parts.length === 0) return
    const pieces: Uint8Array[] = [Buffer.from('[')]
    parts.forEach((p, i) => {
      if (i > 0) pieces.push(Buffer.from(','))
      pieces.push(p)
    })
    pieces.push(Buffer.from(']'))
    bodies.push(new Uint8Array(Buffer.concat(pieces)))
    parts = []
    size = 0
  }
  for (const m of messages) {
    if (!single && size + m.byteLength > MAX_POST_BYTES) seal()
    parts.push(m)
    size += m.byteLength + 1
  }
  seal()
  return bodies
}

export async function append(cmd: Command): Promise<void> {
  const o = cmd.optsWithGlobals<AppendOpts>()
  const t = await resolveStream(cmd.args[0], o, process.env)
  const h = await t.stream.head()
  const json = isJsonType(h.contentType)
  const messages = await collect(cmd, o, json)
  if (messages.length === 0) throw usageError('stdin', 'holds no lines: nothing to append')
  if (json)
    messages.forEach((m, i) =>
      checkJson(m, cmd.args.length > 1 ? `message ${i + 1}` : `line ${i + 1}`),
    )
  const seq = o.seq
  // JSON: few bodies of many messages. Others: one POST per message (a message is a chunk).
  const bodies = json ? jsonBodies(messages, seq !== undefined) : messages
  if (seq !== undefined && bodies.length > 1) {
    throw usageError('--seq', "applies to one append; give one message (or a JSON stream's lines)")
  }
  const nextOffset = await send(t.stream, bodies, seq, o.close === true)
  if (o.json) {
    process.stdout.write(
      JSON.stringify({
        url: t.url,
        messages: messages.length,
        nextOffset,
        closed: o.close === true,
      }) + '\n',
    )
  }
  await t.client.close()
}

async function send(
  stream: Stream,
  bodies: Uint8Array[],
  seq: string | undefined,
  close: boolean,
): Promise<string> {
  let nextOffset = ''
  for (let i = 0; i < bodies.length; i++) {
    const last = i === bodies.length - 1
    const opts = seq !== undefined ? { seq } : {}
    if (last && close) {
      nextOffset = (await stream.close({ data: bodies[i]!, ...opts })).finalOffset
    } else {
      nextOffset = (await stream.append(bodies[i]!, opts)).nextOffset ?? nextOffset
    }
  }
  return nextOffset
}
