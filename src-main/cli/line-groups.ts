/**
 * Byte and text streams keep no message boundaries on the server: what is stored is the bytes.
 * So `dsi produce` hands their stdin lines to the producer in groups of whole lines of at most
 * `target` bytes (a line longer than that is a group of its own): one producer message per
 * group instead of per line. The grouping depends only on the sequence of lines, never on how
 * stdin happened to be read, so the same input always makes the same groups, the same batches
 * and the same (epoch, seq) pairs: a re-run is still recognised as duplicates.
 *
 * Cost per line is kept near zero: input is copied once into the group's own buffer (or read
 * straight into it, see `space`/`commit`), group ends are found with one `lastIndexOf` per group
 * rather than a step per line, and a group is handed over as a view of that buffer (no copy).
 * With `target` equal to the producer's batch size each group is a batch of its own, which the
 * producer sends without copying it either.
 */
export interface LineGroup {
  bytes: Uint8Array
  lines: number
}

/** Extra room past `target`, so a typical stdin chunk fits without growing the buffer. */
const SLACK = 256 * 1024
/** Most buffers kept for reuse (each `target + SLACK` bytes). */
const POOL = 16
/** Reads into `space()` go this far past `target` at most (what is past a group is copied). */
const READ_PAST = 64 * 1024

export class LineGrouper {
  /** The group in progress: `len` bytes of input not yet handed out. */
  private buf: Buffer
  private len = 0
  /** Buffers of groups the caller is done with (`recycle`): fresh memory costs page faults. */
  private free: ArrayBuffer[] = []

  constructor(private readonly target: number) {
    this.buf = this.alloc(0)
  }

  /**
   * The caller is done with a group's bytes (the server acknowledged them): its buffer may be
   * reused for later input. Nothing may hold the group's bytes after this.
   */
  recycle(group: LineGroup): void {
    const ab = group.bytes.buffer
    if (
      ab instanceof ArrayBuffer &&
      ab.byteLength === this.target + SLACK &&
      this.free.length < POOL
    )
      this.free.push(ab)
  }

  private alloc(rest: number): Buffer {
    if (rest > this.target) return Buffer.allocUnsafe(rest + SLACK)
    const ab = this.free.pop()
    return ab ? Buffer.from(ab) : Buffer.allocUnsafe(this.target + SLACK)
  }

  /** Lines taken in but not yet in a returned group (a started last line counts). */
  get pendingLines(): number {
    return countLines(this.buf, 0, this.len, true)
  }

  /** Takes the next piece of input (copied); returns the groups it completed. */
  push(input: Uint8Array): LineGroup[] {
    this.reserve(input.length)
    this.buf.set(input, this.len)
    return this.commit(input.length)
  }

  /** Free room at the end of the buffer, to read input straight into (then `commit`). */
  space(): Uint8Array {
    this.reserve(READ_PAST)
    return this.buf.subarray(this.len, Math.max(this.len, this.target) + READ_PAST)
  }

  /** `n` bytes were written at the start of `space()`: returns the groups completed. */
  commit(n: number): LineGroup[] {
    this.len += n
    const out: LineGroup[] = []
    while (this.len > this.target) {
      const end = this.groupEnd(false)
      if (end === -1) break // a long line, not ended yet
      out.push(this.take(end, false))
    }
    return out
  }

  /**
   * The whole lines so far as a group, cut short now (a line without its newline yet stays).
   * For `--linger`: lines of a live feed must not wait for a full group.
   */
  flush(): LineGroup | undefined {
    if (this.len === 0) return undefined
    const nl = this.buf.lastIndexOf(10, this.len - 1)
    return nl === -1 ? undefined : this.take(nl + 1, false)
  }

  /** The last groups at the end of input (a last line without newline included). */
  end(): LineGroup[] {
    const out: LineGroup[] = []
    while (this.len > this.target) out.push(this.take(this.groupEnd(true), true))
    if (this.len > 0) out.push(this.take(this.len, true))
    return out
  }

  /** Where the group starting at 0 ends: its whole lines within `target`, or one long line. */
  private groupEnd(atEnd: boolean): number {
    const nl = this.buf.lastIndexOf(10, this.target - 1)
    if (nl !== -1) return nl + 1
    const next = this.buf.subarray(0, this.len).indexOf(10, this.target)
    if (next !== -1) return next + 1
    return atEnd ? this.len : -1
  }

  /** Hands out the first `end` bytes as a group; the rest moves to a fresh buffer. */
  private take(end: number, atEnd: boolean): LineGroup {
    const old = this.buf
    const rest = this.len - end
    this.buf = this.alloc(rest)
    if (rest > 0) old.copy(this.buf, 0, end, this.len)
    this.len = rest
    return {
      bytes: new Uint8Array(old.buffer, old.byteOffset, end),
      lines: countLines(old, 0, end, atEnd && rest === 0),
    }
  }

  private reserve(extra: number): void {
    if (this.len + extra <= this.buf.length) return
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.len + extra))
    this.buf.copy(next, 0, 0, this.len)
    this.buf = next
  }
}

/** Newlines in `b[from, to)`, plus one for a last line without newline when `open`. */
function countLines(b: Buffer, from: number, to: number, open: boolean): number {
  const v = b.subarray(from, to) // bounded: no search into bytes past `to`
  let n = 0
  let pos = 0
  for (let nl = v.indexOf(10, pos); nl !== -1; nl = v.indexOf(10, pos)) {
    n++
    pos = nl + 1
  }
  return n + (open && pos < v.length ? 1 : 0)
}
