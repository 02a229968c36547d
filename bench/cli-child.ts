/**
 * Child process of the CLI benchmark (bench/cli.ts), bundled to plain JS like dsi itself so
 * both start alike. Modes:
 * - `read URL`: our client's own catch-up read + parse of a JSON stream (bench scenario 8's
 *   work), counting messages; prints {"messages","ms"}.
 * - `per-line URL`: the upstream CLI's approach to writing many messages: one
 *   `DurableStream.append` of @durable-streams/client per stdin line, each awaited; prints
 *   {"messages","ms"}.
 */
import { createInterface } from 'node:readline'
import { DurableStream } from '@durable-streams/client'
import { Client } from '../src-shared/client/node.js'

async function read(url: string): Promise<void> {
  const started = performance.now()
  const client = new Client({})
  let messages = 0
  for await (const b of client.stream(url).readJson({ live: false }).batches())
    messages += b.items.length
  const ms = performance.now() - started
  await client.close()
  process.stdout.write(JSON.stringify({ messages, ms }) + '\n')
}

async function perLine(url: string): Promise<void> {
  const started = performance.now()
  const stream = new DurableStream({ url, contentType: 'application/json' })
  let messages = 0
  for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
    if (line.trim() === '') continue
    await stream.append(line)
    messages++
  }
  process.stdout.write(JSON.stringify({ messages, ms: performance.now() - started }) + '\n')
}

const [mode, url] = process.argv.slice(2)
if (!url) throw new Error('usage: cli-child read|per-line URL')
await (mode === 'read' ? read(url) : perLine(url))
process.exit(0)
