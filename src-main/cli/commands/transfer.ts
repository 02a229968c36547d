/**
 * `dsi export`, `dsi import`, `dsi replay`: the app's own services (transfer.ts, replay.ts)
 * driven from the command line, so files and producer ids are the app's: an export is
 * byte-identical to the app's, and importing a file the app imported (or the reverse) appends
 * nothing new.
 */
import { readFile, writeFile } from 'node:fs/promises'
import type { Command } from 'commander'
import type { Client } from '../../../src-shared/client/node.js'
import type { ReplayProgress } from '../../../src-shared/contract/index.js'
import { BodyError } from '../../domains/streams/bodies.js'
import { ReplayService } from '../../domains/transfer/replay.js'
import { TransferService } from '../../domains/transfer/transfer.js'
import { CliError, EXIT, usageError } from '../exit-codes.js'
import { readAll } from '../io.js'
import type { GlobalOptions } from '../main.js'
import { makeStatus } from '../progress.js'
import { resolveStream, type StreamTarget } from '../target.js'

/** The services take a connection id; dsi's "connection" is the target's own client. */
function connectionsOf(...targets: StreamTarget[]): { client(id: string): Promise<Client> } {
  const byId = new Map(targets.map((t) => [t.baseUrl, t.client]))
  return {
    client: async (id) => {
      const c = byId.get(id)
      if (!c) throw new Error(`no client for ${id}`)
      return c
    },
  }
}

/** `A..B` → from A (default -1) to B (default: the tail). */
export function parseRange(
  range: string | undefined,
  from: string,
  to: string | undefined,
): { from: string; to: string | undefined } {
  if (range === undefined) return { from, to }
  const i = range.indexOf('..')
  if (i < 0)
    throw usageError('--range', `expected A..B (offsets; either may be empty), got ${range}`)
  const a = range.slice(0, i).trim()
  const b = range.slice(i + 2).trim()
  return { from: a || '-1', to: b || undefined }
}

function countOf(value: string | undefined): { skip: number; count: number } | undefined {
  if (value === undefined) return undefined
  const count = Number(value)
  if (!Number.isSafeInteger(count) || count < 1)
    throw usageError('--count', `must be a whole number >= 1, got ${value}`)
  return { skip: 0, count }
}

function invalidInput(err: unknown): unknown {
  // The services' input errors (BodyError: bad NDJSON line, empty file) are bad input.
  if (err instanceof BodyError)
    return new CliError('import', `${err.message}; nothing was imported`, EXIT.badInput)
  return err
}

export async function exportCmd(cmd: Command): Promise<void> {
  const o = cmd.optsWithGlobals<
    GlobalOptions & {
      range?: string
      from: string
      to?: string
      count?: string
      format: 'ndjson' | 'raw'
      output?: string
    }
  >()
  const { from, to } = parseRange(o.range, o.from, o.to)
  const byCount = countOf(o.count)
  const t = await resolveStream(cmd.args[0], o, process.env)
  const status = makeStatus()
  const r = await new TransferService(connectionsOf(t))
    .exportRange(t.baseUrl, t.path, o.format, from, to, byCount, (n) =>
      status.update(`export: ${n} messages read`),
    )
    .finally(() => status.stop())
  const data =
    r.format === 'ndjson' ? Buffer.from(r.content, 'utf8') : Buffer.from(r.content, 'base64')
  if (o.output) await writeFile(o.output, data)
  else process.stdout.write(data)
  process.stderr.write(
    `exported ${r.messages} messages of ${t.url} (up to ${r.nextOffset})${o.output ? ` to ${o.output}` : ''}\n`,
  )
  await t.client.close()
}

export async function importCmd(cmd: Command): Promise<void> {
  const o = cmd.optsWithGlobals<GlobalOptions & { format: 'ndjson' | 'raw'; json?: boolean }>()
  const file = cmd.args[1]
  const t = await resolveStream(cmd.args[0], o, process.env)
  let bytes: Buffer
  if (file === undefined || file === '-') {
    if (process.stdin.isTTY) throw usageError('import', 'give a file, or pipe one to stdin')
    bytes = await readAll()
  } else {
    try {
      bytes = await readFile(file)
    } catch (err) {
      const e = err as NodeJS.ErrnoException
      throw new CliError(
        file,
        e.code === 'ENOENT' ? 'no such file' : e.message,
        e.code === 'ENOENT' ? EXIT.notFound : EXIT.badInput,
      )
    }
  }
  // What the app hashes: the file's text (NDJSON) or its bytes as base64 (raw).
  const content = o.format === 'ndjson' ? bytes.toString('utf8') : bytes.toString('base64')
  const status = makeStatus()
  const r = await new TransferService(connectionsOf(t))
    .importFile(t.baseUrl, t.path, o.format, content, (done, total) =>
      status.bar('import', done, total),
    )
    .catch((err: unknown) => {
      throw invalidInput(err)
    })
    .finally(() => status.stop())
  if (o.json) process.stdout.write(JSON.stringify({ url: t.url, ...r }) + '\n')
  else
    process.stderr.write(
      `imported ${r.appended} new messages into ${t.url}, ${r.duplicates} duplicates skipped (next offset ${r.nextOffset})\n`,
    )
  await t.client.close()
}

export async function replay(cmd: Command): Promise<void> {
  const o = cmd.optsWithGlobals<
    GlobalOptions & { to: string; range?: string; count?: string; rate?: string; json?: boolean }
  >()
  const { from, to } = parseRange(o.range, '-1', undefined)
  const byCount = countOf(o.count)
  let rate: number | undefined
  if (o.rate !== undefined) {
    rate = Number(o.rate)
    if (!Number.isFinite(rate) || rate <= 0)
      throw usageError('--rate', `must be a number of messages per second > 0, got ${o.rate}`)
  }
  const source = await resolveStream(cmd.args[0], o, process.env)
  const target = await resolveStream(o.to, o, process.env)
  const status = makeStatus()
  let settle: (p: ReplayProgress) => void = () => undefined
  const finished = new Promise<ReplayProgress>((resolve) => (settle = resolve))
  const service = new ReplayService(connectionsOf(source, target), (p) => {
    status.bar('replay', p.done, p.total)
    if (p.state !== 'running') settle(p)
  })
  const started = await service.start({
    source: { connectionId: source.baseUrl, path: source.path },
    target: { connectionId: target.baseUrl, path: target.path },
    fromOffset: from,
    toOffset: to,
    ...(byCount ?? {}),
    ratePerSecond: rate,
  })
  const onSigint = (): void => service.cancel(started.runId)
  process.once('SIGINT', onSigint)
  const p = started.state === 'running' ? await finished : started
  process.off('SIGINT', onSigint)
  status.stop()
  if (p.state === 'failed') {
    const e = p.error
    throw new CliError(
      target.url,
      `replay failed after ${p.done} of ${p.total}: ${e?.message ?? 'unknown error'}`,
      e?.status === 403 ? EXIT.fenced : e?.status === 409 ? EXIT.conflict : EXIT.network,
    )
  }
  const summary = {
    source: source.url,
    target: target.url,
    state: p.state,
    replayed: p.done,
    duplicates: p.duplicates,
    total: p.total,
    producerId: p.producerId,
  }
  if (o.json) process.stdout.write(JSON.stringify(summary) + '\n')
  else
    process.stderr.write(
      `replayed ${p.done} of ${p.total} messages from ${source.url} to ${target.url} (${p.duplicates} duplicates${p.state === 'cancelled' ? ', cancelled' : ''})\n`,
    )
  await Promise.all([source.client.close(), target.client.close()])
  if (p.state === 'cancelled') throw new CliError(target.url, 'cancelled', EXIT.usage)
}
