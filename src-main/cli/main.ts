/**
 * `dsi`: the inspector's command line. This file only declares the commands (commander) and
 * runs one; each command's work lives in commands/*.ts and is loaded on use, so `dsi --help`
 * stays cheap. Errors end as one line `dsi: <what>: <why>` and an exit code (exit-codes.ts).
 */
import { Command, CommanderError, Option } from 'commander'
import { EXIT, exitCodeOf, formatError, redactText, usageError } from './exit-codes.js'
import { FORMATS } from './format.js'
import { OutputClosed } from './io.js'

declare const DSI_VERSION: string | undefined

export interface GlobalOptions {
  server?: string
  connection?: string
  userData?: string
  header?: string[]
  debug?: boolean
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value]

function examples(lines: string[]): string {
  return `\nExamples:\n${lines.map((l) => `  $ ${l}`).join('\n')}\n`
}

/** Runs `fn` with the command's options merged with the global ones. */
type Action = (cmd: Command) => Promise<number | void>

function program(
  run: (what: string, action: Action) => (...args: unknown[]) => Promise<void>,
): Command {
  const p = new Command('dsi')
    .description(
      'Durable Streams from the command line: list, inspect, read, tail, append, produce exactly-once, export, import and replay.',
    )
    .version(typeof DSI_VERSION === 'string' ? DSI_VERSION : 'dev', '-V, --version')
    .option('-s, --server <url>', 'server base URL (default: $DSI_SERVER_URL)')
    .option('-c, --connection <name>', 'a saved connection profile of the app, by name')
    .option(
      '--user-data <dir>',
      "the app's user-data dir (default: $DSI_USER_DATA, else the app's)",
    )
    .option(
      '-H, --header <header>',
      "header 'Name: value' for every request (repeatable; also $DSI_HEADER_<Name>)",
      collect,
    )
    .option('--debug', 'stack traces on errors')
    .exitOverride()
    .configureOutput({
      writeErr: (str) => process.stderr.write(str),
      // One line, like every other error: `dsi: usage: <why>; see --help`.
      outputError: (str, write) =>
        write(
          `dsi: usage: ${str
            .replace(/^error: /, '')
            .trim()
            .replace(/\s*\n\s*/g, ' ')}; see --help\n`,
        ),
    })
    .addHelpText(
      'after',
      `
Targets: a stream is a full URL (http://host:port/path) or a path on --server / --connection.
dsi never starts the app's embedded Local server: start it with "npm run web" (it prints
"Embedded server: URL") and pass that URL with --server.

Exit codes: 0 ok, 1 usage, 2 not found, 3 conflict or closed, 4 fenced (stale producer epoch),
5 network / server failing, 6 bad input (invalid JSON, malformed NDJSON, 400), 7 auth (401/403),
8 internal error.
${examples([
  'dsi --server http://127.0.0.1:4437 ls',
  'dsi cat http://127.0.0.1:4437/orders --format pretty',
  'seq 3 | dsi append --lines /numbers --server http://127.0.0.1:4437',
  'DSI_HEADER_Authorization="Bearer $TOKEN" dsi --connection prod tail /events',
])}`,
    )

  p.command('ls')
    .description(
      'list the streams of a server (from its __registry__ stream): content type, open/closed, next offset, size (--size)',
    )
    .argument('[server]', 'server base URL (instead of --server)')
    .option('--size', 'also read each stream to count its messages (JSON) or bytes')
    .option('--json', 'JSON output')
    .addHelpText(
      'after',
      examples(['dsi ls --server http://127.0.0.1:4437', 'dsi ls http://127.0.0.1:4437 --json']),
    )
    .action(run('ls', async (cmd) => (await import('./commands/meta.js')).ls(cmd)))

  p.command('head')
    .description(
      "show a stream's metadata: content type, next offset, closed, TTL, expires-at, ETag, cache-control",
    )
    .argument('<stream>', 'stream URL or path')
    .option('--json', 'JSON output')
    .addHelpText('after', examples(['dsi head /orders --server http://127.0.0.1:4437 --json']))
    .action(run('head', async (cmd) => (await import('./commands/meta.js')).head(cmd)))

  p.command('create')
    .description('create a stream (succeeds if an identical one exists)')
    .argument('<stream>', 'stream URL or path')
    .option('-t, --content-type <type>', 'content type', 'application/octet-stream')
    .option('--ttl <seconds>', 'sliding time-to-live in seconds')
    .option('--expires-at <time>', 'absolute expiry (RFC 3339)')
    .option('--closed', 'create it closed (its initial body is all it will ever hold)')
    .option(
      '-d, --data <body>',
      "initial body ('-' reads stdin); JSON streams: a JSON array makes several messages",
    )
    .option('--json', 'JSON output')
    .addHelpText(
      'after',
      examples([
        'dsi create /orders -t application/json --data \'[{"id":1}]\'',
        'dsi create /logs -t text/plain --ttl 3600',
      ]),
    )
    .action(run('create', async (cmd) => (await import('./commands/meta.js')).create(cmd)))

  p.command('delete')
    .description('delete a stream and its data (asks first unless --yes)')
    .argument('<stream>', 'stream URL or path')
    .option('-y, --yes', 'do not ask')
    .option('--json', 'JSON output')
    .addHelpText('after', examples(['dsi delete /scratch --yes']))
    .action(run('delete', async (cmd) => (await import('./commands/meta.js')).remove(cmd)))

  p.command('close')
    .description('close a stream (EOF for readers), optionally with a final message')
    .argument('<stream>', 'stream URL or path')
    .option('-d, --data <body>', "final message ('-' reads stdin)")
    .option('--json', 'JSON output')
    .addHelpText('after', examples(['dsi close /orders --data \'{"type":"done"}\'']))
    .action(run('close', async (cmd) => (await import('./commands/meta.js')).close(cmd)))

  p.command('fork')
    .description('create a new stream forked from another at an offset')
    .argument('<source>', 'source stream URL or path')
    .argument('<new>', 'new stream URL or path (same server)')
    .option('--from <offset>', 'divergence offset in the source (default: its tail)')
    .option('--json', 'JSON output')
    .addHelpText(
      'after',
      examples(['dsi fork /orders /orders-test --from 0000000000000000_0000000000000042']),
    )
    .action(run('fork', async (cmd) => (await import('./commands/meta.js')).fork(cmd)))

  const readOptions = (c: Command, live: string, from: string): Command =>
    c
      .argument('<stream>', 'stream URL or path')
      .option('--from <offset>', 'where to start: -1 (beginning), now, or an offset', from)
      .addOption(
        new Option('--live <mode>', 'tail mode after catching up')
          .choices(['false', 'long-poll', 'sse', 'auto'])
          .default(live),
      )
      .option('-n, --count <n>', 'stop after N messages (after filtering)')
      .option('--until-up-to-date', 'stop once caught up with the tail')
      .addOption(
        new Option(
          '-f, --format <format>',
          'output format (default: ndjson for JSON streams, raw otherwise)',
        ).choices(FORMATS),
      )
      .option(
        '--with-offsets',
        'NDJSON envelope {"offset","index","value"|"text"|"base64"} (the export format)',
      )
      .option(
        '--filter <expr>',
        "JSON-path filter as in the app's search: a.b, $.user.id == 7, items[0].name ~ ali, status != done",
      )
      .option('--grep <text>', 'case-insensitive text match')

  readOptions(p.command('cat'), 'false', '-1')
    .description('print the messages of a stream (catch-up; --live to keep following)')
    .addHelpText(
      'after',
      `
Stops at the tail (--live false), after --count messages, at EOF (the stream was closed), or on
Ctrl-C; then the offset to resume from is printed to stderr: pass it to --from.
${examples([
  'dsi cat /orders --format pretty',
  'dsi cat /orders --filter \'$.status == "paid"\' --count 10',
  'dsi cat /orders | dsi append --lines /orders-copy',
  'dsi cat /orders --with-offsets > orders.ndjson',
])}`,
    )
    .action(run('cat', async (cmd) => (await import('./commands/read.js')).read(cmd)))

  readOptions(p.command('tail'), 'auto', 'now')
    .description('follow a stream live (like cat --from now --live auto)')
    .addHelpText(
      'after',
      examples(['dsi tail /events', 'dsi tail /events --from -1 --live long-poll --count 100']),
    )
    .action(run('tail', async (cmd) => (await import('./commands/read.js')).read(cmd)))

  p.command('append')
    .description(
      'append messages from arguments (one message each) or stdin (one message, or one a line with --lines)',
    )
    .argument('<stream>', 'stream URL or path')
    .argument('[data...]', 'messages (JSON for JSON streams)')
    .option('-l, --lines', 'stdin: one message per line')
    .option('--seq <seq>', 'Stream-Seq (writer sequence; refused if not greater than the last)')
    .option('--close', 'close the stream with this append')
    .option('--json', 'JSON output')
    .addHelpText(
      'after',
      examples([
        'dsi append /orders \'{"id":1}\' \'{"id":2}\'',
        'printf \'{"id":3}\\n{"id":4}\\n\' | dsi append --lines /orders',
        'dsi append /logs --close < final.txt',
      ]),
    )
    .action(run('append', async (cmd) => (await import('./commands/append.js')).append(cmd)))

  p.command('produce')
    .description('append stdin lines exactly once through an idempotent producer')
    .argument('<stream>', 'stream URL or path')
    .requiredOption(
      '-p, --producer-id <id>',
      'producer id (a re-run of the same input with the same id writes nothing new)',
    )
    .option('--epoch <n>', 'producer epoch (bump to fence older instances)', '0')
    .option('--auto-claim', "on a stale epoch, take over at the server's epoch + 1")
    .option('--batch-bytes <n>', 'request body limit', '1048576')
    .option('--batch-items <n>', 'messages per request limit')
    .option(
      '--linger <ms>',
      'also send a partial batch when stdin pauses this long (then re-runs are no longer guaranteed to map to the same seqs)',
    )
    .option('--max-in-flight <n>', 'requests in flight at once', '5')
    .option('--json', 'JSON summary on stdout')
    .addHelpText(
      'after',
      `
Batches are cut by size only (--batch-bytes / --batch-items), so the same input always maps to
the same (epoch, seq) pairs and a re-run is deduplicated by the server. Live stats on stderr
(terminal only). A producer fenced by a newer epoch prints "fenced by epoch N" and exits 4.
${examples([
  'dsi produce /events --producer-id loader-1 < events.ndjson',
  'dsi produce /events -p loader-1 --epoch 2 --auto-claim < events.ndjson',
])}`,
    )
    .action(run('produce', async (cmd) => (await import('./commands/produce.js')).produce(cmd)))

  p.command('export')
    .description("export a range to the app's NDJSON format (with offsets) or raw bytes")
    .argument('<stream>', 'stream URL or path')
    .option('--range <a..b>', 'offsets A..B (either may be empty)')
    .option('--from <offset>', 'start offset', '-1')
    .option('--to <offset>', 'end offset (inclusive batch)')
    .option('-n, --count <n>', 'take N messages from the start offset')
    .addOption(
      new Option('--format <format>', 'file format').choices(['ndjson', 'raw']).default('ndjson'),
    )
    .option('-o, --output <file>', 'write here instead of stdout')
    .addHelpText(
      'after',
      examples([
        'dsi export /orders -o orders.ndjson',
        'dsi export /blobs --format raw > blobs.bin',
      ]),
    )
    .action(run('export', async (cmd) => (await import('./commands/transfer.js')).exportCmd(cmd)))

  p.command('import')
    .description('import an export file; the same file imported twice is appended once')
    .argument('<stream>', 'stream URL or path')
    .argument('[file]', "file to import ('-' or none: stdin)")
    .addOption(
      new Option('--format <format>', 'file format').choices(['ndjson', 'raw']).default('ndjson'),
    )
    .option('--json', 'JSON output')
    .addHelpText('after', examples(['dsi import /orders-copy orders.ndjson']))
    .action(run('import', async (cmd) => (await import('./commands/transfer.js')).importCmd(cmd)))

  p.command('replay')
    .description('re-append a range of a stream to another (or the same) stream, exactly once')
    .argument('<source>', 'source stream URL or path')
    .requiredOption('--to <stream>', 'target stream URL or path')
    .option(
      '--range <a..b>',
      'offsets A..B (default: all); B ends the read at the response that reaches it',
    )
    .option(
      '-n, --count <n>',
      'take N messages from A (exact, whatever the server puts in one response)',
    )
    .option('--rate <n>', 'messages per second at most')
    .option('--json', 'JSON output')
    .addHelpText(
      'after',
      examples([
        'dsi replay /orders --to /orders-qa --range 0000000000000000_0000000000000000..',
        'dsi replay /orders --to /orders-qa --rate 100',
      ]),
    )
    .action(run('replay', async (cmd) => (await import('./commands/transfer.js')).replay(cmd)))

  return p
}

/** Runs dsi with these arguments; resolves with the exit code (never calls process.exit). */
export async function main(argv: readonly string[]): Promise<number> {
  let code: number = EXIT.ok
  let debug = argv.includes('--debug')
  const run =
    (what: string, action: Action) =>
    async (...args: unknown[]): Promise<void> => {
      const cmd = args[args.length - 1] as Command
      debug = cmd.optsWithGlobals<GlobalOptions>().debug === true
      const subject = what
      try {
        code = (await action(cmd)) ?? EXIT.ok
      } catch (err) {
        // The reader of our stdout went away (`dsi cat … | head`): not an error.
        if (err instanceof OutputClosed || (err as NodeJS.ErrnoException)?.code === 'EPIPE') {
          code = EXIT.ok
          return
        }
        process.stderr.write(formatError(err, subject) + '\n')
        if (debug && err instanceof Error && err.stack)
          process.stderr.write(redactText(err.stack) + '\n')
        code = exitCodeOf(err)
      }
    }
  const p = program(run)
  try {
    await p.parseAsync([...argv], { from: 'user' })
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version "fail" with exit code 0.
      return err.exitCode === 0 ? EXIT.ok : EXIT.usage
    }
    process.stderr.write(formatError(err, 'dsi') + '\n')
    if (debug && err instanceof Error && err.stack)
      process.stderr.write(redactText(err.stack) + '\n')
    return exitCodeOf(err)
  }
  return code
}

export { usageError }
