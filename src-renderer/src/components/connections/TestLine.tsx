import type { ConnectionTestResult } from '../../../../src-shared/contract'

/** The outcome of testing a connection: latency and status, or why it failed. */
export function TestLine({ result }: { result: ConnectionTestResult | string }) {
  if (typeof result === 'string')
    return (
      <div className="error-text small" data-testid="test-result">
        {result}
      </div>
    )
  return (
    <div className={result.ok ? 'ok-text small' : 'error-text small'} data-testid="test-result">
      {result.ok ? '✓ ' : '✗ '}
      {result.message}
      {result.status !== null ? ` · HTTP ${result.status}` : ''} · {result.latencyMs} ms
    </div>
  )
}
