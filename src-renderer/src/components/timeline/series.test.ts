import { describe, expect, it } from 'vitest'
import { RateHistory, SampleRing, messagesBetween } from './series'

describe('timeline samples of one read session', () => {
  it('keeps at most its capacity, dropping the oldest', () => {
    const r = new SampleRing(4)
    for (let i = 0; i < 10; i++) r.push(1000 + i * 100, i * 10, `o${i}`, i * 5)
    expect(r.length).toBe(4)
    expect([0, 1, 2, 3].map((i) => r.countAt(i))).toEqual([60, 70, 80, 90])
    expect(r.offsetAt(0)).toBe('o6')
    expect(r.bytesAt(3)).toBe(45)
  })

  it('an idle session moves its last sample instead of filling the ring', () => {
    const r = new SampleRing(8)
    r.push(1000, 5, 'a', 0)
    r.push(1100, 5, 'a', 0)
    for (let t = 1200; t < 5000; t += 100) r.push(t, 5, 'a', 0)
    expect(r.length).toBe(2)
    expect(r.timeAt(1)).toBe(4900)
  })

  it('never goes back in time', () => {
    const r = new SampleRing(8)
    r.push(2000, 1, 'a', 0)
    r.push(1500, 2, 'b', 0)
    expect(r.timeAt(1)).toBe(2000)
  })

  it('answers how many messages had arrived by a time, and when a position arrived', () => {
    const r = new SampleRing(16)
    r.push(1000, 0, 'a', 0)
    r.push(2000, 100, 'b', 0)
    r.push(3000, 150, 'c', 0)
    expect(r.receivedBy(500)).toBe(0)
    expect(r.receivedBy(1999)).toBe(0)
    expect(r.receivedBy(2000)).toBe(100)
    expect(r.receivedBy(2500)).toBe(100)
    expect(r.receivedBy(9000)).toBe(150)
    expect(r.timeOfIndex(0)).toBe(2000)
    expect(r.timeOfIndex(99)).toBe(2000)
    expect(r.timeOfIndex(100)).toBe(3000)
    expect(r.timeOfIndex(150)).toBeNull()
  })

  it('maps a brushed time range to the positions received in it', () => {
    const r = new SampleRing(16)
    r.push(1000, 0, 'a', 0)
    r.push(2000, 100, 'b', 0)
    r.push(3000, 150, 'c', 0)
    r.push(4000, 150, 'c', 0)
    expect(messagesBetween(r, 1500, 2500)).toEqual({ from: 0, to: 99 })
    expect(messagesBetween(r, 2500, 1500)).toEqual({ from: 0, to: 99 })
    expect(messagesBetween(r, 2500, 3500)).toEqual({ from: 100, to: 149 })
    expect(messagesBetween(r, 500, 9000)).toEqual({ from: 0, to: 149 })
    expect(messagesBetween(r, 3100, 3900)).toBeNull()
  })
})

describe('throughput history', () => {
  const at = 100_000_400

  it('places snapshot buckets on their seconds and reads unseen seconds as 0 on the clock', () => {
    const h = new RateHistory(3600)
    h.write(at, [0, 0, 40, 50], [0, 0, 4000, 5000], at - 3000)
    const s = h.series(at)
    expect(s.msgs).toEqual([0, 0, 40, 50])
    expect(s.t[3]).toBe(Math.floor(at / 1000) * 1000 + 500)
    // Ten seconds later with no new snapshot: the rate has fallen to 0 for the new seconds.
    const later = h.series(at + 10_000)
    expect(later.msgs.slice(0, 4)).toEqual([0, 0, 40, 50])
    expect(later.msgs.slice(4)).toEqual(new Array<number>(10).fill(0))
    expect(later.bytes.slice(2, 4)).toEqual([4000, 5000])
  })

  it('a newer snapshot overwrites the seconds it covers', () => {
    const h = new RateHistory(3600)
    h.write(at, [10, 20], null, 0)
    h.write(at + 1000, [25, 30], null, 0)
    expect(h.series(at + 1000).msgs).toEqual([10, 25, 30])
  })

  it('leaves seconds before the session alone (they belong to the previous one)', () => {
    const h = new RateHistory(3600)
    h.write(at, [7, 8, 9], null, 0)
    h.write(at + 2000, [0, 0, 0, 0, 1], null, at + 1000)
    expect(h.series(at + 2000).msgs).toEqual([7, 8, 9, 0, 1])
  })

  it('stays bounded to its capacity', () => {
    const h = new RateHistory(10)
    h.write(at, new Array<number>(60).fill(3), null, 0)
    expect(h.series(at).msgs).toHaveLength(10)
    expect(h.series(at + 100_000).msgs).toHaveLength(10)
  })
})
