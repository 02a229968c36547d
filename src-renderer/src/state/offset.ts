/**
 * What is wrong with an offset typed by the user, or null. Offsets are opaque single tokens
 * (PROTOCOL.md §6): the protocol forbids only `,` `&` `=` `?` `/` in them. Other characters
 * (`#`, `%`, `:` …) are allowed and URL-encoded by the client, and "under 256 characters" is a
 * SHOULD for servers, so neither is refused here: a server may issue such an offset.
 */
export function offsetProblem(offset: string): string | null {
  if (!offset) return 'Paste an offset (e.g. one copied from a row)'
  if (offset === '-1' || offset === 'now') return null
  if (/\s/.test(offset)) return 'An offset is one token: no spaces'
  const bad = /[,&=?/]/.exec(offset)
  if (bad) return `An offset cannot contain "${bad[0]}" (offsets are tokens the server issued)`
  return null
}
