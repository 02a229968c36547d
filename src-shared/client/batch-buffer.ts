/**
 * A growable byte buffer for one request body. Strings are UTF-8 encoded straight into it
 * (`encodeInto`, no intermediate arrays); a lone byte chunk is kept by reference, so a single
 * large message is never copied.
 * @internal
 */
const encoder = new TextEncoder()

export class BatchBuffer {
  private buf: Uint8Array | undefined
  private single: Uint8Array | undefined
  private len = 0

  constructor(private readonly initialCapacity: number) {}

  /** Bytes written so far. */
  get length(): number {
    return this.len
  }

  private reserve(extra: number): Uint8Array {
    const needed = this.len + extra
    let buf = this.buf
    if (buf && buf.length >= needed) return buf
    const next = new Uint8Array(Math.max(needed, buf ? buf.length * 2 : this.initialCapacity))
    if (buf) next.set(buf.subarray(0, this.len))
    else if (this.single) next.set(this.single)
    this.single = undefined
    this.buf = buf = next
    return buf
  }

  appendBytes(bytes: Uint8Array): void {
    // Hot path (one call per small message): room in the buffer, one copy, no other call.
    const buf = this.buf
    const len = this.len
    if (buf !== undefined && len + bytes.length <= buf.length) {
      buf.set(bytes, len)
      this.len = len + bytes.length
      return
    }
    this.appendBytesSlow(bytes)
  }

  private appendBytesSlow(bytes: Uint8Array): void {
    if (this.len === 0 && !this.buf) {
      this.single = bytes
      this.len = bytes.length
      return
    }
    const buf = this.reserve(bytes.length)
    buf.set(bytes, this.len)
    this.len += bytes.length
  }

  appendString(text: string): void {
    // Encode into the free space; grow only if it did not all fit (UTF-8 needs 1–3 bytes
    // per UTF-16 unit, so reserving the worst case up front would grow buffers needlessly).
    let rest = text
    let buf = this.reserve(Math.min(rest.length, 16))
    for (;;) {
      const { read, written } = encoder.encodeInto(rest, buf.subarray(this.len))
      this.len += written
      if (read === rest.length) return
      rest = rest.slice(read)
      buf = this.reserve(rest.length * 3)
    }
  }

  /** One ASCII byte, e.g. a JSON bracket or comma. */
  appendByte(byte: number): void {
    const buf = this.reserve(1)
    buf[this.len++] = byte
  }

  /** The body: a view of the written bytes (no copy). */
  bytes(): Uint8Array {
    if (this.single) return this.single
    return this.buf ? this.buf.subarray(0, this.len) : new Uint8Array(0)
  }
}
