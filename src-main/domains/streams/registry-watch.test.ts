import { describe, expect, it } from 'vitest'
import type { ConnectionInfo, StreamEntry } from '../../../src-shared/contract/index.js'
import type { BrowseProgress } from '../../../src-shared/contract/index.js'
import { useTestApp, waitFor } from '../../testing/harness.js'

const fixture = useTestApp('w')
const { log, ok } = fixture

describe('registry followed live', () => {
  it('announces streams created and deleted by another client', async () => {
    const base = fixture.app.embedded?.baseUrl
    if (!base) throw new Error('no embedded server')
    // Listing starts the live read (the registry may not exist yet: it is then retried).
    await ok<StreamEntry[]>('streams.list', { connectionId: 'local' })
    await ok('streams.create', { connectionId: 'local', path: 'seed', contentType: 'text/plain' })
    await ok('streams.open', { connectionId: 'local', path: 'seed' })
    await ok<StreamEntry[]>('streams.list', { connectionId: 'local' })
    const before = log.of('streams.changed').length

    const put = await fetch(`${base}/other/created`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
    })
    expect(put.status).toBe(201)
    await waitFor(() => log.of('streams.changed').length > before, 8000, 'a registry change')
    let list = await ok<StreamEntry[]>('streams.list', { connectionId: 'local' })
    expect(list.map((e) => e.path)).toContain('other/created')

    const changes = log.of('streams.changed').length
    await fetch(`${base}/other/created`, { method: 'DELETE' })
    await waitFor(() => log.of('streams.changed').length > changes, 8000, 'a registry delete')
    list = await ok<StreamEntry[]>('streams.list', { connectionId: 'local' })
    expect(list.map((e) => e.path)).not.toContain('other/created')

    // An opened stream deleted by someone else leaves the list too.
    const seedChanges = log.of('streams.changed').length
    await fetch(`${base}/seed`, { method: 'DELETE' })
    await waitFor(() => log.of('streams.changed').length > seedChanges, 8000, 'seed deleted')
    list = await ok<StreamEntry[]>('streams.list', { connectionId: 'local' })
    expect(list.map((e) => e.path)).not.toContain('seed')
  })
})

describe('a stream deleted under an open browse session', () => {
  it('shows the deletion at once (the session reads again and gets 404), not after the SSE idle limit', async () => {
    const base = fixture.app.embedded?.baseUrl
    if (!base) throw new Error('no embedded server')
    await ok('streams.create', {
      connectionId: 'local',
      path: 'doomed',
      contentType: 'application/json',
    })
    await ok<StreamEntry[]>('streams.list', { connectionId: 'local' })
    const { sessionId } = await ok<{ sessionId: string }>('reading.open', {
      connectionId: 'local',
      path: 'doomed',
      start: '-1',
      live: 'sse',
    })
    const progress = () =>
      log.of<BrowseProgress>('reading.progress').filter((p) => p.sessionId === sessionId)
    await waitFor(() => progress().some((p) => p.state === 'live'), 8000, 'the session to go live')
    const t0 = Date.now()
    expect((await fetch(`${base}/doomed`, { method: 'DELETE' })).status).toBe(204)
    await waitFor(
      () => progress().some((p) => p.error?.status === 404),
      8000,
      'a 404 in the session',
    )
    expect(Date.now() - t0).toBeLessThan(8000) // the SSE idle limit alone would take 65 s
    // Two paths bring the 404: the embedded server ends the SSE response of a deleted stream
    // (the reader reconnects), and the registry's delete event restarts the session (for servers
    // that keep that response open). Whichever comes first, the session ends in the 404 with
    // the registry's restart on its timeline.
    await waitFor(
      () => {
        const last = progress().at(-1)
        return (
          last?.state === 'error' &&
          last.error?.status === 404 &&
          last.timeline.markers.some((m) => m.detail === 'stream deleted (registry)')
        )
      },
      8000,
      'the 404 after the registry restart',
    )
    await ok('reading.close', { sessionId })
  })
})

describe('registry watchers only for known connections', () => {
  it('streams.list with an unknown id starts no watcher; removing a connection stops its one', async () => {
    const before = fixture.app.registry.size
    for (const connectionId of ['nope-1', 'nope-2']) {
      const r = await fixture.app.core.handle('w', 'streams.list', { connectionId })
      expect(r).toMatchObject({ ok: false, error: { name: 'UnknownConnectionError' } })
    }
    expect(fixture.app.registry.size).toBe(before)

    const base = fixture.app.embedded?.baseUrl
    if (!base) throw new Error('no embedded server')
    const profile = await ok<ConnectionInfo>('connections.save', { name: 'Gone', baseUrl: base })
    await ok<StreamEntry[]>('streams.list', { connectionId: profile.id })
    expect(fixture.app.registry.size).toBe(before + 1)
    await ok('connections.remove', { id: profile.id })
    expect(fixture.app.registry.size).toBe(before)
  })
})
