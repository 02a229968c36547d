/**
 * `npm run bench:cli [-- --quick] [--json FILE]`: the command line against the reference
 * server (@durable-streams/server, in memory, 127.0.0.1, port 0), every command a real child
 * process timed from spawn to exit.
 *
 * 1. `dsi produce` of N lines of 100 B from stdin (full: 1,000,000), verified exactly once by
 *    reading the stream back; then the same input again, which must write nothing.
 * 2. 10,000 lines side by side: `dsi produce`, the upstream CLI's approach (one awaited
 *    append per line with @durable-streams/client), and `curl` in a shell loop.
 * 3. `dsi cat --until-up-to-date > /dev/null` of the N JSON messages of (1) against our
 *    client's own catch-up read + parse in a child process (bench scenario 8's work).
 * 4. `dsi --help` start-up time.
 */
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { DurableStreamTestServer } from '@durable-streams/server'
import { build } from 'esbuild'
import { Client } from '../src-shared/client/node.js'
import { machine } from './report.js'

const root = resolve(import.meta.dirname, '..')
const dsiBin = join(root, 'bin', 'dsi')
const args = process.argv.slice(2)
const quick = args.includes('--quick')
const jsonOut = args.includes('--json') ? args[args.indexOf('--json') + 1] : undefined
const N = quick ? 100_000 : 1_000_000
const SIDE = quick ? 2_000 : 10_000
const ROUNDS = quick ? 1 : 3
/** Lines for the curl loop (one process per line: slow on a loaded machine). */
const CURL_LINES = args.includes('--curl-lines')
  ? Number(args[args.indexOf('--curl-lines') + 1])
  : SIDE
/** Which parts to run: produce, side, cat, startup (default all). */
const PARTS = new Set(
  (args.includes('--parts')
    ? args[args.indexOf('--parts') + 1]!
    : 'produce,side,cat,startup'
  ).split(','),
)

interface Run {
  code: number | null
  ms: number
  /** CPU time of the command (user + system), when /usr/bin/time is there to tell. */
  cpuMs: number | undefined
  stdout: string
  stderr: string
}

/** Spawns a command, stdin from a file (or nothing), stdout to a string or /dev/null. */
function run(
  cmd: string,
  argv: string[],
  opts: { stdin?: string; devNull?: boolean } = {},
): Promise<Run> {
  // CPU time is steadier than wall-clock time on a shared machine: measured by time(1).
  const timeFile = existsSync('/usr/bin/time')
    ? join(tmpdir(), `dsi-bench-time-${process.pid}-${++runs}`)
    : undefined
  if (timeFile) {
    argv = ['-f', '%U %S', '-o', timeFile, cmd, ...argv]
    cmd = '/usr/bin/time'
  }
  return new Promise((resolvePromise, reject) => {
    const started = performance.now()
    const child = spawn(cmd, argv, {
      cwd: root,
      stdio: [
        opts.stdin ? openSync(opts.stdin, 'r') : 'ignore',
        opts.devNull ? openSync('/dev/null', 'w') : 'pipe',
        'pipe',
      ],
      env: { ...process.env, DSI_NO_PROGRESS: '1' },
    })
    let stdout = ''
    let stderr = ''
    child.stdout?.on('data', (b: Buffer) => (stdout += b.toString()))
    child.stderr?.on('data', (b: Buffer) => (stderr += b.toString()))
    const timer = setTimeout(() => child.kill('SIGKILL'), 3_600_000)
    child.on('error', reject)
    child.on('close', (code) => {
      clearTimeout(timer)
      const ms = performance.now() - started
      let cpuMs: number | undefined
      if (timeFile && existsSync(timeFile)) {
        const [user, sys] = readFileSync(timeFile, 'utf8').trim().split(/\s+/).slice(-2).map(Number)
        cpuMs = ((user ?? 0) + (sys ?? 0)) * 1000
        rmSync(timeFile, { force: true })
      }
      resolvePromise({ code, ms, cpuMs, stdout, stderr })
    })
  })
}

function must(r: Run, what: string): Run {
  if (r.code !== 0) throw new Error(`${what} exited ${r.code}: ${r.stderr.slice(0, 500)}`)
  return r
}

let runs = 0
const median = (xs: number[]): number =>
  xs.length === 0 ? NaN : [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

/** Lines of exactly 100 bytes: `{"i":<n>,"p":"xxx…"}`. */
function writeLines(file: string, count: number): void {
  const pad = 'x'.repeat(100)
  const parts: string[] = []
  for (let i = 0; i < count; i++) {
    const head = `{"i":${i},"p":"`
    parts.push(head + pad.slice(0, 100 - head.length - 2) + '"}')
  }
  writeFileSync(file, parts.join('\n') + '\n')
}

/** Every message once, in order: i = 0..count-1. */
async function verify(client: Client, url: string, count: number): Promise<void> {
  let next = 0
  for await (const b of client.stream(url).readJson<{ i: number }>({ live: false }).batches()) {
    for (const m of b.items) {
      if (m.i !== next) throw new Error(`exactly-once check failed at ${next}: got i=${m.i}`)
      next++
    }
  }
  if (next !== count) throw new Error(`exactly-once check failed: ${next} of ${count} messages`)
}

async function createJson(client: Client, url: string): Promise<void> {
  await client.stream(url).createStream({ contentType: 'application/json' })
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'dsi-bench-'))
  const server = new DurableStreamTestServer({ port: 0, host: '127.0.0.1' })
  const base = (await server.start()).replace(/\/+$/, '')
  const client = new Client({ baseUrl: base })
  const results: Record<string, unknown> = {
    machine: machine(),
    date: new Date().toISOString(),
    N,
    SIDE,
    ROUNDS,
  }
  try {
    // The child bundled like dsi (plain JS, no TypeScript loader at start-up).
    await build({
      entryPoints: [join(root, 'bench', 'cli-child.ts')],
      outfile: join(root, 'out', 'cli-bench', 'child.mjs'), // inside the repo: packages resolve
      bundle: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      packages: 'external',
      logLevel: 'error',
    })
    const child = join(root, 'out', 'cli-bench', 'child.mjs')
    must(await run(process.execPath, [dsiBin, '--version']), 'dsi --version') // builds if stale

    const big = join(dir, 'big.ndjson')
    writeLines(big, N)
    const side = join(dir, 'side.ndjson')
    writeLines(side, SIDE)
    console.log(`Machine: ${JSON.stringify(results.machine)}`)
    console.log(`dsi produce: ${N.toLocaleString('en')} lines of 100 B, ${ROUNDS} rounds`)

    // 1. produce N, verify, re-run: into a text stream (lines grouped, the fast path for byte
    // and text streams), then into a JSON stream (one producer message per line).
    const bigBytes = readFileSync(big)
    let lastUrl = ''
    const produced: Record<string, unknown> = {}
    for (const kind of PARTS.has('produce') ? (['text', 'json'] as const) : []) {
      const produceMs: number[] = []
      const produceCpu: number[] = []
      const rerunMs: number[] = []
      const rounds = kind === 'text' ? ROUNDS : Math.min(ROUNDS, 2)
      console.log(`  into a ${kind === 'text' ? 'text/plain' : 'application/json'} stream:`)
      for (let r = 0; r < rounds; r++) {
        const url = `${base}/bench/produce-${kind}-${r}`
        if (kind === 'json') await createJson(client, url)
        else await client.stream(url).createStream({ contentType: 'text/plain' })
        const check = async (): Promise<void> => {
          if (kind === 'json') return verify(client, url, N)
          const parts = await client.stream(url).readBytes({ live: false }).toArray()
          if (!Buffer.concat(parts).equals(bigBytes))
            throw new Error('text stream differs from input')
        }
        const argv = [dsiBin, 'produce', url, '-p', 'bench', '--json']
        const p = must(await run(process.execPath, argv, { stdin: big }), 'dsi produce')
        const summary = JSON.parse(p.stdout) as { written: number; duplicates: number }
        if (summary.written !== N) throw new Error(`produce wrote ${summary.written} of ${N}`)
        await check()
        const again = must(await run(process.execPath, argv, { stdin: big }), 'dsi produce again')
        const second = JSON.parse(again.stdout) as { written: number; duplicates: number }
        if (second.written !== 0 || second.duplicates !== N)
          throw new Error(`re-run wrote ${second.written}`)
        await check()
        produceMs.push(p.ms)
        produceCpu.push(p.cpuMs ?? NaN)
        rerunMs.push(again.ms)
        console.log(
          `    round ${r + 1}: ${(N / (p.ms / 1000) / 1e6).toFixed(2)} M msg/s (${p.ms.toFixed(0)} ms, ${(p.cpuMs ?? NaN).toFixed(0)} ms CPU, exactly once verified); re-run ${again.ms.toFixed(0)} ms, 0 written`,
        )
        if (kind === 'json' && r === rounds - 1) lastUrl = url
        else await client.stream(url).delete()
      }
      produced[kind] = {
        ms: median(produceMs),
        cpuMs: median(produceCpu),
        perSecond: N / (median(produceMs) / 1000),
        rerunMs: median(rerunMs),
      }
    }
    results.produce = produced
    if (!lastUrl && PARTS.has('cat')) {
      // The JSON stream for (3) without measuring (3) needs N messages.
      lastUrl = `${base}/bench/cat-source`
      await createJson(client, lastUrl)
      must(
        await run(process.execPath, [dsiBin, 'produce', lastUrl, '-p', 'setup'], { stdin: big }),
        'setup',
      )
    }

    // 2. side by side, SIDE lines (curl: CURL_LINES of them).
    const curlInput = join(dir, 'curl.ndjson')
    writeLines(curlInput, CURL_LINES)
    if (PARTS.has('side')) console.log(`${SIDE.toLocaleString('en')} lines side by side:`)
    const side1: Record<string, number[]> = { dsi: [], perLine: [], curl: [] }
    for (let r = 0; r < (PARTS.has('side') ? ROUNDS : 0); r++) {
      const u1 = `${base}/bench/side-dsi-${r}`
      await createJson(client, u1)
      side1.dsi!.push(
        must(
          await run(process.execPath, [dsiBin, 'produce', u1, '-p', 'side'], { stdin: side }),
          'dsi produce',
        ).ms,
      )
      await verify(client, u1, SIDE)
      const u2 = `${base}/bench/side-line-${r}`
      await createJson(client, u2)
      side1.perLine!.push(
        must(await run(process.execPath, [child, 'per-line', u2], { stdin: side }), 'per-line').ms,
      )
      await verify(client, u2, SIDE)
      if (r > 0) continue // curl: one round (10,000 processes; its spread does not matter)
      const u3 = `${base}/bench/side-curl-${r}`
      await createJson(client, u3)
      const loop = `while IFS= read -r line; do curl -sS -o /dev/null -X POST -H 'content-type: application/json' --data-binary "$line" '${u3}' || exit 1; done`
      side1.curl!.push(
        (must(await run('bash', ['-c', loop], { stdin: curlInput }), 'curl loop').ms * SIDE) /
          CURL_LINES,
      )
      await verify(client, u3, CURL_LINES)
    }
    const sideOut: Record<string, { ms: number; perSecond: number }> = {}
    if (CURL_LINES !== SIDE) console.log(`  (curl: ${CURL_LINES} lines, time scaled to ${SIDE})`)
    for (const [k, v] of Object.entries(side1)) {
      if (v.length === 0) continue
      sideOut[k] = { ms: median(v), perSecond: SIDE / (median(v) / 1000) }
      console.log(
        `  ${k.padEnd(8)} ${median(v).toFixed(0).padStart(7)} ms  ${(SIDE / (median(v) / 1000)).toFixed(0).padStart(9)} msg/s`,
      )
    }
    results.side = { ...sideOut, curlLines: CURL_LINES }

    // 3. cat vs the client's own read of the N messages of the last produce stream.
    const catMs: number[] = []
    const catCpu: number[] = []
    const readCpu: number[] = []
    const readMs: number[] = []
    const readInner: number[] = []
    for (let r = 0; r < (PARTS.has('cat') ? ROUNDS + 1 : 0); r++) {
      const cat = must(
        await run(process.execPath, [dsiBin, 'cat', lastUrl, '--until-up-to-date'], {
          devNull: true,
        }),
        'dsi cat',
      )
      const rd = must(await run(process.execPath, [child, 'read', lastUrl]), 'client read')
      const inner = JSON.parse(rd.stdout) as { messages: number; ms: number }
      if (inner.messages !== N) throw new Error(`client read ${inner.messages} of ${N}`)
      if (r === 0) continue // warm-up
      catMs.push(cat.ms)
      catCpu.push(cat.cpuMs ?? NaN)
      readCpu.push(rd.cpuMs ?? NaN)
      readMs.push(rd.ms)
      readInner.push(inner.ms)
    }
    results.cat = {
      catMs: median(catMs),
      clientProcessMs: median(readMs),
      clientReadMs: median(readInner),
      ratio: median(readMs) / median(catMs),
      catCpuMs: median(catCpu),
      clientCpuMs: median(readCpu),
    }
    if (PARTS.has('cat'))
      console.log(
        `dsi cat --until-up-to-date > /dev/null: ${median(catMs).toFixed(0)} ms (${(N / (median(catMs) / 1000) / 1e6).toFixed(2)} M msg/s); ` +
          `client read in a child: ${median(readMs).toFixed(0)} ms whole process, ${median(readInner).toFixed(0)} ms reading; ` +
          `dsi / client = ${(median(readMs) / median(catMs)).toFixed(2)}×; ` +
          `CPU ${median(catCpu).toFixed(0)} ms vs ${median(readCpu).toFixed(0)} ms`,
      )

    // 4. start-up.
    const help: number[] = []
    const bare: number[] = []
    for (let r = 0; r < (PARTS.has('startup') ? 10 : 0); r++) {
      help.push(must(await run(process.execPath, [dsiBin, '--help']), 'dsi --help').ms)
      bare.push(must(await run(process.execPath, ['-e', '']), 'node -e').ms)
    }
    results.startup = { helpMs: median(help), nodeMs: median(bare) }
    if (PARTS.has('startup'))
      console.log(
        `dsi --help: ${median(help).toFixed(0)} ms (node -e '': ${median(bare).toFixed(0)} ms)`,
      )
    if (jsonOut) writeFileSync(jsonOut, JSON.stringify(results, null, 2) + '\n')
  } finally {
    await client.close()
    await server.stop()
    rmSync(dir, { recursive: true, force: true })
  }
}

main().catch((err: unknown) => {
  console.error(`\nCLI BENCHMARK FAILED: ${(err as Error)?.stack ?? String(err)}`)
  process.exit(1)
})
