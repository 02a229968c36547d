import { describe, expect, it } from 'vitest'
import { offsetProblem } from './offset.js'

// PROTOCOL.md §6: offsets are opaque, case-sensitive single tokens that MUST NOT contain
// , & = ? or /; other characters are allowed (clients URL-encode them), and "under 256
// characters" is only a SHOULD for servers.
describe('offsetProblem refuses only what the protocol forbids (review of #15/11)', () => {
  it('accepts offsets real servers may issue', () => {
    for (const ok of [
      '-1',
      'now',
      '0000000000000000_0000000000000042',
      '01HZX3K8Q5W7Y9ABCDEF', // a ULID (the protocol names them as acceptable)
      'seg#3:17', // '#' is not forbidden: the client URL-encodes it
      'a+b~c.d!*()%20',
      'x'.repeat(300), // long, but only a SHOULD for servers
    ]) {
      expect(offsetProblem(ok), ok).toBeNull()
    }
  })

  it('refuses the forbidden characters, spaces and an empty offset', () => {
    for (const bad of ['a,b', 'a&b', 'a=b', 'a?b', 'a/b', 'a b', '']) {
      expect(offsetProblem(bad), bad).toMatch(/./)
    }
  })
})
