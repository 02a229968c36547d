/**
 * `createStream({ forkedFrom, forkOffset, forkSubOffset })`: Stream-Fork-Sub-Offset against a
 * real server (JSON: messages past the anchor; other types: bytes).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Client, InvalidArgumentError } from '../../src-shared/client/index.js'
import { startServer, type TestServer } from '../helpers/server.js'

let srv: TestServer
let client: Client
let n = 0
const path = (): string => `/t/fork-sub-${process.pid}-${++n}`

beforeAll(async () => {
  srv = await startServer()
  client = new Client({ baseUrl: srv.url, retry: { maxRetries: 0 } })
})
afterAll(async () => {
  await client.close()
  await srv.stop()
})

/** One append of several JSON messages: a raw POST of an array. */
async function postJson(url: string, values: unknown[]): Promise<void> {
  const r = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(values),
  })
  expect(r.status).toBeLessThan(300)
}

describe('fork sub-offset', () => {
  it('JSON: inherits that many messages of the append that starts at the anchor', async () => {
    const src = await client.create(path(), { contentType: 'application/json' })
    await src.append({ n: 0 })
    const { nextOffset: anchor } = await src.head()
    // One append (a POST of a JSON array) of five messages starts at the anchor; keep three.
    await postJson(
      src.url,
      [1, 2, 3, 4, 5].map((i) => ({ n: i })),
    )
    await src.append({ n: 6 })
    const fork = client.stream(path())
    await fork.createStream({
      forkedFrom: srv.pathOf(src.url),
      forkOffset: anchor ?? '',
      forkSubOffset: 3,
    })
    const got = await fork.readJson({ live: false }).toArray()
    expect(got).toEqual([{ n: 0 }, { n: 1 }, { n: 2 }, { n: 3 }])
  })

  it('bytes: inherits that many bytes past the anchor', async () => {
    const src = await client.create(path(), { contentType: 'text/plain' })
    const { nextOffset: anchor } = await src.head()
    await src.append('hello world')
    const fork = client.stream(path())
    await fork.createStream({
      forkedFrom: srv.pathOf(src.url),
      forkOffset: anchor ?? '',
      forkSubOffset: 5,
    })
    expect((await fork.readText({ live: false }).toArray()).join('')).toBe('hello')
  })

  it('past the append is refused by the server (400, typed, with the URL)', async () => {
    const src = await client.create(path(), { contentType: 'application/json' })
    const { nextOffset: anchor } = await src.head()
    await postJson(src.url, [{ a: 1 }, { a: 2 }])
    const fork = client.stream(path())
    await expect(
      fork.createStream({
        forkedFrom: srv.pathOf(src.url),
        forkOffset: anchor ?? '',
        forkSubOffset: 3,
      }),
    ).rejects.toMatchObject({ status: 400, code: 'BAD_REQUEST', url: fork.url })
  })

  it('bad values are refused before anything is sent', async () => {
    const fork = client.stream(path())
    await expect(fork.createStream({ forkedFrom: '/x', forkSubOffset: -1 })).rejects.toThrow(
      InvalidArgumentError,
    )
    await expect(fork.createStream({ forkedFrom: '/x', forkSubOffset: 1.5 })).rejects.toThrow(
      /forkSubOffset.*non-negative integer/,
    )
    await expect(fork.createStream({ forkSubOffset: 2 })).rejects.toThrow(/needs forkedFrom/)
  })
})
