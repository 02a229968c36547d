import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DurableStreams } from '../../src-shared/client/index.js'
import { startServer, type TestServer } from '../helpers/server.js'
import { describeAppendError } from '../../src-renderer/src/state/append-errors.js'

let server: TestServer
beforeAll(async () => {
  server = await startServer()
})
afterAll(async () => {
  await server.stop()
})

/** The error a real server gives for `act`. */
async function errorOf(act: () => Promise<unknown>): Promise<unknown> {
  try {
    await act()
  } catch (err) {
    return err
  }
  throw new Error('expected the call to fail')
}

describe('append errors in words, said once', () => {
  it('a closed stream (409) is named once, not twice', async () => {
    const s = await DurableStreams.create({ url: server.streamUrl(), contentType: 'text/plain' })
    await s.close()
    const text = describeAppendError(await errorOf(() => s.append('late')))
    expect(text).toMatch(/^Stream is closed: nothing appended \(409\)\./)
    expect(text.match(/closed/gi)).toHaveLength(1)
  })

  it('a deleted stream (404) says so once', async () => {
    const s = await DurableStreams.create({ url: server.streamUrl(), contentType: 'text/plain' })
    await s.delete()
    const text = describeAppendError(await errorOf(() => s.append('late')))
    expect(text).toMatch(/^Stream not found \(404\)/)
    expect(text.match(/not found/gi)).toHaveLength(1)
  })

  it("the server's words are kept when they say more", async () => {
    const s = await DurableStreams.create({ url: server.streamUrl(), contentType: 'text/plain' })
    await s.append('a', { seq: '0005' })
    const text = describeAppendError(await errorOf(() => s.append('b', { seq: '0003' })))
    expect(text).toMatch(
      /^Stream-Seq must be greater than the last one: nothing appended \(409\)\. ./,
    )
  })
})
