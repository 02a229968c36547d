import { describe, expect, it } from 'vitest'
import type { StreamEntry, StreamInfo } from '../../src-shared/contract/index.js'
import { tempDir, useTestApp } from '../testing/harness.js'
import { EmbeddedServer } from '../domains/connections/embedded-server.js'

const fixture = useTestApp()
const { call, ok, messages } = fixture

describe('AppCore + stream services against the embedded server', () => {
  it('lists the Local connection on the embedded server', async () => {
    const conns = await ok<Array<{ id: string; name: string; baseUrl: string }>>(
      'connections.list',
      {},
    )
    expect(conns).toHaveLength(1)
    expect(conns[0]).toMatchObject({ id: 'local', name: 'Local', kind: 'embedded' })
    expect(conns[0]?.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1\/stream$/)
  })

  it('creates, appends, heads, reads, closes, deletes', async () => {
    const created = await ok<StreamInfo>('streams.create', {
      connectionId: 'local',
      path: 'orders',
      contentType: 'application/json',
    })
    expect(created).toMatchObject({
      path: 'orders',
      contentType: 'application/json',
      closed: false,
    })
    await ok<{ nextOffset: string }>('streams.append', {
      connectionId: 'local',
      path: 'orders',
      body: { kind: 'jsonText', text: '{"id":1}' },
    })
    const a2 = await ok<{ nextOffset: string }>('streams.append', {
      connectionId: 'local',
      path: 'orders',
      body: { kind: 'jsonText', text: '[[1,2]]' },
    })
    expect(await messages('local', 'orders')).toEqual([
      { kind: 'json', value: { id: 1 } },
      { kind: 'json', value: [1, 2] },
    ])

    const closed = await ok<{ finalOffset: string }>('streams.close', {
      connectionId: 'local',
      path: 'orders',
    })
    expect(closed.finalOffset).toBe(a2.nextOffset)
    const head = await ok<StreamInfo>('streams.head', { connectionId: 'local', path: 'orders' })
    expect(head.closed).toBe(true)
    const late = await call('streams.append', {
      connectionId: 'local',
      path: 'orders',
      body: { kind: 'jsonText', text: '3' },
    })
    expect(late).toMatchObject({
      ok: false,
      error: { name: 'StreamClosedError', code: 'STREAM_CLOSED', status: 409 },
    })

    await ok('streams.delete', { connectionId: 'local', path: 'orders' })
    const gone = await call('streams.head', { connectionId: 'local', path: 'orders' })
    expect(gone).toMatchObject({ ok: false, error: { name: 'StreamNotFoundError', status: 404 } })
    expect(gone.ok ? '' : gone.error.url).toContain('/v1/stream/orders')
  })

  it('text and binary streams round-trip', async () => {
    await ok('streams.create', {
      connectionId: 'local',
      path: 'log.txt',
      contentType: 'text/plain',
    })
    await ok('streams.append', {
      connectionId: 'local',
      path: 'log.txt',
      body: { kind: 'text', text: 'héllo ' },
    })
    await ok('streams.append', {
      connectionId: 'local',
      path: 'log.txt',
      body: { kind: 'text', text: 'wörld' },
    })
    const text = await messages('local', 'log.txt')
    expect(text.map((m) => (m.kind === 'text' ? m.text : '?')).join('')).toBe('héllo wörld')

    await ok('streams.create', {
      connectionId: 'local',
      path: 'blob',
      contentType: 'application/octet-stream',
    })
    await ok('streams.append', {
      connectionId: 'local',
      path: 'blob',
      body: { kind: 'base64', base64: 'AAEC/w==' },
    })
    expect(await messages('local', 'blob')).toEqual([
      { kind: 'bytes', base64: 'AAEC/w==', size: 4 },
    ])
  })

  it('lists streams from __registry__ plus opened ones', async () => {
    await ok('streams.create', {
      connectionId: 'local',
      path: 'reg/a',
      contentType: 'application/json',
    })
    const list = await ok<StreamEntry[]>('streams.list', { connectionId: 'local' })
    expect(list.find((s) => s.path === 'reg/a')).toEqual({
      path: 'reg/a',
      contentType: 'application/json',
      source: 'both',
    })
    // Deleted streams leave the registry-derived list.
    expect(list.find((s) => s.path === 'orders')).toBeUndefined()
    // A stream created behind the app's back is discovered through the registry.
    const base = fixture.app.embedded!.baseUrl
    const res = await fetch(`${base}/outside`, {
      method: 'PUT',
      headers: { 'content-type': 'text/plain' },
    })
    expect(res.status).toBe(201)
    const again = await ok<StreamEntry[]>('streams.list', { connectionId: 'local' })
    expect(again.find((s) => s.path === 'outside')).toEqual({
      path: 'outside',
      contentType: 'text/plain',
      source: 'registry',
    })
  })

  it('rejects bad payloads at the boundary with INVALID_ARGUMENT naming the field', async () => {
    const r = await call('streams.create', {
      connectionId: 'local',
      path: 'x y',
      contentType: 'text/plain',
    })
    expect(r).toMatchObject({
      ok: false,
      error: { code: 'INVALID_ARGUMENT', details: { field: 'path' } },
    })
    const m = await call('streams.explode', {})
    expect(m).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } })
    const u = await call('streams.list', { connectionId: 'nope' })
    expect(u).toMatchObject({ ok: false, error: { message: 'Unknown connection "nope"' } })
  })

  it('persists opened streams in settings.json', async () => {
    await ok('streams.open', { connectionId: 'local', path: 'log.txt' })
    const settings = await fixture.app.settings.load()
    expect(settings.openedStreams.local).toContain('log.txt')
  })
})

describe('EmbeddedServer', () => {
  it('keeps data across restarts (file-backed) and stops cleanly', async () => {
    const d = tempDir()
    try {
      const s1 = new EmbeddedServer({ userDataDir: d.path })
      const base1 = await s1.start()
      await fetch(`${base1}/keep`, { method: 'PUT', headers: { 'content-type': 'text/plain' } })
      await fetch(`${base1}/keep`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain' },
        body: 'kept',
      })
      await s1.stop()
      await expect(fetch(`${base1}/keep`)).rejects.toThrow()
      const s2 = new EmbeddedServer({ userDataDir: d.path })
      const base2 = await s2.start()
      const res = await fetch(`${base2}/keep?offset=-1`)
      expect(await res.text()).toBe('kept')
      await s2.stop()
    } finally {
      d.remove()
    }
  })
})
