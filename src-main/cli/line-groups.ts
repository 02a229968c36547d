/**
 * Byte and text streams keep no message boundaries on the server: what is stored is the bytes.
 * So `dsi produce` hands their stdin lines to the producer in groups of whole lines of about
 * `target` bytes (one producer message per group instead of per line, the per-message cost
 * paid ~600 times less often). The grouping depends only on the sequence of lines, never on how
 * stdin happened to be read, so the same input always makes the same groups, the same batches
 * and the same (epoch, seq) pairs: a re-run is still recognised as duplicates.
 */
export interface LineGroup {
  bytes: Uint8Array
  lines: number
}

export class LineGrouper {
  /** Parts of the group in progress from earlier chunks. */
  private pieces: Uint8Array[] = []
  private size = 0
  private lines = 0
  /** A line begun at the end of the previous chunk. */
  private carry: Uint8Array | undefined

  constructor(private readonly target: number) {}

  /** Takes the next piece of input; returns the groups it completed. */
  push(input: Uint8Array): LineGroup[] {
    const chunk = this.carry ? concat([this.carry, input]) : input
    this.carry = undefined
    const out: LineGroup[] = []
    let groupStart = 0
    let pos = 0
    for (let nl = chunk.indexOf(10, pos); nl !== -1; nl = chunk.indexOf(10, pos)) {
      const len = nl + 1 - pos
      if (this.lines > 0 && this.size + len > this.target) {
        out.push(this.take(chunk.subarray(groupStart, pos)))
        groupStart = pos
      }
      this.size += len
      this.lines++
      pos = nl + 1
    }
    if (pos > groupStart) this.pieces.push(chunk.subarray(groupStart, pos))
    if (pos < chunk.length) this.carry = chunk.subarray(pos)
    return out
  }

  /** Lines taken in but not yet in a returned group (a started last line counts). */
  get pendingLines(): number {
    return this.lines + (this.carry && this.carry.length > 0 ? 1 : 0)
  }

  /**
   * The group in progress, cut short now (whole lines only; a line without its newline yet
   * stays). For `--linger`: lines of a live feed must not wait for a full group.
   */
  flush(): LineGroup | undefined {
    return this.lines > 0 ? this.take() : undefined
  }

  /** The last groups at the end of input (a last line without newline included). */
  end(): LineGroup[] {
    const out: LineGroup[] = []
    const last = this.carry
    this.carry = undefined
    if (last && last.length > 0) {
      if (this.lines > 0 && this.size + last.length > this.target) out.push(this.take())
      this.pieces.push(last)
      this.size += last.length
      this.lines++
    }
    if (this.lines > 0) out.push(this.take())
    return out
  }

  private take(tail?: Uint8Array): LineGroup {
    if (tail && tail.length > 0) this.pieces.push(tail)
    const bytes = this.pieces.length === 1 ? this.pieces[0]! : concat(this.pieces)
    const group = { bytes, lines: this.lines }
    this.pieces = []
    this.size = 0
    this.lines = 0
    return group
  }
}

function concat(parts: Uint8Array[]): Uint8Array {
  const b = Buffer.concat(parts)
  return new Uint8Array(b.buffer, b.byteOffset, b.length)
}
