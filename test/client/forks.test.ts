/**
 * Fork creation through `createStream({ forkedFrom, forkOffset })` against a real server,
 * and the 410 Gone of a soft-deleted source (StreamGoneError).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  Client,
  StreamGoneError,
  StreamNotFoundError,
  isStreamGoneError,
} from '../../src-shared/client/index.js'
import { startServer, type TestServer } from '../helpers/server.js'

let srv: TestServer
let client: Client
let n = 0
const path = (): string => `/t/fork-${process.pid}-${++n}`

beforeAll(async () => {
  srv = await startServer()
  client = new Client({
    baseUrl: srv.url,
    retry: { maxRetries: 1, initialDelayMs: 5, maxDelayMs: 5 },
  })
})
afterAll(async () => {
  await client.close()
  await srv.stop()
})

describe('forks', () => {
  it('a fork at the tail inherits the data and the content type, then diverges', async () => {
    const src = await client.create(path(), { contentType: 'application/json' })
    await src.append('a')
    await src.append('b')
    const fork = client.stream(path())
    const res = await fork.createStream({ forkedFrom: srv.pathOf(src.url) })
    expect(res.status).toBe(201)
    expect(fork.contentType).toBe('application/json')
    await fork.append('fork-only')
    await src.append('source-only')
    expect(await fork.readAll()).toEqual(['a', 'b', 'fork-only'])
    expect(await src.readAll()).toEqual(['a', 'b', 'source-only'])
  })

  it('a fork at a stored offset inherits only the data before it', async () => {
    const src = await client.create(path(), { contentType: 'text/plain' })
    const first = await src.append('one ')
    await src.append('two')
    const fork = client.stream(path())
    await fork.createStream({ forkedFrom: srv.pathOf(src.url), forkOffset: first.nextOffset! })
    expect((await fork.readText({ live: false }).toArray()).join('')).toBe('one ')
  })

  it('forking a missing source is a StreamNotFoundError', async () => {
    await expect(client.stream(path()).createStream({ forkedFrom: path() })).rejects.toBeInstanceOf(
      StreamNotFoundError,
    )
  })

  it('a deleted source with a live fork is gone (410): StreamGoneError', async () => {
    const src = await client.create(path(), { contentType: 'text/plain', body: 'x' })
    const fork = client.stream(path())
    await fork.createStream({ forkedFrom: srv.pathOf(src.url) })
    await src.delete()
    const err = await src.head().catch((e: unknown) => e)
    expect(err).toBeInstanceOf(StreamGoneError)
    expect(isStreamGoneError(err)).toBe(true)
    expect((err as StreamGoneError).status).toBe(410)
    expect((err as Error).message).toContain(src.url)
    await expect(src.readAll()).rejects.toBeInstanceOf(StreamGoneError)
    await expect(src.append('y')).rejects.toBeInstanceOf(StreamGoneError)
    expect((await fork.readText({ live: false }).toArray()).join('')).toBe('x')
  })
})
