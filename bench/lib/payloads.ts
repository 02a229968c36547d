/**
 * Benchmark messages. Byte messages carry their index in a fixed header so the stream can be
 * checked afterwards: every message present exactly once, in order.
 */

const HEADER = 11 // '#' + 9 digits + ' '

/** A `size`-byte message whose first 11 bytes are `#000000042 ` (its index). */
export function byteMessage(i: number, size: number): Uint8Array {
  if (size < HEADER + 1) throw new Error(`message size ${size} is too small`)
  const out = new Uint8Array(size)
  out.fill(0x78) // 'x'
  const head = '#' + String(i).padStart(9, '0') + ' '
  for (let k = 0; k < HEADER; k++) out[k] = head.charCodeAt(k)
  out[size - 1] = 0x0a
  return out
}

export function byteMessages(count: number, size: number, first = 0): Uint8Array[] {
  const out: Uint8Array[] = new Array<Uint8Array>(count)
  for (let i = 0; i < count; i++) out[i] = byteMessage(first + i, size)
  return out
}

/**
 * Checks that `data` is exactly messages 0..count-1 of `size` bytes, in order, each once.
 * Returns a description of the first problem, or undefined when the stream is right.
 */
export function checkByteStream(data: Uint8Array, count: number, size: number): string | undefined {
  const expected = count * size
  if (data.length !== expected) {
    const seen = Math.floor(data.length / size)
    return `stream holds ${data.length} bytes (${seen} messages), expected ${expected} bytes (${count} messages): ${data.length > expected ? 'duplicates' : 'lost messages'}`
  }
  for (let i = 0; i < count; i++) {
    const at = i * size
    const head = '#' + String(i).padStart(9, '0') + ' '
    for (let k = 0; k < HEADER; k++) {
      if (data[at + k] !== head.charCodeAt(k)) {
        const got = Buffer.from(data.subarray(at, at + HEADER)).toString('latin1')
        return `message ${i} at byte ${at} is ${JSON.stringify(got)}, expected ${JSON.stringify(head)} (out of order or duplicated)`
      }
    }
  }
  return undefined
}

const PAD = 'x'.repeat(200)

/**
 * JSON text (≈ `size` bytes) of a live-tail message carrying its index and its send time
 * (`performance.timeOrigin + performance.now()`, ms), for end-to-end latency.
 */
export function tailMessageJson(i: number, t: number, size: number): string {
  const head = `{"i":${i},"t":${t.toFixed(3)},"p":"`
  const pad = Math.max(0, size - head.length - 2)
  return head + PAD.slice(0, pad) + '"}'
}

/** JSON text of a small read-throughput message (≈ 49 bytes, like the upstream suite's). */
export function readMessageJson(i: number): string {
  return `{"id":${i},"name":"item-${String(i).padStart(7, '0')}","ok":true}`
}

/** JSON text of a small memory-scenario message (≈ 30 bytes). */
export function memMessageJson(i: number): string {
  return `{"i":${i},"v":"abcdefghij"}`
}

/** Wall-clock time in ms with sub-ms resolution, comparable across processes on one machine. */
export function wallNow(): number {
  return performance.timeOrigin + performance.now()
}
