import { describe, expect, it } from 'vitest'
import type {
  ConnectionInfo,
  StreamInfo,
  StreamSummary,
} from '../../../src-shared/contract/index.js'
import { useTestApp } from '../../testing/harness.js'

const { ok } = useTestApp()

describe('stream summaries (the sidebar)', () => {
  it('carry the next offset the server reports, and closed state; a failure stays per stream', async () => {
    const local = (await ok<ConnectionInfo[]>('connections.list', {}))[0]
    if (!local) throw new Error('no local connection')
    const connectionId = local.id
    await ok<StreamInfo>('streams.create', {
      connectionId,
      path: 'sum/open',
      contentType: 'application/json',
    })
    await ok('streams.append', {
      connectionId,
      path: 'sum/open',
      body: { kind: 'jsonText', text: '[{"n":1},{"n":2}]' },
    })
    await ok<StreamInfo>('streams.create', {
      connectionId,
      path: 'sum/closed',
      contentType: 'text/plain',
      closed: true,
    })
    const head = await ok<StreamInfo>('streams.head', { connectionId, path: 'sum/open' })
    const list = await ok<StreamSummary[]>('streams.summaries', {
      connectionId,
      paths: ['sum/open', 'sum/closed', 'sum/missing'],
    })
    expect(list[0]).toEqual({
      path: 'sum/open',
      contentType: 'application/json',
      closed: false,
      nextOffset: head.nextOffset,
      error: null,
    })
    expect(head.nextOffset).toMatch(/^\d+_\d+$/)
    expect(list[1]).toMatchObject({ path: 'sum/closed', closed: true, error: null })
    expect(list[1]?.nextOffset).toMatch(/^\d+_\d+$/)
    expect(list[2]).toMatchObject({ path: 'sum/missing', nextOffset: null, closed: null })
    expect(list[2]?.error).toMatch(/not found/i)
  })
})
