/**
 * stdin and stdout for dsi: lines from stdin without per-line string copies, stdout writes
 * that respect back-pressure, and a reader that stops quietly when the reader of our stdout
 * goes away (`dsi cat … | head`).
 */
import { once } from 'node:events'
import type { Readable, Writable } from 'node:stream'

/** Raised when stdout's reader has gone (EPIPE): not an error, the command just stops. */
export class OutputClosed extends Error {
  constructor() {
    super('output closed')
    this.name = 'OutputClosed'
  }
}

export class Output {
  private closed = false
  private pending: Buffer[] = []
  private pendingBytes = 0

  constructor(private readonly out: Writable = process.stdout) {
    out.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') this.closed = true
      else throw err
    })
  }

  get isClosed(): boolean {
    return this.closed
  }

  /** Buffers small writes; flushes at 64 KiB (one syscall per many messages). */
  write(chunk: string | Uint8Array): void | Promise<void> {
    if (this.closed) throw new OutputClosed()
    const b =
      typeof chunk === 'string'
        ? Buffer.from(chunk)
        : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)
    this.pending.push(b)
    this.pendingBytes += b.byteLength
    if (this.pendingBytes >= 65_536) return this.flush()
  }

  /** Writes what is buffered; waits while the pipe is full. */
  async flush(): Promise<void> {
    if (this.pendingBytes === 0) return
    if (this.closed) throw new OutputClosed()
    const data =
      this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending, this.pendingBytes)
    this.pending = []
    this.pendingBytes = 0
    let ok: boolean
    try {
      ok = this.out.write(data)
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EPIPE') throw err
      this.closed = true
      throw new OutputClosed()
    }
    if (!ok) {
      await Promise.race([once(this.out, 'drain'), once(this.out, 'close')])
      if (this.closed) throw new OutputClosed()
    }
  }
}

/**
 * Lines of stdin as byte slices (without `\n` / `\r\n` unless `keepNewline`), in batches: one
 * array per chunk read, so a caller can hand a whole chunk to a producer synchronously. The
 * last line is yielded even without a trailing newline.
 */
export async function* lineBatches(
  input: Readable = process.stdin,
  keepNewline = false,
): AsyncGenerator<Uint8Array[]> {
  let carry: Buffer | undefined
  for await (const raw of input as AsyncIterable<Buffer | string>) {
    let chunk = typeof raw === 'string' ? Buffer.from(raw) : raw
    if (carry) {
      chunk = Buffer.concat([carry, chunk])
      carry = undefined
    }
    const lines: Uint8Array[] = []
    // Lines as plain Uint8Array views: a Buffer subarray costs several times more per line.
    const view = new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length)
    let start = 0
    for (let nl = chunk.indexOf(10, start); nl !== -1; nl = chunk.indexOf(10, start)) {
      lines.push(slice(view, start, nl, keepNewline))
      start = nl + 1
    }
    if (start < chunk.length) carry = chunk.subarray(start)
    if (lines.length > 0) yield lines
  }
  if (carry && carry.length > 0) yield [carry]
}

function slice(chunk: Uint8Array, start: number, nl: number, keepNewline: boolean): Uint8Array {
  if (keepNewline) return chunk.subarray(start, nl + 1)
  const end = nl > start && chunk[nl - 1] === 13 ? nl - 1 : nl
  return chunk.subarray(start, end)
}

/** All of stdin as one buffer. */
export async function readAll(input: Readable = process.stdin): Promise<Buffer> {
  const parts: Buffer[] = []
  for await (const raw of input as AsyncIterable<Buffer | string>) {
    parts.push(typeof raw === 'string' ? Buffer.from(raw) : raw)
  }
  return Buffer.concat(parts)
}

/** True when nothing is piped in (an interactive terminal). */
export function stdinIsTerminal(): boolean {
  return process.stdin.isTTY === true
}
