/**
 * The State view's main side against a real server: catch-up, live tail, time travel by
 * position / offset / message address, history, export, errors, owner disposal.
 */
import { describe, expect, it, vi } from 'vitest'
import { stateHandlers } from '../../src-main/domains/state/handlers.js'
import { StateService } from '../../src-main/domains/state/service.js'
import type { StateEvents } from '../../src-shared/contract/index.js'
import { client, srv, useLiveServer } from '../helpers/live-server.js'

useLiveServer()

const ins = (type: string, key: string, value: unknown): unknown => ({
  type,
  key,
  value,
  headers: { operation: 'insert' },
})

const json = (v: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(v))

function service(): { svc: StateService; events: StateEvents['state.progress'][] } {
  const events: StateEvents['state.progress'][] = []
  const svc = new StateService({
    stream: (_c, path) => Promise.resolve(client.stream(path)),
    emit: (_owner, _e, payload) => events.push(payload),
    progressMs: 20,
  })
  return { svc, events }
}

describe('StateService', () => {
  it('materializes catch-up and live changes, travels in time, lists a key history', async () => {
    const path = new URL(srv.streamUrl('state')).pathname
    const s = await client.create(path, { contentType: 'application/json' })
    // Pre-serialised JSON array: one response holding two messages.
    await s.append(json([ins('user', 'u1', { name: 'Ann' }), ins('user', 'u2', { name: 'Bo' })]))
    await s.append({ headers: { control: 'snapshot-end' } })
    const { svc, events } = service()
    try {
      const opened = await svc.open('w1', { connectionId: 'c', path })
      const id = opened.sessionId
      await vi.waitFor(() => expect(events.at(-1)?.upToDate).toBe(true), { timeout: 5_000 })
      expect(events.at(-1)!.looksLikeState).toBe(true)
      expect(events.at(-1)!.counters.warnings).toBe(1) // snapshot-end without a start
      const afterFirst = events.at(-1)!.position.address!.endOffset

      await s.append({
        type: 'user',
        key: 'u1',
        value: { name: 'Ann', age: 3 },
        headers: { operation: 'update', txid: 'tx-9' },
      })
      await vi.waitFor(
        () => expect(events.at(-1)!.changed).toEqual([{ type: 'user', key: 'u1' }]),
        { timeout: 5_000 },
      )
      const page = svc.page('w1', id, { type: 'user', from: 0, count: 10 })
      expect(page.rows).toEqual([
        { key: 'u1', value: { name: 'Ann', age: 3 } },
        { key: 'u2', value: { name: 'Bo' } },
      ])
      expect(page.columns).toEqual(['name', 'age'])

      // As of the offset after the first two responses: before the update.
      const past = svc.asOf('w1', id, { offset: afterFirst })
      expect(past.position).toMatchObject({ live: false, position: 2, total: 3 })
      expect(svc.page('w1', id, { type: 'user', from: 0, count: 10 }).rows[0]!.value).toEqual({
        name: 'Ann',
      })
      expect(svc.asOf('w1', id, { position: 1 }).types).toEqual([{ type: 'user', rows: 1 }])
      expect(svc.asOf('w1', id, { offset: '-1' }).types).toEqual([])
      // The first message of the first response.
      const first = svc.asOf('w1', id, { offset: '-1', inBatch: 0 })
      expect(first.position.position).toBe(1)
      expect(() => svc.asOf('w1', id, { position: 99 })).toThrow(/past the last change/)
      expect(svc.asOf('w1', id, { live: true }).position.live).toBe(true)

      // The dispatcher's state.asOf answers with the page asked for (one round trip per jump).
      const asOf = stateHandlers(() => svc)['state.asOf']
      const moved = await asOf('w1', {
        sessionId: id,
        asOf: { position: 1 },
        page: { type: 'user', from: 0, count: 10 },
      })
      expect(moved.position.position).toBe(1)
      expect(moved.page?.rows).toEqual([{ key: 'u1', value: { name: 'Ann' } }])
      const noTable = await asOf('w1', {
        sessionId: id,
        asOf: { position: 0 },
        page: { type: 'user', from: 0, count: 10 },
      })
      expect(noTable.page).toBeNull()
      const badFilter = await asOf('w1', {
        sessionId: id,
        asOf: { live: true },
        page: { type: 'user', from: 0, count: 10, filter: { path: '$.a ==' } },
      })
      expect(badFilter).toMatchObject({ page: null, position: { live: true } })

      const h = svc.keyHistory('w1', id, 'user', 'u1')
      expect(h.entries.map((e) => [e.op, e.txid])).toEqual([
        ['insert', null],
        ['update', 'tx-9'],
      ])
      expect(h.entries[1]!.diff).toEqual([{ kind: 'added', path: '$.age', after: 3 }])

      const ex = svc.exportJson('w1', id)
      expect(JSON.parse(ex.json)).toMatchObject({
        asOf: { live: true, position: 3 },
        state: { user: { u1: { name: 'Ann', age: 3 }, u2: { name: 'Bo' } } },
      })
      expect(ex.fileName).toMatch(/-state\.json$/)
      const warnings = svc.logItems('w1', id, 'warnings', 0, 10)
      expect(warnings.items[0]).toMatchObject({ code: 'snapshot-nesting', messageIndex: 2 })

      expect(() => svc.page('w2', id, { type: 'user', from: 0, count: 1 })).toThrow(
        /Unknown state session/,
      )
      expect(svc.disposeOwner('w1')).toBe(1)
      expect(svc.count()).toBe(0)
    } finally {
      await svc.closeAll()
    }
  })

  it('refuses a non-JSON stream with a typed error, and a missing one with NOT_FOUND', async () => {
    const path = new URL(srv.streamUrl('text')).pathname
    await client.create(path, { contentType: 'text/plain' })
    const { svc } = service()
    await expect(svc.open('w', { connectionId: 'c', path })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      field: 'path',
      message: expect.stringMatching(/reads JSON streams.*text\/plain/) as unknown,
    })
    await expect(svc.open('w', { connectionId: 'c', path: '/t/missing-x' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      status: 404,
    })
    expect(svc.count()).toBe(0)
  })

  it('applies an as-of target asked for before the catch-up reached it', async () => {
    const path = new URL(srv.streamUrl('pending')).pathname
    const s = await client.create(path, { contentType: 'application/json' })
    for (let i = 0; i < 5; i++) await s.append(ins('t', `k${i}`, i))
    const { svc, events } = service()
    try {
      const opened = await svc.open('w', { connectionId: 'c', path, asOf: { position: 3 } })
      await vi.waitFor(() => expect(events.at(-1)?.upToDate).toBe(true), { timeout: 5_000 })
      expect(events.at(-1)!.position).toMatchObject({ live: false, position: 3, total: 5 })
      expect(svc.page('w', opened.sessionId, { type: 't', from: 0, count: 10 }).total).toBe(3)
    } finally {
      await svc.closeAll()
    }
  })
})
