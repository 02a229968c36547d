import { describe, expect, it } from 'vitest'
import type { ConnectionInfo, StreamInfo } from '../../../src-shared/contract/index.js'
import { useTestApp } from '../../testing/harness.js'

/** A streams.append body holding one JSON message. */
const json = (value: unknown) => ({ kind: 'jsonText', text: JSON.stringify([value]) })

const { call, ok } = useTestApp()

describe('StreamService handle cache', () => {
  it('serves fresh handles after a profile edit closes the connection client', async () => {
    const local = (await ok<ConnectionInfo[]>('connections.list', {}))[0]
    if (!local) throw new Error('no local connection')
    const profile = await ok<ConnectionInfo>('connections.save', {
      name: 'Remote',
      baseUrl: local.baseUrl,
    })
    await ok<StreamInfo>('streams.create', {
      connectionId: profile.id,
      path: 'cached-a',
      contentType: 'application/json',
    })
    await ok('streams.append', {
      connectionId: profile.id,
      path: 'cached-a',
      body: json({ n: 1 }),
    })
    expect(
      await ok<StreamInfo>('streams.head', { connectionId: profile.id, path: 'cached-a' }),
    ).toMatchObject({ path: 'cached-a' })

    // Editing the profile (only its name) closes and replaces the connection's client.
    await ok('connections.save', { id: profile.id, name: 'Remote 2', baseUrl: local.baseUrl })

    const head = await call('streams.head', { connectionId: profile.id, path: 'cached-a' })
    expect(head).toMatchObject({ ok: true, value: { path: 'cached-a' } })
    const append = await call('streams.append', {
      connectionId: profile.id,
      path: 'cached-a',
      body: json({ n: 2 }),
    })
    expect(append.ok).toBe(true)
  })
})
