/**
 * JSON response bodies (`[m1,m2,…]`) to NDJSON (`m1\nm2\n…`) in one pass over the bytes,
 * without parsing and re-serialising each message: `dsi cat` of a large JSON stream spends its
 * time here instead of in JSON.parse + JSON.stringify. Whitespace outside strings is dropped,
 * so a message is always one line (inside strings JSON escapes newlines). The body must be
 * valid JSON, which the server guarantees for JSON streams; state carries across chunks.
 */
const QUOTE = 0x22
const BACKSLASH = 0x5c
const COMMA = 0x2c
const NEWLINE = 0x0a

export class JsonArrayToLines {
  private depth = 0
  private inString = false
  private escaped = false
  /** Bytes of a message were written since the last line end. */
  private open = false
  /** Messages completed so far. */
  messages = 0

  /** NDJSON bytes for this piece of one or more whole or partial array bodies. */
  push(body: Uint8Array): Uint8Array {
    const out = new Uint8Array(body.length + 1)
    let o = 0
    let depth = this.depth
    let inString = this.inString
    let escaped = this.escaped
    let open = this.open
    let messages = this.messages
    for (let i = 0; i < body.length; i++) {
      const c = body[i]!
      if (inString) {
        out[o++] = c
        if (escaped) escaped = false
        else if (c === BACKSLASH) escaped = true
        else if (c === QUOTE) inString = false
        continue
      }
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) continue
      if (c === 0x5b || c === 0x7b) {
        // [ or {: the outer array's own bracket is not part of any message.
        if (depth++ === 0) continue
      } else if (c === 0x5d || c === 0x7d) {
        if (--depth === 0) {
          // End of the outer array: the last message (if any) ends here.
          if (open) {
            out[o++] = NEWLINE
            messages++
            open = false
          }
          continue
        }
      } else if (c === COMMA && depth === 1) {
        out[o++] = NEWLINE
        messages++
        open = false
        continue
      } else if (c === QUOTE) inString = true
      out[o++] = c
      open = true
    }
    this.depth = depth
    this.inString = inString
    this.escaped = escaped
    this.open = open
    this.messages = messages
    return out.subarray(0, o)
  }
}
