import { useState } from 'react'
import type { TimelineMarker, TimelineSegment } from '../../../../src-shared/contract'
import { select, setFollow, setView, useBrowse } from '../../state/browse'
import { clock, shortOffset } from '../browser/format'
import { Sparkline } from './Sparkline'
import { ageBuckets, useNow } from '../../state/rate'

const SHOWN = 150

type Item = { t: 'seg'; seg: TimelineSegment } | { t: 'mark'; m: TimelineMarker }

const MARK: Record<TimelineMarker['kind'], string> = {
  'up-to-date': '◆',
  reconnect: '↻',
  closed: '■ EOF',
  error: '!',
}

/**
 * Horizontal timeline of every read response, folded into catch-up and live segments with
 * their offset ranges, plus up-to-date points, reconnects, errors and closure. Clicking a
 * segment scrolls the browser to its first message.
 */
export function Timeline() {
  const timeline = useBrowse((s) => s.progress?.timeline)
  const progressAt = useBrowse((s) => s.progressAt)
  const now = useNow()
  const [open, setOpen] = useState(true)
  if (!timeline) return null
  const segs = timeline.segments.slice(-SHOWN)
  const since = segs[0]?.startedAt ?? 0
  const items: Item[] = []
  const marks = timeline.markers.filter((m) => m.at >= since)
  let mi = 0
  for (const seg of segs) {
    while (mi < marks.length && marks[mi]!.at < seg.startedAt)
      items.push({ t: 'mark', m: marks[mi++]! })
    items.push({ t: 'seg', seg })
  }
  while (mi < marks.length) items.push({ t: 'mark', m: marks[mi++]! })
  return (
    <div className="timeline" data-testid="timeline">
      <button className="ghost small" onClick={() => setOpen(!open)} aria-expanded={open}>
        {open ? '▾' : '▸'} Timeline
      </button>
      {open && (
        <div className="timeline-track" role="list">
          {timeline.droppedSegments > 0 && (
            <span className="muted small">+{timeline.droppedSegments} older</span>
          )}
          {items.map((it) =>
            it.t === 'seg' ? (
              <button
                key={`s${it.seg.id}`}
                role="listitem"
                className={`tl-seg ${it.seg.kind} ${it.seg.phase}`}
                data-testid="timeline-segment"
                data-kind={it.seg.kind}
                data-first={it.seg.firstIndex}
                data-count={it.seg.count}
                style={{ flexGrow: 1 + Math.log10(1 + it.seg.count) }}
                title={`${it.seg.kind} via ${it.seg.phase}: ${it.seg.count} messages in ${it.seg.responses} responses\n${it.seg.startOffset} → ${it.seg.endOffset}\n${clock(it.seg.startedAt)} – ${clock(it.seg.endedAt)}`}
                onClick={() => {
                  setFollow(false)
                  if (useBrowse.getState().view !== 'all') setView('all')
                  select(it.seg.firstIndex, true)
                }}
              >
                <span className="tl-label">
                  {it.seg.kind === 'catch-up' ? 'catch-up' : it.seg.phase} · {it.seg.count}
                </span>
                <span className="tl-range mono">
                  {shortOffset(it.seg.startOffset, 6)}→{shortOffset(it.seg.endOffset, 6)}
                </span>
              </button>
            ) : (
              <span
                key={`m${it.m.kind}${it.m.at}${it.m.index}`}
                role="listitem"
                className={`tl-mark ${it.m.kind}`}
                data-testid={`timeline-${it.m.kind}`}
                title={`${it.m.kind} at ${clock(it.m.at)}, offset ${it.m.offset}${it.m.detail ? ` (${it.m.detail})` : ''}`}
              >
                {MARK[it.m.kind]}
              </span>
            ),
          )}
        </div>
      )}
      <Sparkline values={ageBuckets(timeline.sparkline, progressAt, now)} />
    </div>
  )
}
