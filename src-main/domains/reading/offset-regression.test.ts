/**
 * Issue #11, defect 1, the app's side: a server that answers a live read at offset X with
 * `Stream-Next-Offset` < X (the file-backed reference server does, when its segment file is
 * visible before its metadata) must not make a browse session or the registry watch move
 * backwards or take a message twice. Both read through the client's readers, which drop such a
 * response and read X again; these tests pin that down for the app paths.
 */
import type http from 'node:http'
import { setTimeout as delay } from 'node:timers/promises'
import { describe, expect, it } from 'vitest'
import { Client } from '../../../src-shared/client/node.js'
import { useSwitchableRawServer } from '../../../test/helpers/switchable-raw-server.js'
import { waitFor } from '../../testing/harness.js'
import { BrowseSession } from './browse-session.js'
import { RegistryWatcher } from '../streams/registry-watch.js'

const raw = useSwitchableRawServer()

/** Serves JSON arrays by requested offset; `null` leaves the request open (a live wait). */
function byOffset(
  answer: (offset: string, seen: number) => { items: unknown[]; next: string } | null,
): {
  seen: Map<string, number>
  handler: (req: http.IncomingMessage, res: http.ServerResponse) => void
} {
  const seen = new Map<string, number>()
  return {
    seen,
    handler: (req, res) => {
      const offset = new URL(req.url ?? '/', 'http://x').searchParams.get('offset') ?? '-1'
      const n = (seen.get(offset) ?? 0) + 1
      seen.set(offset, n)
      const a = answer(offset, n)
      if (a === null) return
      res.writeHead(200, {
        'content-type': 'application/json',
        'stream-next-offset': a.next,
        'stream-up-to-date': 'true',
        'stream-cursor': '1',
      })
      res.end(JSON.stringify(a.items))
    },
  }
}

const fastClient = (): Client =>
  new Client({
    baseUrl: raw.url,
    timeout: 60_000,
    retry: { maxRetries: 5, initialDelayMs: 10, maxDelayMs: 50, multiplier: 2 },
  })

describe('a live read answered with a lower offset', () => {
  it('a browse session keeps each message once and its offset never moves back', async () => {
    const server = byOffset((offset, n) => {
      if (offset === '-1') return { items: [{ i: 0 }, { i: 1 }], next: '0002' }
      if (offset === '0002') return { items: [{ i: 2 }], next: '0003' }
      // The regression: nothing, and an offset before the one asked for.
      if (offset === '0003' && n === 1) return { items: [], next: '0001' }
      if (offset === '0003') return { items: [{ i: 3 }], next: '0004' }
      // Following 0001 would take messages 1 and 2 again.
      if (offset === '0001') return { items: [{ i: 1 }, { i: 2 }], next: '0003' }
      return null
    })
    raw.handler = server.handler
    const c = fastClient()
    const offsets: string[] = []
    const s: BrowseSession = new BrowseSession({
      id: 's',
      ownerId: 'w',
      stream: c.stream('/s'),
      contentType: 'application/json',
      startOffset: '-1',
      live: 'long-poll',
      maxCached: 1000,
      onChange: () => offsets.push(s.nextOffset),
    })
    try {
      s.start()
      await waitFor(() => (server.seen.get('0004') ?? 0) > 0, 5000, 'the read at 0004')
      await delay(100)
      const rows = (await s.page(0, 100, 'all')).rows.map(
        (r) => (r.payload as { value: { i: number } }).value.i,
      )
      expect(rows).toEqual([0, 1, 2, 3])
      expect(s.nextOffset).toBe('0004')
      expect(server.seen.get('0001')).toBeUndefined()
      const moved = offsets.filter((o) => o !== '-1')
      expect(moved).toEqual([...moved].sort())
      expect(s.error).toBeNull()
    } finally {
      await s.dispose()
      await c.close()
    }
  })

  it('the registry watch reports a deletion once, not again from the lower offset', async () => {
    const deleted = { key: '/gone', headers: { operation: 'delete' } }
    const server = byOffset((offset, n) => {
      if (offset === 'now') return { items: [deleted], next: '0002' }
      if (offset === '0002' && n === 1) return { items: [], next: '0001' }
      if (offset === '0001') return { items: [deleted], next: '0002' }
      return null
    })
    raw.handler = server.handler
    const c = fastClient()
    const reports: string[][] = []
    const watcher = new RegistryWatcher({
      open: () => Promise.resolve(c.stream('/__registry__')),
      onChange: () => undefined,
      onDeleted: (_id, paths) => reports.push(paths),
      retryMs: 20,
      coalesceMs: 10,
    })
    try {
      watcher.watch('remote')
      await waitFor(() => (server.seen.get('0002') ?? 0) >= 2, 5000, 'the read at 0002 again')
      await delay(100)
      expect(reports).toEqual([['/gone']])
      expect(server.seen.get('0001')).toBeUndefined()
    } finally {
      watcher.close()
      await c.close()
    }
  })
})
