import { describe, expect, it } from 'vitest'
import { StateLog, type Tables } from '../../src-main/domains/state/state-log.js'
import { RowIndex, exportTables, sortKeys } from '../../src-main/domains/state/rows.js'
import { diffJson } from '../../src-main/domains/state/json-diff.js'

const at = (n: number): { startOffset: string; endOffset: string } => ({
  startOffset: String(n).padStart(4, '0'),
  endOffset: String(n + 1).padStart(4, '0'),
})

function dump(t: Tables): Record<string, Record<string, unknown>> {
  return exportTables(t)
}

describe('StateLog: materialization (STATE-PROTOCOL.md)', () => {
  it('materializes the §6 example', () => {
    const log = new StateLog()
    log.ingest(
      [
        { type: 'user', key: '1', value: { name: 'Alice' }, headers: { operation: 'insert' } },
        { type: 'user', key: '2', value: { name: 'Bob' }, headers: { operation: 'insert' } },
        {
          type: 'user',
          key: '1',
          value: { name: 'Alice Smith' },
          headers: { operation: 'update' },
        },
      ],
      at(0),
    )
    expect(dump(log)).toEqual({ user: { '1': { name: 'Alice Smith' }, '2': { name: 'Bob' } } })
    expect(log.counters).toMatchObject({
      messages: 3,
      insert: 2,
      update: 1,
      delete: 0,
      warnings: 0,
    })
  })

  it('applies the §4.1 insert/update/delete examples (delete with value omitted and null)', () => {
    const log = new StateLog()
    const alice = { name: 'Alice', email: 'alice@example.com' }
    const alice2 = { name: 'Alice', email: 'alice.new@example.com' }
    log.ingest(
      [
        {
          type: 'user',
          key: 'user:123',
          value: alice,
          headers: { operation: 'insert', timestamp: '2025-01-15T10:30:00Z' },
        },
        {
          type: 'user',
          key: 'user:123',
          value: alice2,
          old_value: alice,
          headers: { operation: 'update', timestamp: '2025-01-15T10:35:00Z' },
        },
      ],
      at(0),
    )
    expect(log.table('user').get('user:123')).toEqual(alice2)
    log.ingest(
      [
        {
          type: 'user',
          key: 'user:123',
          old_value: alice2,
          headers: { operation: 'delete', timestamp: '2025-01-15T10:40:00Z' },
        },
      ],
      at(1),
    )
    expect(log.table('user').size).toBe(0)
    log.ingest(
      [{ type: 'user', key: 'user:123', value: alice, headers: { operation: 'insert' } }],
      at(2),
    )
    log.ingest(
      [
        {
          type: 'user',
          key: 'user:123',
          value: null,
          old_value: alice,
          headers: { operation: 'delete' },
        },
      ],
      at(3),
    )
    expect(log.table('user').size).toBe(0)
    expect(log.counters.warnings).toBe(0)
  })

  it('keeps multi-type streams (§8.3) in separate tables', () => {
    const log = new StateLog()
    log.ingest(
      [
        {
          type: 'user',
          key: 'user:123',
          value: { name: 'Alice' },
          headers: { operation: 'insert' },
        },
        {
          type: 'message',
          key: 'msg:456',
          value: { userId: 'user:123', text: 'Hello!' },
          headers: { operation: 'insert' },
        },
        {
          type: 'reaction',
          key: 'reaction:789',
          value: { messageId: 'msg:456', emoji: '👍' },
          headers: { operation: 'insert' },
        },
        { type: 'config', key: 'theme', value: 'dark', headers: { operation: 'insert' } },
      ],
      at(0),
    )
    expect(log.types().sort()).toEqual(['config', 'message', 'reaction', 'user'])
    expect(log.table('config').get('theme')).toBe('dark')
  })

  it('records snapshot markers and applies reset (clears state)', () => {
    const log = new StateLog()
    log.ingest(
      [
        { headers: { control: 'snapshot-start', offset: '123456_000' } },
        { type: 'user', key: '1', value: { n: 1 }, headers: { operation: 'insert' } },
        { headers: { control: 'snapshot-end', offset: '123456_789' } },
        { headers: { control: 'reset', offset: '123456_000' } },
        { type: 'user', key: '2', value: { n: 2 }, headers: { operation: 'insert' } },
      ],
      at(0),
    )
    expect(log.markers.map((m) => [m.kind, m.messageIndex, m.position, m.offset])).toEqual([
      ['snapshot-start', 0, 0, '123456_000'],
      ['snapshot-end', 2, 1, '123456_789'],
      ['reset', 3, 2, '123456_000'],
    ])
    expect(dump(log)).toEqual({ user: { '2': { n: 2 } } })
    expect(log.counters).toMatchObject({ reset: 1, snapshots: 1, warnings: 0 })
    // Before the reset the first row is there; after it, gone.
    expect(dump(log.stateAt(1))).toEqual({ user: { '1': { n: 1 } } })
    expect(dump(log.stateAt(2))).toEqual({})
  })

  it('flags malformed and protocol-violating messages with their address, never throwing', () => {
    const log = new StateLog()
    const bad: unknown[] = [
      42,
      ['x'],
      { type: 'user', key: '1', value: 1 },
      { headers: { foo: 1 } },
      { type: 'user', key: '1', value: 1, headers: { operation: 'merge' } },
      { key: '1', value: 1, headers: { operation: 'insert' } },
      { type: 'user', key: 7, value: 1, headers: { operation: 'insert' } },
      { type: 'user', key: '1', headers: { operation: 'insert' } },
      { type: 'user', key: '9', value: 1, headers: { operation: 'update' } },
      { type: 'user', key: 'nope', headers: { operation: 'delete' } },
      {
        type: 'user',
        key: '9',
        value: 2,
        headers: { operation: 'insert', timestamp: 'yesterday' },
      },
      { headers: { control: 'rewind' } },
      { headers: { control: 'snapshot-end' } },
      null,
    ]
    expect(() =>
      log.ingest(bad, { startOffset: 'A', endOffset: 'B', inBatchBase: 5 }),
    ).not.toThrow()
    expect(log.warnings.map((w) => [w.messageIndex, w.code])).toEqual([
      [0, 'not-object'],
      [1, 'not-object'],
      [2, 'no-headers'],
      [3, 'not-state-message'],
      [4, 'unknown-operation'],
      [5, 'missing-type'],
      [6, 'missing-key'],
      [7, 'missing-value'],
      [8, 'update-unknown-key'],
      [9, 'delete-unknown-key'],
      [10, 'bad-timestamp'],
      [10, 'insert-existing-key'],
      [11, 'unknown-control'],
      [12, 'snapshot-nesting'],
      [13, 'not-object'],
    ])
    expect(log.warnings[4]!.message).toContain('"merge"')
    expect(log.warnings[4]!.address).toEqual({ startOffset: 'A', endOffset: 'B', inBatch: 9 })
    // The update of an unknown key is applied (as an insert would be), the rest not.
    expect(dump(log)).toEqual({ user: { '9': 2 } })
  })
})

describe('StateLog: time travel and history', () => {
  function build(changes: number, keys: number, minCheckpointInterval = 100): StateLog {
    const log = new StateLog({ minCheckpointInterval })
    for (let i = 0; i < changes; i++) {
      const key = `k${i % keys}`
      const first = i < keys
      log.ingest(
        [
          i % 97 === 96
            ? { type: 't', key: `k${(i * 7) % keys}`, headers: { operation: 'delete' } }
            : {
                type: 't',
                key,
                value: { i, key },
                headers: { operation: first ? 'insert' : 'update', txid: `tx${i}` },
              },
        ],
        at(i),
      )
    }
    return log
  }

  it('state as of any position equals a full replay; checkpoints are periodic', () => {
    const withCp = build(3_000, 50, 100)
    const without = build(3_000, 50, 1e9)
    expect(withCp.checkpointCount).toBeGreaterThan(10)
    expect(without.checkpointCount).toBe(1)
    for (const p of [0, 1, 99, 100, 101, 777, 1_500, 2_999, 3_000]) {
      expect(dump(withCp.stateAt(p))).toEqual(dump(without.stateAt(p)))
    }
    expect(dump(withCp.stateAt(withCp.size))).toEqual(dump(withCp))
  })

  it('maps offsets and message addresses to positions', () => {
    const log = build(10, 10)
    // Response n is read at offset n and ends at n+1 (zero-padded).
    expect(log.positionAtOffset('-1')).toBe(0)
    expect(log.positionAtOffset('0003')).toBe(3)
    expect(log.positionAtOffset('0010')).toBe(10)
    expect(log.positionAtAddress('0004', 0)).toBe(5)
    expect(log.positionAtAddress('zzzz', 0)).toBeNull()
    expect(log.address(log.messageIndexAt(5))).toEqual({
      startOffset: '0004',
      endOffset: '0005',
      inBatch: 0,
    })
  })

  it('lists the history of one key with its previous values and diffs', () => {
    const log = new StateLog()
    log.ingest(
      [
        {
          type: 'u',
          key: 'a',
          value: { name: 'A', tags: ['x'] },
          headers: { operation: 'insert', txid: 't1', timestamp: '2025-01-15T10:30:00Z' },
        },
        { type: 'u', key: 'b', value: 1, headers: { operation: 'insert' } },
        {
          type: 'u',
          key: 'a',
          value: { name: 'A2', tags: ['x', 'y'], age: 3 },
          headers: { operation: 'update', txid: 't2' },
        },
        { headers: { control: 'reset' } },
        { type: 'u', key: 'a', value: { name: 'A3' }, headers: { operation: 'insert' } },
        { type: 'u', key: 'a', headers: { operation: 'delete' } },
      ],
      { startOffset: 'S', endOffset: 'E' },
    )
    const h = log.history('u', 'a')
    expect(h.total).toBe(5)
    expect(h.entries.map((e) => [e.op, e.messageIndex, e.txid])).toEqual([
      ['insert', 0, 't1'],
      ['update', 2, 't2'],
      ['reset', 3, null],
      ['insert', 4, null],
      ['delete', 5, null],
    ])
    expect(h.entries[0]!.timestamp).toBe('2025-01-15T10:30:00Z')
    expect(h.entries[1]!.previous).toEqual({ name: 'A', tags: ['x'] })
    expect(diffJson(h.entries[1]!.previous, h.entries[1]!.value).entries).toEqual([
      { kind: 'changed', path: '$.name', before: 'A', after: 'A2' },
      { kind: 'added', path: '$.tags[1]', after: 'y' },
      { kind: 'added', path: '$.age', after: 3 },
    ])
    expect(log.history('u', 'missing')).toEqual({ entries: [], total: 0 })
  })
})

describe('diffJson', () => {
  it('reports removed paths, quoted keys and whole-value changes', () => {
    expect(diffJson({ a: 1, 'odd key': { b: 2 } }, { 'odd key': {} }).entries).toEqual([
      { kind: 'removed', path: '$.a', before: 1 },
      { kind: 'removed', path: '$["odd key"].b', before: 2 },
    ])
    expect(diffJson(undefined, { a: 1 }).entries).toEqual([
      { kind: 'added', path: '$', after: { a: 1 } },
    ])
    expect(diffJson([1], { a: 1 }).entries).toEqual([
      { kind: 'changed', path: '$', before: [1], after: { a: 1 } },
    ])
    expect(diffJson({ a: 1 }, { a: 1 }).entries).toEqual([])
    const big = diffJson(
      {},
      Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`k${i}`, i])),
    )
    expect(big.entries).toHaveLength(200)
    expect(big.truncated).toBe(true)
  })
})

describe('RowIndex', () => {
  it('pages sorted rows, infers columns, filters by key text and value path', () => {
    const log = new StateLog()
    log.ingest(
      Array.from({ length: 12 }, (_, i) => ({
        type: 'task',
        key: `task-${i}`,
        value: { title: `T${i}`, done: i % 3 === 0, owner: { id: i } },
        headers: { operation: 'insert' },
      })),
      at(0),
    )
    const idx = new RowIndex()
    const v = { keys: log.keysVersion, values: log.version }
    const p = idx.page(log, v, 'task', 0, 3, null)
    expect(p.rows.map((r) => r.key)).toEqual(['task-0', 'task-1', 'task-2'])
    expect(p.total).toBe(12)
    expect(p.columns).toEqual(['title', 'done', 'owner'])
    expect(p.scalars).toBe(false)
    const last = idx.page(log, v, 'task', 10, 5, null)
    expect(last.rows.map((r) => r.key)).toEqual(['task-10', 'task-11'])
    const done = idx.page(log, v, 'task', 0, 100, { path: '$.done == true' })
    expect(done.rows.map((r) => r.key)).toEqual(['task-0', 'task-3', 'task-6', 'task-9'])
    expect(done.unfiltered).toBe(12)
    expect(idx.page(log, v, 'task', 0, 100, { text: 'TASK-1' }).total).toBe(3)
    expect(
      idx
        .page(log, v, 'task', 0, 100, { path: 'owner.id >= 10', text: '11' })
        .rows.map((r) => r.key),
    ).toEqual(['task-11'])
    expect(() => idx.page(log, v, 'task', 0, 1, { path: '$.a ==' })).toThrow(/Missing value/)
    expect(idx.indexOf(log, v, 'task', 'task-10')).toBe(10)
    // Picked from the sorted keys the type ever had (what time travel does): the same order.
    const fromUniverse = new RowIndex().page(log, v, 'task', 0, 100, null, (t) =>
      log.keysEver(t, sortKeys),
    )
    expect(fromUniverse.rows.map((r) => r.key)).toEqual(
      idx.page(log, v, 'task', 0, 100, null).rows.map((r) => r.key),
    )
  })

  it('exports a key named __proto__ as data', () => {
    const log = new StateLog()
    log.ingest(
      [{ type: 't', key: '__proto__', value: { x: 1 }, headers: { operation: 'insert' } }],
      at(0),
    )
    expect(JSON.stringify(exportTables(log))).toBe('{"t":{"__proto__":{"x":1}}}')
  })
})
