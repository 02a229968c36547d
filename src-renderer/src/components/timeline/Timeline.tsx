import { useEffect, useRef } from 'react'
import { useShallow } from 'zustand/react/shallow'
import { isJsonContentType } from '../../../../src-shared/client/protocol'
import { useBrowse } from '../../state/browse'
import {
  brushStateAsOf,
  clearBrush,
  panBy,
  resetZoom,
  setTimelineOpen,
  useTimeline,
  zoomBy,
} from '../../state/timeline'
import { TimelineChart } from './chart'
import './timeline.css'

/**
 * The stream's timeline: messages received over time per read session (catch-up and live
 * phases shaded, markers for phase changes, up-to-date points, reconnects, errors, EOF and
 * State view snapshots/resets), throughput per second below. Drag to select a time range (the
 * messages received in it become the selection and the replay range), wheel to zoom,
 * shift+wheel or the arrows to pan, click to jump to the message received then.
 */
export function Timeline() {
  const { open, brush, brushError, zoomed, labels } = useTimeline(
    useShallow((s) => ({
      open: s.open,
      brush: s.brush,
      brushError: s.brushError,
      zoomed: s.zoom !== null,
      labels: s.labels,
    })),
  )
  const hasData = labels.length > 0
  const isJson = useBrowse((s) => isJsonContentType(s.header?.contentType))
  return (
    <section className="timeline" data-testid="timeline" aria-label="Timeline">
      <div className="tl-head">
        <button
          type="button"
          className="ghost small"
          onClick={() => setTimelineOpen(!open)}
          aria-expanded={open}
        >
          {open ? '▾' : '▸'} Timeline
        </button>
        {open && (
          <>
            <ul className="tl-legend small" aria-label="Read sessions">
              {labels.map((label, i) => (
                <li key={label} className={i === labels.length - 1 ? 'current' : `older o${i % 3}`}>
                  <span className="tl-swatch" aria-hidden="true" />
                  {label}
                </li>
              ))}
              <li className="phase catch-up">
                <span className="tl-swatch" aria-hidden="true" />
                catch-up
              </li>
              <li className="phase live">
                <span className="tl-swatch" aria-hidden="true" />
                live
              </li>
            </ul>
            <span className="tl-tools">
              <button
                type="button"
                className="ghost small"
                onClick={() => panBy(-0.25)}
                disabled={!hasData}
                aria-label="Pan back in time"
              >
                ◀
              </button>
              <button
                type="button"
                className="ghost small"
                onClick={() => zoomBy(0.5)}
                disabled={!hasData}
                aria-label="Zoom in"
              >
                +
              </button>
              <button
                type="button"
                className="ghost small"
                onClick={() => zoomBy(2)}
                disabled={!hasData}
                aria-label="Zoom out"
              >
                −
              </button>
              <button
                type="button"
                className="ghost small"
                onClick={() => panBy(0.25)}
                disabled={!hasData}
                aria-label="Pan forward in time"
              >
                ▶
              </button>
              <button type="button" className="ghost small" onClick={resetZoom} disabled={!zoomed}>
                Show all
              </button>
            </span>
          </>
        )}
      </div>
      {open && <ChartArea />}
      {open && (brush || brushError) && (
        <div
          className={`tl-brush small${brushError ? ' error' : ''}`}
          data-testid="timeline-brush"
          role="status"
        >
          {brushError ??
            (brush &&
              `Selected messages #${brush.from + 1}–#${brush.to + 1} (${brush.to - brush.from + 1}), also the replay/export range.`)}
          {brush?.last && !brushError && isJson && (
            <button type="button" className="ghost small" onClick={() => void brushStateAsOf()}>
              State as of #{brush.to + 1}
            </button>
          )}
          <button type="button" className="ghost small" onClick={clearBrush}>
            Clear
          </button>
        </div>
      )}
    </section>
  )
}

/** The uPlot charts, created once per mount and driven imperatively (see chart.ts). */
function ChartArea() {
  const root = useRef<HTMLDivElement>(null)
  const main = useRef<HTMLDivElement>(null)
  const rate = useRef<HTMLDivElement>(null)
  const markers = useRef<HTMLDivElement>(null)
  const tooltip = useRef<HTMLDivElement>(null)
  useEffect(() => {
    if (!root.current || !main.current || !rate.current || !markers.current || !tooltip.current)
      return
    const chart = new TimelineChart({
      root: root.current,
      main: main.current,
      rate: rate.current,
      markers: markers.current,
      tooltip: tooltip.current,
    })
    return () => chart.destroy()
  }, [])
  return (
    <div
      ref={root}
      className="tl-chart"
      data-testid="timeline-chart"
      role="group"
      aria-label="Messages received over time and throughput. Drag to select a range, wheel to zoom, shift+wheel to pan, click to jump."
    >
      <div ref={main} className="tl-main" data-testid="timeline-messages" />
      <div ref={markers} className="tl-markers" />
      <div ref={rate} className="tl-rate" data-testid="timeline-throughput" />
      <div
        ref={tooltip}
        className="tl-tooltip mono small"
        data-testid="timeline-tooltip"
        role="tooltip"
        hidden
      />
    </div>
  )
}
