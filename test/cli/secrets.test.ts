/**
 * Secrets in a stream URL's query (`?token=…`) are never printed by dsi: not in the one-line
 * error, not in the --debug stack trace. Against a real server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startServer, type TestServer } from '../helpers/server.js'
import { dsi } from './run-dsi.js'

let srv: TestServer

beforeAll(async () => {
  srv = await startServer()
})
afterAll(async () => {
  await srv.stop()
})

describe('dsi and secrets in URLs', () => {
  it('masks query values other than the protocol offset in errors and --debug traces', async () => {
    const url = `${srv.url}/cli-secrets/missing-${process.pid}?token=s3cr3t-T0KEN&offset=-1`
    const r = await dsi(['head', url, '--debug'])
    expect(r.code).toBe(2)
    expect(r.stdout).toBe('')
    expect(r.stderr).toContain(
      `dsi: head: Stream not found: ${srv.url}/cli-secrets/missing-${process.pid}?token=REDACTED&offset=-1`,
    )
    expect(r.stderr).toMatch(/\n\s+at /) // the --debug stack trace is there
    expect(r.stderr).not.toContain('s3cr3t-T0KEN')
  })
})
