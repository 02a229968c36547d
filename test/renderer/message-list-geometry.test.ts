import { describe, expect, it } from 'vitest'
import { geometry, gridMove, MAX_PX } from '../../src-renderer/src/components/browser/list-model.js'

describe('virtual list geometry', () => {
  it('places rows at index × row height while the content fits', () => {
    const g = geometry(100, 240, 24)
    expect(g.virt).toBe(2400)
    expect(g.perView).toBe(10)
    expect(g.firstAt(0)).toBe(0)
    expect(g.firstAt(240)).toBe(10)
    expect(g.topOf(37)).toBe(37 * 24)
  })

  it('fills at least the viewport with few rows', () => {
    const g = geometry(3, 500, 24)
    expect(g.virt).toBe(500)
    expect(g.perView).toBe(20)
  })

  it('compresses past MAX_PX and still reaches the first and the last row', () => {
    const total = 1_000_000
    const height = 600
    const g = geometry(total, height, 24)
    expect(g.virt).toBe(MAX_PX)
    const maxTop = g.virt - height
    expect(g.firstAt(0)).toBe(0)
    // At the bottom of the scrollbar the last screen of rows is shown.
    expect(g.firstAt(maxTop)).toBe(total - g.perView)
    expect(g.topOf(total - 1)).toBe(maxTop)
    // Half-way down the scrollbar is half-way through the rows.
    expect(Math.round(g.firstAt(maxTop / 2))).toBe(Math.round((total - g.perView) / 2))
    // topOf and firstAt are inverse.
    expect(Math.round(g.firstAt(g.topOf(123_456)))).toBe(123_456)
  })

  it('counts at least one row per view in a tiny viewport', () => {
    expect(geometry(10, 5, 24).perView).toBe(1)
  })
})

describe('grid keys', () => {
  it('j/k and arrows step, clamped to the list', () => {
    expect(gridMove('j', 3, 10, 5)).toBe(4)
    expect(gridMove('ArrowDown', 9, 10, 5)).toBe(9)
    expect(gridMove('k', 0, 10, 5)).toBe(0)
    expect(gridMove('ArrowUp', 5, 10, 5)).toBe(4)
  })

  it('from no selection, down goes to the first row and up to the last', () => {
    expect(gridMove('j', null, 10, 5)).toBe(0)
    expect(gridMove('k', null, 10, 5)).toBe(9)
  })

  it('g/Home and G/End go to the ends; pages move by a screen less one row', () => {
    expect(gridMove('g', 7, 10, 5)).toBe(0)
    expect(gridMove('Home', 7, 10, 5)).toBe(0)
    expect(gridMove('G', 0, 10, 5)).toBe(9)
    expect(gridMove('End', 0, 10, 5)).toBe(9)
    expect(gridMove('PageDown', 0, 100, 21)).toBe(20)
    expect(gridMove('PageUp', 50, 100, 21)).toBe(30)
    expect(gridMove('PageUp', 3, 100, 21)).toBe(0)
  })

  it('other keys and an empty list are not moves', () => {
    expect(gridMove('x', 1, 10, 5)).toBeNull()
    expect(gridMove('Enter', 1, 10, 5)).toBeNull()
    expect(gridMove('j', null, 0, 5)).toBeNull()
  })
})
