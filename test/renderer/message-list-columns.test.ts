import { describe, expect, it } from 'vitest'
import {
  columnWidth,
  COLUMNS,
  defaultColumns,
  gridTemplate,
  shownColumns,
} from '../../src-renderer/src/state/columns.js'

describe('message list columns', () => {
  it('shows every column by default, the message column taking the rest', () => {
    const s = defaultColumns()
    expect(shownColumns(s).map((c) => c.id)).toEqual(['n', 'address', 'time', 'size', 'value'])
    expect(gridTemplate(s)).toBe('48px 124px 92px 56px minmax(120px, 1fr)')
  })

  it('leaves hidden columns out of the rows and the grid', () => {
    const t: Parameters<typeof gridTemplate>[0] = { hidden: ['time', 'size'], widths: {} }
    expect(shownColumns(t).map((c) => c.id)).toEqual(['n', 'address', 'value'])
    expect(gridTemplate(t)).toBe('48px 124px minmax(120px, 1fr)')
  })

  it('never hides the message column', () => {
    const s = { hidden: ['value' as const], widths: {} }
    expect(shownColumns(s).map((c) => c.id)).toContain('value')
  })

  it('uses stored widths, not below a column minimum', () => {
    const address = COLUMNS.find((c) => c.id === 'address')
    if (!address) throw new Error('no address column')
    expect(columnWidth({ hidden: [], widths: { address: 300 } }, address)).toBe(300)
    expect(columnWidth({ hidden: [], widths: { address: 5 } }, address)).toBe(address.min)
  })
})
