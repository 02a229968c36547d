/** Long opaque values (offsets, ETags) shown truncated in the middle, with a copy button. */

/** Keeps the head and the (more telling) tail of a long value: `0000…0000000037`. */
export function middleTruncate(value: string, max = 26): string {
  if (value.length <= max) return value
  const tail = Math.ceil((max - 1) * 0.6)
  const head = max - 1 - tail
  return `${value.slice(0, head)}…${value.slice(value.length - tail)}`
}

export function MiddleValue({
  value,
  label,
  testId,
  onCopy,
  max,
}: {
  value: string
  /** What the value is, for the copy button's accessible name ("next offset"). */
  label: string
  testId: string
  onCopy: (what: string, text: string) => void
  max?: number
}) {
  return (
    <span className="mid-value">
      <span className="mono" data-testid={testId} data-value={value} title={value}>
        {middleTruncate(value, max)}
      </span>
      <button
        type="button"
        className="ghost icon"
        aria-label={`Copy ${label}`}
        title={`Copy ${label}`}
        data-testid={`copy-${testId}`}
        onClick={() => onCopy(label, value)}
      >
        <CopyIcon />
      </button>
    </span>
  )
}

/** Two overlapping sheets (drawn, so no font needs the glyph). */
function CopyIcon() {
  return (
    <svg width="12" height="12" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
      <rect
        x="5"
        y="5"
        width="9"
        height="9"
        rx="1.5"
        fill="none"
        stroke="currentColor"
        strokeWidth="1.5"
      />
      <path
        d="M11 3.5V3a1 1 0 0 0-1-1H3a1 1 0 0 0-1 1v7a1 1 0 0 0 1 1h.5"
        fill="none"
        stroke="currentColor"
        strokeWidth="1.5"
      />
    </svg>
  )
}
