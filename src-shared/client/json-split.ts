/**
 * Splits a JSON array that arrives in text chunks into pieces of whole top-level elements,
 * without parsing it: a scan tracks strings, escapes and nesting depth and remembers where
 * top-level elements end. Each piece is handed out as the text of a smaller JSON array, so one
 * `JSON.parse` per piece does the real work (and validates it).
 *
 * Each chunk is scanned once, as it arrives (positions are counted across chunks); chunks are
 * joined only when a piece is taken, so a single huge element costs linear time.
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
  /** Text not handed out yet, in arrival order; `parts[0]` starts at position `base`. */
  private parts: string[] = []
  private base = 0
  /** Position after the last character received. */
  private end = 0
  private depth = 0
  private inString = false
  private escaped = false
  private started = false
  private ended = false
  /** Position of the first element not yet handed out. */
  private pieceStart = 0
  /** Position of the comma or bracket ending the last complete element found. */
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

  /** Characters of complete elements ready to be handed out. */
  get readyChars(): number {
    return this.complete > 0 ? this.cut - this.pieceStart : 0
  }

  /** Whether the closing bracket of the array was seen. */
  get done(): boolean {
    return this.ended
  }

  /** Elements still to skip: the array ended before all of them were seen. */
  get pendingSkip(): number {
    return this.skip
  }

  push(text: string): void {
    if (text.length === 0) return
    const offset = this.end
    this.end += text.length
    this.parts.push(text)
    this.scan(text, offset)
    if (this.complete === 0) {
      // Nothing pending: drop text wholly before the next element (skipped elements, spaces).
      while (this.parts.length > 0 && this.base + this.parts[0]!.length <= this.pieceStart) {
        this.base += this.parts.shift()!.length
      }
    }
  }

  private fail(message: string): never {
    throw new SyntaxError(`${message} from ${this.describe}`)
  }

  private scan(text: string, offset: number): void {
    const n = text.length
    let depth = this.depth
    let inString = this.inString
    let escaped = this.escaped
    let sawValue = this.sawValue
    for (let i = 0; i < n; i++) {
      const c = text.charCodeAt(i)
      if (inString) {
        if (escaped) escaped = false
        else if (c === BACKSLASH) escaped = true
        else if (c === QUOTE) inString = false
        continue
      }
      if (depth === 0) {
        if (isSpace(c) || (c === 0xfeff && offset + i === 0)) continue
        if (this.ended) this.fail('Data after the JSON array')
        if (c !== OPEN_BRACKET) this.fail('Expected a JSON array of messages')
        this.started = true
        depth = 1
        this.pieceStart = this.cut = offset + i + 1
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
          // Only `]` closes the array (inner mismatches are left to JSON.parse).
          if (c !== CLOSE_BRACKET) this.fail('Mismatched `}` closing the JSON array')
          this.endElement(offset + i, sawValue, true)
          sawValue = false
          this.ended = true
        }
      } else if (c === COMMA && depth === 1) {
        this.endElement(offset + i, sawValue, false)
        sawValue = false
      } else if (!isSpace(c)) sawValue = true
    }
    this.depth = depth
    this.inString = inString
    this.escaped = escaped
    this.sawValue = sawValue
  }

  /** A top-level element ends at position `at` (a comma, or the closing bracket). */
  private endElement(at: number, sawValue: boolean, closing: boolean): void {
    if (!sawValue) {
      // `[]` is empty; an empty element anywhere else (`[1,,2]`, `[1,]`) is malformed.
      if (this.seen === 0 && closing) return
      this.fail('Empty element in the JSON array')
    }
    this.seen++
    if (this.skip > 0 && this.complete === 0) {
      this.skip--
      this.pieceStart = this.cut = at + 1
      return
    }
    this.complete++
    this.cut = at
  }

  /** Hands out the complete elements found so far as one JSON array text, or null if none. */
  take(): JsonPiece | null {
    if (this.complete === 0) return null
    const all = this.parts.length === 1 ? this.parts[0]! : this.parts.join('')
    const piece = {
      text: '[' + all.slice(this.pieceStart - this.base, this.cut - this.base) + ']',
      count: this.complete,
    }
    this.complete = 0
    this.pieceStart = this.cut = this.cut + 1
    // Keep only what follows the piece (the separator is dropped with it).
    const rest = all.slice(this.pieceStart - this.base)
    this.parts = rest.length > 0 ? [rest] : []
    this.base = this.pieceStart
    return piece
  }

  /** Checks that the whole array arrived; call after the last `push`. */
  finish(): void {
    if (!this.started) {
      // An empty body (or only whitespace) holds no messages.
      if (this.parts.every((p) => p.trim() === '' || p === '\ufeff')) return
    }
    if (!this.ended) this.fail('Truncated JSON array')
  }
}
