import { describe, expect, it } from 'vitest'
import { parseArgs, UsageError } from './args.js'

describe('parseArgs', () => {
  it('reads the user-data dir from DSI_USER_DATA', () => {
    expect(parseArgs([], { DSI_USER_DATA: '/tmp/dsi-a' }).userDataDir).toBe('/tmp/dsi-a')
  })

  it('lets --user-data win over DSI_USER_DATA', () => {
    const env = { DSI_USER_DATA: '/tmp/dsi-a' }
    expect(parseArgs(['--user-data', '/tmp/dsi-b'], env).userDataDir).toBe('/tmp/dsi-b')
    expect(parseArgs(['--user-data=/tmp/dsi-c'], env).userDataDir).toBe('/tmp/dsi-c')
  })

  it('has no user-data dir when neither is given, and refuses an empty flag', () => {
    expect(parseArgs([], {}).userDataDir).toBeNull()
    expect(() => parseArgs(['--user-data', ''], {})).toThrow(UsageError)
  })
})
