/**
 * A small, fast SSE framer for the raw subject: splits decoded text into events at blank
 * lines and collects `event:` and `data:` fields (one leading space stripped, multi-line
 * data joined with `\n`, `\r\n` tolerated). Comments and unknown fields are ignored.
 */
export interface SseEvent {
  event: string
  data: string
}

export class SseSplitter {
  private buf = ''
  private scanFrom = 0

  /** Appends decoded text and pushes every complete event to `out`. */
  push(text: string, out: SseEvent[]): void {
    this.buf = this.buf.length === 0 ? text : this.buf + text
    let start = 0
    for (;;) {
      const end = this.findBoundary(Math.max(start, this.scanFrom))
      if (end < 0) break
      const ev = parseBlock(this.buf, start, end)
      if (ev) out.push(ev)
      start = end + (this.buf.charCodeAt(end) === 13 ? 4 : 2)
      this.scanFrom = start
    }
    if (start > 0) {
      this.buf = this.buf.slice(start)
      this.scanFrom = 0
    }
    this.scanFrom = Math.max(0, this.buf.length - 3)
  }

  private findBoundary(from: number): number {
    const a = this.buf.indexOf('\n\n', from)
    if (a >= 0 || this.buf.indexOf('\r', from) < 0) return a
    const b = this.buf.indexOf('\r\n\r\n', from)
    return b < 0 ? -1 : b
  }
}

function parseBlock(buf: string, start: number, end: number): SseEvent | undefined {
  let event = 'message'
  let data: string | undefined
  let pos = start
  while (pos < end) {
    let nl = buf.indexOf('\n', pos)
    if (nl < 0 || nl > end) nl = end
    let lineEnd = nl
    if (buf.charCodeAt(lineEnd - 1) === 13) lineEnd--
    if (buf.startsWith('data:', pos)) {
      let v = pos + 5
      if (buf.charCodeAt(v) === 32) v++
      const value = buf.slice(v, lineEnd)
      data = data === undefined ? value : data + '\n' + value
    } else if (buf.startsWith('event:', pos)) {
      let v = pos + 6
      if (buf.charCodeAt(v) === 32) v++
      event = buf.slice(v, lineEnd)
    }
    pos = nl + 1
  }
  return data === undefined ? undefined : { event, data }
}
