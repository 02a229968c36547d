import { describe, expect, it } from 'vitest'
import { errorMessage } from '../../src-shared/error-message.js'
import { StreamNotFoundError } from '../../src-shared/client/errors.js'

describe('errorMessage puts any caught value into words', () => {
  it('takes the message of an Error, including the client typed errors', () => {
    expect(errorMessage(new TypeError('bad input'))).toBe('bad input')
    const e = new StreamNotFoundError('Stream not found: x', { url: 'http://127.0.0.1:1/x' })
    expect(errorMessage(e)).toBe('Stream not found: x')
  })
  it('takes the message of a serialized error (as it crosses IPC)', () => {
    expect(errorMessage({ name: 'TimeoutError', code: 'TIMEOUT', message: 'timed out' })).toBe(
      'timed out',
    )
  })
  it('stringifies anything else', () => {
    expect(errorMessage('plain')).toBe('plain')
    expect(errorMessage(42)).toBe('42')
    expect(errorMessage(null)).toBe('null')
    expect(errorMessage(undefined)).toBe('undefined')
    expect(errorMessage({ message: 7 })).toBe('[object Object]')
  })
})
