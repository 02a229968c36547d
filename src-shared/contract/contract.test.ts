import { describe, expect, it } from 'vitest'
import { deserializeError, isInvalidArgumentError } from '../client/index.js'
import { ContractError, METHODS, paramsSchemas, parseParams } from './index.js'

describe('IPC contract validation', () => {
  it('has a schema for every method', () => {
    expect(Object.keys(paramsSchemas).sort()).toEqual([...METHODS].sort())
  })

  it('accepts good payloads and applies defaults and normalisation', () => {
    expect(
      parseParams('transfer.export', { connectionId: 'local', path: '/a/b', format: 'raw' }),
    ).toEqual({ connectionId: 'local', path: 'a/b', format: 'raw', fromOffset: '-1' })
    expect(
      parseParams('streams.append', {
        connectionId: 'local',
        path: 'x',
        body: { kind: 'base64', base64: 'aGVsbG8=' },
      }),
    ).toMatchObject({ body: { kind: 'base64', base64: 'aGVsbG8=' }, close: false })
    expect(parseParams('app.info', undefined)).toEqual({})
  })

  const bad: Array<[string, Parameters<typeof parseParams>[0], unknown, RegExp]> = [
    ['missing connectionId', 'streams.list', {}, /connectionId/],
    [
      'empty path',
      'streams.open',
      { connectionId: 'l', path: '  ' },
      /path: stream path is required/,
    ],
    [
      'spaces in path',
      'streams.open',
      { connectionId: 'l', path: 'a b' },
      /must not contain spaces/,
    ],
    ['dot-dot segment', 'streams.head', { connectionId: 'l', path: 'a/../b' }, /"\.\." segments/],
    [
      'bad content type',
      'streams.create',
      { connectionId: 'l', path: 'a', contentType: 'json' },
      /type\/subtype/,
    ],
    [
      'negative ttl',
      'streams.create',
      { connectionId: 'l', path: 'a', contentType: 'text/plain', ttlSeconds: -1 },
      /ttlSeconds/,
    ],
    [
      'bad base64',
      'streams.append',
      { connectionId: 'l', path: 'a', body: { kind: 'base64', base64: '***' } },
      /not valid base64/,
    ],
    [
      'unknown data kind',
      'streams.append',
      { connectionId: 'l', path: 'a', body: { kind: 'xml' } },
      /body\.kind/,
    ],
    ['extra key', 'reading.close', { sessionId: 's', evil: true }, /evil|Unrecognized/i],
    [
      'wrong type',
      'transfer.export',
      { connectionId: 'l', path: 'a', format: 'raw', fromOffset: 5 },
      /fromOffset/,
    ],
    ['non-object', 'streams.list', 'local', /expected object/i],
  ]
  it.each(bad)('rejects %s with a clear error', (_name, method, params, message) => {
    let caught: unknown
    try {
      parseParams(method, params)
    } catch (err) {
      caught = err
    }
    expect(caught).toBeInstanceOf(ContractError)
    const e = caught as ContractError
    expect(e.code).toBe('INVALID_ARGUMENT')
    expect(e.message).toMatch(new RegExp(`^Invalid ${method.replace('.', '\\.')} request`))
    expect(e.message).toMatch(message)
  })

  it('contract errors rebuild as typed InvalidArgumentError on the other side', () => {
    let caught: ContractError | undefined
    try {
      parseParams('streams.open', { connectionId: 'l', path: 'a b' })
    } catch (err) {
      caught = err as ContractError
    }
    const rebuilt = deserializeError({
      name: caught!.name,
      code: caught!.code,
      message: caught!.message,
      details: { field: caught!.field },
    })
    expect(isInvalidArgumentError(rebuilt)).toBe(true)
    expect((rebuilt as Error & { field: string }).field).toBe('path')
  })
})
