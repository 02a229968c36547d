import { beforeEach, describe, expect, it } from 'vitest'
import type {
  BrowseProgress,
  TimelineSegment,
  TimelineSnapshot,
} from '../../../src-shared/contract'
import { useBrowse } from './browse'
import {
  addTimelineMarkers,
  dataExtent,
  ingestProgress,
  markerTime,
  resetTimeline,
  timelineData,
  useTimeline,
  zoomBy,
} from './timeline'

const T0 = 1_800_000_000_000

function seg(p: Partial<TimelineSegment> & Pick<TimelineSegment, 'id'>): TimelineSegment {
  return {
    kind: 'catch-up',
    phase: 'catch-up',
    startOffset: '-1',
    endOffset: 'a',
    firstIndex: 0,
    count: 0,
    responses: 1,
    startedAt: T0,
    endedAt: T0,
    ...p,
  }
}

function progress(
  sessionId: string,
  total: number,
  timeline: Partial<TimelineSnapshot>,
  extra: Partial<BrowseProgress> = {},
): BrowseProgress {
  return {
    sessionId,
    total,
    startOffset: '-1',
    nextOffset: `o${total}`,
    upToDate: true,
    closed: false,
    state: 'live',
    live: 'auto',
    phase: 'sse',
    rate: 0,
    reconnects: 0,
    responses: 1,
    error: null,
    matchCount: null,
    searching: false,
    timeline: {
      segments: [],
      markers: [],
      droppedSegments: 0,
      sparkline: new Array<number>(60).fill(0),
      bytes: null,
      bytesPerSecond: null,
      ...timeline,
    },
    tail: [],
    head: [],
    ...extra,
  }
}

describe('timeline store', () => {
  beforeEach(() => {
    resetTimeline('s')
    useBrowse.setState({ sessionId: 'A', path: 's' })
  })

  it('turns progress into a series, with catch-up and live markers where the phase changes', () => {
    const segments = [
      seg({ id: 1, count: 300, endOffset: 'b', startedAt: T0, endedAt: T0 + 40 }),
      seg({
        id: 2,
        kind: 'live',
        phase: 'sse',
        startOffset: 'b',
        endOffset: 'c',
        firstIndex: 300,
        count: 3,
        startedAt: T0 + 2000,
        endedAt: T0 + 2100,
      }),
    ]
    const markers: TimelineSnapshot['markers'] = [
      { kind: 'up-to-date', at: T0 + 40, offset: 'b', index: 300, detail: null },
    ]
    ingestProgress(progress('A', 300, { segments: segments.slice(0, 1), markers }), T0 + 60, 's')
    ingestProgress(progress('A', 303, { segments, markers }), T0 + 2150, 's')
    const s = timelineData.sessions[0]!
    expect(s.label).toBe('#1 from beginning (auto)')
    // Seeded at the start of reading; then main's times where they cover every message.
    expect([0, 1, 2].map((i) => [s.ring.timeAt(i), s.ring.countAt(i)])).toEqual([
      [T0, 0],
      [T0 + 40, 300],
      [T0 + 2100, 303],
    ])
    expect(s.markers.map((m) => [m.kind, m.at, m.index])).toEqual([
      ['catch-up', T0, 0],
      ['up-to-date', T0 + 40, 300],
      ['live', T0 + 2000, 300],
    ])
    expect(s.phases.map((p) => p.kind)).toEqual(['catch-up', 'live'])
  })

  it('keeps one series per read session of the stream, and starts over for another stream', () => {
    ingestProgress(progress('A', 10, {}), T0, 's')
    ingestProgress(progress('B', 4, {}, { startOffset: 'o6', live: 'long-poll' }), T0 + 5000, 's')
    expect(timelineData.sessions.map((x) => [x.label, x.running])).toEqual([
      ['#1 from beginning (auto)', false],
      ['#2 from o6 (long-poll)', true],
    ])
    ingestProgress(progress('C', 1, {}), T0 + 9000, 'other')
    expect(timelineData.sessions.map((x) => x.label)).toEqual(['#1 from beginning (auto)'])
  })

  it('places markers added by the State view where their message was received', () => {
    ingestProgress(progress('A', 0, {}), T0, 's')
    ingestProgress(progress('A', 100, {}), T0 + 1000, 's')
    ingestProgress(progress('A', 200, {}), T0 + 2000, 's')
    addTimelineMarkers([
      { kind: 'snapshot-start', index: 0, offset: 'x' },
      { kind: 'reset', index: 150, offset: 'y', detail: 'reset' },
      { kind: 'reset', index: 150, offset: 'y' },
    ])
    addTimelineMarkers([{ kind: 'snapshot-end', index: 500, offset: 'z' }])
    const s = timelineData.sessions[0]!
    expect(s.extra.map((m) => [m.kind, markerTime(s, m), m.detail])).toEqual([
      ['snapshot-start', T0 + 1000, null],
      ['reset', T0 + 2000, 'reset'],
      // Not received yet: not drawn until it is.
      ['snapshot-end', null, null],
    ])
    ingestProgress(progress('A', 600, {}), T0 + 3000, 's')
    expect(markerTime(s, s.extra[2]!)).toBe(T0 + 3000)
  })

  it('zooms around a point and returns to following the data when zoomed out past it', () => {
    ingestProgress(progress('A', 0, {}, { state: 'closed' }), T0, 's')
    ingestProgress(progress('A', 10, {}, { state: 'closed' }), T0 + 10_000, 's')
    expect(dataExtent(T0 + 20_000)).toEqual({ min: T0, max: T0 + 10_000 })
    zoomBy(0.5, T0 + 5000)
    expect(useTimeline.getState().zoom).toEqual({ min: T0 + 2500, max: T0 + 7500 })
    zoomBy(4, T0 + 5000)
    expect(useTimeline.getState().zoom).toBeNull()
  })
})
