/**
 * `dsi produce`: stdin lines through the client's IdempotentProducer, exactly once. Batches
 * are cut by size only (unless --linger), so the same input maps to the same (epoch, seq)
 * pairs and a re-run is recognised by the server as duplicates. JSON streams: each line is
 * sent as it is (no parse-and-serialise round trip; the producer checks it is one JSON value);
 * other streams: each
 * line with its newline is one message.
 */
import { fstatSync, readSync } from 'node:fs'
import type { Command } from 'commander'
import { IdempotentProducer, isStaleEpochError } from '../../../src-shared/client/node.js'
import { isJsonContentType as isJsonType } from '../../../src-shared/client/node.js'
import { CliError, EXIT, usageError } from '../exit-codes.js'
import { lineBatches } from '../io.js'
import { LineGrouper, type LineGroup } from '../line-groups.js'
import type { GlobalOptions } from '../main.js'
import { human, makeStatus } from '../progress.js'
import { resolveStream } from '../target.js'

interface ProduceOpts extends GlobalOptions {
  producerId: string
  epoch: string
  autoClaim?: boolean
  batchBytes: string
  batchItems?: string
  linger?: string
  maxInFlight: string
  json?: boolean
}

/** The longest timer Node keeps (larger values fire at once). */
const NEVER_MS = 2_147_483_647
/**
 * Byte and text streams: lines per producer message, by size (deterministic, see
 * line-groups.ts). At most the batch size, so each group is a batch of its own (sent uncopied).
 */
const GROUP_BYTES = 1024 * 1024
/** Stop reading stdin while this many messages wait for acknowledgement. */
const MAX_QUEUED = 262_144

function int(value: string | undefined, flag: string, min: number): number | undefined {
  if (value === undefined) return undefined
  const n = Number(value)
  if (!Number.isSafeInteger(n) || n < min)
    throw usageError(flag, `must be a whole number >= ${min}, got ${value}`)
  return n
}

/** The producer refuses a line that is not one JSON value (JSON streams): name the line. */
function badLine(err: unknown, lineNo: number): unknown {
  if ((err as { code?: unknown } | null)?.code !== 'INVALID_ARGUMENT') return err
  return new CliError(
    `stdin line ${lineNo}`,
    `${(err as Error).message}; lines before it may have been written: fix it and re-run with the same --producer-id (only what is missing is written)`,
    EXIT.badInput,
  )
}

function isBlank(b: Uint8Array): boolean {
  for (let i = 0; i < b.length; i++) {
    const c = b[i]
    if (c !== 32 && c !== 9 && c !== 13) return false
  }
  return true
}

export async function produce(cmd: Command): Promise<void> {
  const o = cmd.optsWithGlobals<ProduceOpts>()
  const epoch = int(o.epoch, '--epoch', 0)!
  const maxBatchBytes = int(o.batchBytes, '--batch-bytes', 1)!
  const maxBatchItems = int(o.batchItems, '--batch-items', 1)
  const linger = int(o.linger, '--linger', 0)
  const maxInFlight = int(o.maxInFlight, '--max-in-flight', 1)!
  if (process.stdin.isTTY) throw usageError('produce', 'reads stdin: pipe the lines in')
  const t = await resolveStream(cmd.args[0], o, process.env)
  const head = await t.stream.head()
  const json = isJsonType(head.contentType)
  // On bad input the producer is aborted, not flushed: the open batch (lines before the bad one)
  // is not sent, so after fixing the line a re-run with the same id cuts the same batches and
  // writes exactly what is missing.
  const controller = new AbortController()
  const producer = new IdempotentProducer({
    stream: t.stream,
    signal: controller.signal,
    producerId: o.producerId,
    epoch,
    autoClaim: o.autoClaim === true,
    maxBatchBytes,
    ...(maxBatchItems !== undefined ? { maxBatchItems } : {}),
    lingerMs: linger ?? NEVER_MS,
    maxInFlight,
    ...(head.contentType ? { contentType: head.contentType } : {}),
  })
  let duplicates = 0
  let waiting: (() => void) | undefined
  const wake = (): void => {
    const w = waiting
    waiting = undefined
    w?.()
  }
  // JSON: one producer message per line. (Byte/text groups count theirs from appendAndWait.)
  producer.on('duplicate', (e) => {
    if (json) duplicates += e.count
  })
  producer.on('ack', wake)
  producer.on('error', wake)
  const status = makeStatus()
  const started = performance.now()
  const line = (): string => {
    const s = producer.stats
    const secs = (performance.now() - started) / 1000
    return `acked ${json ? s.acked : `${human(s.bytes)}B`}  duplicates ${duplicates}  retries ${s.retries}  epoch ${producer.epoch}  in flight ${s.inFlight}  ${human(s.acked / Math.max(secs, 1e-3))} msg/s`
  }
  let lines = 0
  let sent = 0
  // Byte and text streams: lines go in groups (see line-groups.ts), counted back in lines.
  const grouper = json ? undefined : new LineGrouper(Math.min(GROUP_BYTES, maxBatchBytes))
  const groupAcks: Array<Promise<void>> = []
  let ackedLines = 0
  const sendGroup = (g: LineGroup | undefined): void => {
    if (!g) return
    groupAcks.push(
      producer.appendAndWait(g.bytes).then(
        (r) => {
          grouper?.recycle(g) // acknowledged: its buffer can take later input
          ackedLines += g.lines
          if (r.duplicate) duplicates += g.lines
        },
        () => undefined, // the producer's error is reported by detach()
      ),
    )
  }
  // Ctrl-C / SIGTERM: stop reading and abort. The open batch is dropped, not flushed: sent
  // early it would be cut differently from a re-run's, whose batch with the same seq would then
  // be taken for a duplicate and its extra lines lost. So the lines not acknowledged are
  // counted and the re-run writes them. A second signal exits at once.
  let interrupted = false
  const onSignal = (): void => {
    if (interrupted) process.exit(EXIT.interrupted)
    interrupted = true
    wake()
    process.stdin.destroy()
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  try {
    if (grouper) {
      // Groups held at once (each up to GROUP_BYTES): enough to keep every request slot busy.
      const maxQueuedGroups = maxInFlight * 2 + 1
      for await (const groups of stdinGroups(grouper, () => interrupted)) {
        // --linger: what stdin gave so far goes now (the producer sends it after the linger);
        // groups then follow the reads, as batches do.
        const partial = linger !== undefined ? grouper.flush() : undefined
        if (partial) groups.push(partial)
        for (const g of groups) {
          sendGroup(g)
          sent += g.lines
        }
        status.update(line)
        while (
          producer.stats.queued > maxQueuedGroups &&
          !producer.stats.lastError &&
          !interrupted
        ) {
          await new Promise<void>((resolve) => (waiting = resolve))
        }
      }
      if (interrupted) throw new Error('interrupted')
      for (const g of grouper.end()) {
        sendGroup(g)
        sent += g.lines
      }
    } else {
      for await (const batch of lineBatches(process.stdin)) {
        for (const l of batch) {
          lines++
          if (isBlank(l)) continue
          try {
            // The producer checks each line holds one JSON value, then sends it as it is.
            producer.append(l)
          } catch (err) {
            throw badLine(err, lines)
          }
          sent++
        }
        if (interrupted) break
        status.update(line)
        // Back-pressure: let acknowledgements catch up before reading more.
        while (producer.stats.queued > MAX_QUEUED && !producer.stats.lastError && !interrupted) {
          await new Promise<void>((resolve) => (waiting = resolve))
        }
      }
    }
    if (interrupted) throw new Error('interrupted')
    await producer.detach()
    await Promise.all(groupAcks)
  } catch (err) {
    controller.abort()
    await producer.detach().catch(() => undefined) // the first error is the one reported
    if (!interrupted) throw fenced(err, t.url)
    await Promise.all(groupAcks)
    const acked = json ? producer.stats.acked : ackedLines
    const read = sent + (grouper?.pendingLines ?? 0)
    throw new CliError(
      t.url,
      `interrupted: ${acked} of the ${read} ${json ? 'messages' : 'lines'} read were acknowledged, ` +
        `${read - acked} not (unsent, or their outcome unknown); re-run with the same ` +
        `--producer-id and the same input to write exactly what is missing` +
        (linger !== undefined ? ' (not guaranteed with --linger: check the stream)' : ''),
      EXIT.interrupted,
    )
  } finally {
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
    status.stop()
  }
  const s = producer.stats
  const secs = (performance.now() - started) / 1000
  const summary = {
    url: t.url,
    producerId: o.producerId,
    epoch: producer.epoch,
    messages: sent,
    written: sent - duplicates,
    duplicates,
    retries: s.retries,
    nextOffset: s.lastOffset ?? null,
    seconds: Number(secs.toFixed(3)),
  }
  if (o.json) process.stdout.write(JSON.stringify(summary) + '\n')
  process.stderr.write(
    `produced ${sent} messages to ${t.url}: ${summary.written} written, ${duplicates} duplicates, ` +
      `${s.retries} retries, epoch ${producer.epoch}, ${secs.toFixed(2)} s (${human(sent / Math.max(secs, 1e-3))} msg/s)\n`,
  )
  await t.client.close()
}

/**
 * stdin into the grouper. A regular file is read straight into the group's buffer in large
 * reads (no intermediate copy); a pipe or socket arrives in the stream's chunks, copied once.
 */
async function* stdinGroups(
  grouper: LineGrouper,
  stopped: () => boolean,
): AsyncGenerator<LineGroup[]> {
  let file = false
  try {
    file = fstatSync(0).isFile()
  } catch (_err) {
    file = false // no usable fd 0: read the stream
  }
  if (file) {
    while (!stopped()) {
      const room = grouper.space()
      const n = readSync(0, room, 0, room.length, null)
      if (n === 0) return
      yield grouper.commit(n)
      // Let acknowledgements and socket writes in between reads (the reads are synchronous).
      await new Promise<void>((resolve) => setImmediate(resolve))
    }
    return
  }
  for await (const raw of process.stdin as AsyncIterable<Buffer>) {
    yield grouper.push(raw)
  }
}

function fenced(err: unknown, url: string): unknown {
  if (isStaleEpochError(err)) {
    const by = err.currentEpoch !== undefined ? `epoch ${err.currentEpoch}` : 'a newer epoch'
    return new CliError(
      url,
      `fenced by ${by} (retry with a higher --epoch, or --auto-claim)`,
      EXIT.fenced,
      { cause: err },
    )
  }
  return err
}
