/** Metadata commands: ls, head, create, delete, close, fork. `--json` on each. */
import { createInterface } from 'node:readline/promises'
import type { Command } from 'commander'
import {
  isStreamNotFoundError,
  type HeadResult,
  type Stream,
} from '../../../src-shared/client/node.js'
import { deletedInRegistry, reduceRegistry } from '../../domains/streams/registry.js'
import { REGISTRY_PATH } from '../../domains/streams/streams.js'
import { CliError, EXIT, usageError } from '../exit-codes.js'
import { readAll } from '../io.js'
import type { GlobalOptions } from '../main.js'
import { resolveServer, resolveStream } from '../target.js'

type Opts = GlobalOptions & Record<string, unknown>

function opts(cmd: Command): Opts {
  return cmd.optsWithGlobals<Opts>()
}

function print(value: unknown): void {
  process.stdout.write(
    typeof value === 'string' ? value + '\n' : JSON.stringify(value, null, 2) + '\n',
  )
}

/**
 * What a stream holds, by reading it (offsets are opaque, so they cannot tell): messages for
 * JSON streams, bytes for others. Only with `ls --size`: it reads every stream.
 */
async function measure(stream: Stream, contentType: string | undefined): Promise<string> {
  if (isJson(contentType)) {
    let n = 0
    for await (const b of stream.readJson({ offset: '-1', live: false }).batches())
      n += b.items.length
    return `${n} msgs`
  }
  let bytes = 0
  for await (const b of stream.readBytes({ offset: '-1', live: false }).batches())
    bytes += b.data.byteLength
  return `${bytes} B`
}

function headJson(url: string, h: HeadResult): Record<string, string | number | boolean | null> {
  return {
    url,
    contentType: h.contentType ?? null,
    nextOffset: h.nextOffset ?? null,
    closed: h.closed,
    ttlSeconds: h.ttlSeconds ?? null,
    expiresAt: h.expiresAt ?? null,
    etag: h.etag ?? null,
    cacheControl: h.cacheControl ?? null,
  }
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)))
  return rows
    .map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  '))
    .join('\n')
}

export async function ls(cmd: Command): Promise<void> {
  const o = opts(cmd)
  const t = await resolveServer(cmd.args[0], o, process.env)
  let events: unknown[]
  try {
    events = await t.client.stream(REGISTRY_PATH).readJson({ offset: '-1', live: false }).toArray()
  } catch (err) {
    if (isStreamNotFoundError(err)) {
      throw new CliError(
        t.baseUrl,
        'this server keeps no __registry__ stream, so its streams cannot be listed (open one by path instead)',
        EXIT.notFound,
      )
    }
    throw err
  }
  const deleted = deletedInRegistry(events)
  const entries = [...reduceRegistry(events).values()]
    .filter((e) => !deleted.has(e.path))
    .sort((a, b) => a.path.localeCompare(b.path))
  const rows = await Promise.all(
    entries.map(async (e) => {
      try {
        const stream = t.client.stream(e.path)
        const h = await stream.head()
        return {
          path: e.path,
          contentType: h.contentType ?? e.contentType,
          closed: h.closed,
          nextOffset: h.nextOffset ?? null,
          ...(o.size ? { size: await measure(stream, h.contentType) } : {}),
        }
      } catch (err) {
        if (isStreamNotFoundError(err)) return null // deleted since the registry said otherwise
        throw err
      }
    }),
  )
  const found = rows.filter((r) => r !== null)
  if (o.json) return print(found)
  if (found.length === 0) return print(`(no streams on ${t.baseUrl})`)
  print(
    table([
      ['PATH', 'CONTENT-TYPE', 'STATE', ...(o.size ? ['SIZE'] : []), 'NEXT-OFFSET'],
      ...found.map((r) => [
        r.path,
        r.contentType ?? '?',
        r.closed ? 'closed' : 'open',
        ...(o.size ? [r.size ?? '?'] : []),
        r.nextOffset ?? '',
      ]),
    ]),
  )
}

export async function head(cmd: Command): Promise<void> {
  const o = opts(cmd)
  const t = await resolveStream(cmd.args[0], o, process.env)
  const info = headJson(t.url, await t.stream.head())
  if (o.json) return print(info)
  print(table(Object.entries(info).map(([k, v]) => [k, v === null ? '-' : String(v)])))
}

/** A body given with --data: the text itself, or stdin for '-'. */
async function body(data: unknown): Promise<Uint8Array | undefined> {
  if (typeof data !== 'string') return undefined
  if (data === '-') return new Uint8Array(await readAll())
  return new TextEncoder().encode(data)
}

/** JSON streams: the body must be JSON (sent verbatim: a top-level array is several messages). */
function checkJsonBody(bytes: Uint8Array | undefined, json: boolean, what: string): void {
  if (!bytes || !json) return
  try {
    JSON.parse(Buffer.from(bytes).toString('utf8'))
  } catch (err) {
    throw new CliError(what, `not valid JSON: ${(err as Error).message}`, EXIT.badInput)
  }
}

function isJson(contentType: string | undefined): boolean {
  return (contentType ?? '').split(';')[0]?.trim().toLowerCase() === 'application/json'
}

export async function create(cmd: Command): Promise<void> {
  const o = opts(cmd)
  const t = await resolveStream(cmd.args[0], o, process.env)
  const contentType = String(o.contentType)
  // commander hands string options over as strings.
  const ttl = o.ttl as string | undefined
  const expiresAt = o.expiresAt as string | undefined
  let ttlSeconds: number | undefined
  if (ttl !== undefined) {
    ttlSeconds = Number(ttl)
    if (!Number.isInteger(ttlSeconds) || ttlSeconds < 0)
      throw usageError('--ttl', `must be a whole number of seconds, got ${ttl}`)
  }
  if (expiresAt !== undefined && Number.isNaN(Date.parse(expiresAt))) {
    throw usageError('--expires-at', `not an RFC 3339 time: ${expiresAt}`)
  }
  const data = await body(o.data)
  checkJsonBody(data, isJson(contentType), '--data')
  const r = await t.stream.createStream({
    contentType,
    ...(ttlSeconds !== undefined ? { ttlSeconds } : {}),
    ...(expiresAt !== undefined ? { expiresAt } : {}),
    ...(o.closed ? { closed: true } : {}),
    ...(data ? { body: data } : {}),
  })
  const created = r.status === 201
  if (o.json) return print({ url: t.url, created, nextOffset: r.nextOffset ?? null })
  print(`${created ? 'created' : 'exists (identical)'} ${t.url}`)
}

export async function remove(cmd: Command): Promise<void> {
  const o = opts(cmd)
  const t = await resolveStream(cmd.args[0], o, process.env)
  if (!o.yes) {
    if (!process.stdin.isTTY) {
      throw usageError(t.url, 'refusing to delete without --yes (no terminal to ask on)')
    }
    const rl = createInterface({ input: process.stdin, output: process.stderr })
    const answer = await rl.question(`Delete ${t.url} and all its data? [y/N] `)
    rl.close()
    if (!/^y(es)?$/i.test(answer.trim())) throw new CliError(t.url, 'not deleted', EXIT.usage)
  }
  await t.stream.delete()
  if (o.json) return print({ url: t.url, deleted: true })
  print(`deleted ${t.url}`)
}

export async function close(cmd: Command): Promise<void> {
  const o = opts(cmd)
  const t = await resolveStream(cmd.args[0], o, process.env)
  const data = await body(o.data)
  if (data) {
    const h = await t.stream.head()
    checkJsonBody(data, isJson(h.contentType), '--data')
    if (isJson(h.contentType)) {
      // One final message: wrap so a top-level array stays one message.
      const wrapped = Buffer.concat([Buffer.from('['), Buffer.from(data), Buffer.from(']')])
      const r = await t.stream.close({ data: new Uint8Array(wrapped) })
      return done(r.finalOffset)
    }
  }
  const r = await t.stream.close(data ? { data } : {})
  return done(r.finalOffset)

  function done(finalOffset: string): void {
    if (o.json) return print({ url: t.url, closed: true, finalOffset })
    print(`closed ${t.url} at ${finalOffset}`)
  }
}

export async function fork(cmd: Command): Promise<void> {
  const o = opts(cmd)
  const source = await resolveStream(cmd.args[0], o, process.env)
  const target = await resolveStream(cmd.args[1], o, process.env)
  if (new URL(source.url).origin !== new URL(target.url).origin) {
    throw usageError(target.url, 'a fork must be on the same server as its source')
  }
  const from = typeof o.from === 'string' ? o.from : undefined
  const r = await target.stream.createStream({
    forkedFrom: new URL(source.url).pathname,
    ...(from !== undefined ? { forkOffset: from } : {}),
  })
  if (o.json)
    return print({
      url: target.url,
      forkedFrom: source.url,
      forkOffset: from ?? null,
      nextOffset: r.nextOffset ?? null,
    })
  print(`forked ${source.url} → ${target.url}${from ? ` at ${from}` : ''}`)
}
