import { describe, expect, it } from 'vitest'
import { ageBuckets, rateAt } from './rate'

describe('rates decay on a clock', () => {
  const spark = [...new Array<number>(58).fill(0), 40, 50]
  const at = 100_000_200 // the snapshot's time (ms)

  it('reports the snapshot rate while it is fresh', () => {
    expect(rateAt(spark, at, at)).toBe(Math.round(90 / 1.2))
  })

  it('falls to 0 within two seconds of the last message, with no new snapshot', () => {
    expect(rateAt(spark, at, at + 1000)).toBeLessThan(50)
    expect(rateAt(spark, at, at + 2000)).toBe(0)
    expect(rateAt(spark, at, at + 30_000)).toBe(0)
  })

  it('moves the sparkline left by the seconds elapsed, and empties it after a minute', () => {
    const aged = ageBuckets(spark, at, at + 3000)
    expect(aged).toHaveLength(60)
    expect(aged.slice(-5)).toEqual([40, 50, 0, 0, 0])
    expect(ageBuckets(spark, at, at + 61_000)).toEqual(new Array<number>(60).fill(0))
    expect(ageBuckets(spark, at, at - 5)).toEqual(spark)
  })
})
