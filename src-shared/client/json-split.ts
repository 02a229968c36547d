/**
 * Splits a JSON array that arrives in text chunks into pieces of whole top-level elements,
 * without parsing it: a scan tracks strings, escapes and nesting depth and remembers where
 * top-level elements end. Each piece is handed out as the text of a smaller JSON array, so one
 * `JSON.parse` per piece does the real work (and validates it).
 * @internal
 */

const QUOTE = 34
const BACKSLASH = 92
const COMMA = 44
const OPEN_BRACKET = 91
const CLOSE_BRACKET = 93
const OPEN_BRACE = 123
const CLOSE_BRACE = 125

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9
}

/** A piece: the text of a JSON array holding `count` top-level elements of the original. */
export interface JsonPiece {
  text: string
  count: number
}

export class JsonArraySplitter {
  private buf = ''
  private pos = 0
  private depth = 0
  private inString = false
  private escaped = false
  private started = false
  private ended = false
  /** Start (in `buf`) of the first element not yet handed out. */
  private pieceStart = 0
  /** End (exclusive, in `buf`) of the last complete element found. */
  private cut = 0
  /** Complete elements between `pieceStart` and `cut`. */
  private complete = 0
  /** Top-level elements seen so far (skipped ones included). */
  private seen = 0
  /** Whether the element being scanned has any content (`[]` and `[ ]` have none). */
  private sawValue = false

  /**
   * @param skip leading top-level elements to drop (already delivered by an earlier attempt).
   * @param describe names the source in error messages.
   */
  constructor(
    private skip: number,
    private readonly describe: string,
  ) {}

  /** Bytes of complete elements ready to be handed out. */
  get readyChars(): number {
    return this.complete > 0 ? this.cut - this.pieceStart : 0
  }

  /** Whether the closing bracket of the array was seen. */
  get done(): boolean {
    return this.ended
  }

  push(text: string): void {
    if (this.ended) {
      if (text.trim() !== '')
        throw new SyntaxError(`Data after the JSON array from ${this.describe}`)
      return
    }
    this.buf = this.pieceStart > 0 ? this.buf.slice(this.pieceStart) + text : this.buf + text
    this.pos -= this.pieceStart
    this.cut -= this.pieceStart
    this.pieceStart = 0
    this.scan()
  }

  private scan(): void {
    const buf = this.buf
    const n = buf.length
    let i = this.pos
    let depth = this.depth
    let inString = this.inString
    let escaped = this.escaped
    let sawValue = this.sawValue
    for (; i < n; i++) {
      const c = buf.charCodeAt(i)
      if (inString) {
        if (escaped) escaped = false
        else if (c === BACKSLASH) escaped = true
        else if (c === QUOTE) inString = false
        continue
      }
      if (depth === 0) {
        if (isSpace(c)) continue
        if (this.ended || c !== OPEN_BRACKET) {
          this.pos = i
          throw new SyntaxError(
            this.ended
              ? `Data after the JSON array from ${this.describe}`
              : `Expected a JSON array of messages from ${this.describe}`,
          )
        }
        this.started = true
        depth = 1
        this.pieceStart = this.cut = i + 1
        continue
      }
      if (c === QUOTE) {
        inString = true
        sawValue = true
      } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
        depth++
        sawValue = true
      } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
        depth--
        if (depth === 0) {
          this.endElement(i, sawValue)
          sawValue = false
          this.ended = true
        }
      } else if (c === COMMA && depth === 1) {
        this.endElement(i, sawValue)
        sawValue = false
      } else if (!isSpace(c)) sawValue = true
    }
    this.pos = i
    this.depth = depth
    this.inString = inString
    this.escaped = escaped
    this.sawValue = sawValue
  }

  /** A top-level element ends at `i` (a comma or the closing bracket). */
  private endElement(i: number, sawValue: boolean): void {
    if (!sawValue) {
      // `[]` is empty; an empty element anywhere else (`[1,,2]`, `[1,]`) is malformed.
      if (this.seen === 0 && this.buf.charCodeAt(i) === CLOSE_BRACKET) return
      throw new SyntaxError(`Empty element in the JSON array from ${this.describe}`)
    }
    this.seen++
    if (this.skip > 0 && this.complete === 0) {
      this.skip--
      this.pieceStart = this.cut = i + 1
      return
    }
    this.complete++
    this.cut = i
  }

  /** Hands out the complete elements found so far as one JSON array text, or null if none. */
  take(): JsonPiece | null {
    if (this.complete === 0) return null
    const piece = {
      text: '[' + this.buf.slice(this.pieceStart, this.cut) + ']',
      count: this.complete,
    }
    this.complete = 0
    this.pieceStart = this.cut + 1
    this.cut = this.pieceStart
    return piece
  }

  /** Checks that the whole array arrived; call after the last `push`. */
  finish(): void {
    if (!this.started && this.buf.trim() === '') return // an empty body holds no messages
    if (!this.ended) throw new SyntaxError(`Truncated JSON array from ${this.describe}`)
  }
}
