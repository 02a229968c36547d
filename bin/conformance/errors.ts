/**
 * Maps the client's typed errors to the adapter protocol's error results.
 */
import { isDurableStreamsError } from '../../src-shared/client/node.js'
import type { ErrorResult, ResultErrorCode } from './types.js'

/** Builds an error result. */
export function errorResult(
  commandType: string,
  errorCode: ResultErrorCode,
  message: string,
  status?: number,
): ErrorResult {
  const r: ErrorResult = { type: 'error', success: false, commandType, errorCode, message }
  if (status !== undefined) r.status = status
  return r
}

function codeFor(commandType: string, clientCode: string): ResultErrorCode {
  switch (clientCode) {
    case 'NOT_FOUND':
      return 'NOT_FOUND'
    case 'STREAM_CLOSED':
      return 'STREAM_CLOSED'
    case 'SEQUENCE_CONFLICT':
      return 'SEQUENCE_CONFLICT'
    case 'STREAM_EXISTS':
    case 'CONTENT_TYPE_MISMATCH':
    case 'SEQUENCE_GAP':
      return 'CONFLICT'
    case 'BAD_REQUEST':
      // On reads the only client-controlled input the server can reject is the offset.
      return commandType === 'read' ? 'INVALID_OFFSET' : 'UNEXPECTED_STATUS'
    case 'PARSE_ERROR':
      return 'PARSE_ERROR'
    case 'TIMEOUT':
      return 'TIMEOUT'
    case 'CONNECTION_ERROR':
      return 'NETWORK_ERROR'
    case 'INVALID_ARGUMENT':
      return 'INVALID_ARGUMENT'
    case 'SSE_NOT_SUPPORTED':
      return 'NOT_SUPPORTED'
    case 'ABORTED':
    case 'CLOSED':
    case 'ALREADY_CONSUMED':
      return 'INTERNAL_ERROR'
    default:
      return 'UNEXPECTED_STATUS'
  }
}

/**
 * Converts anything thrown by the client into an error result. The message always names the
 * stream path (tests check that 404 messages carry it).
 */
export function toErrorResult(commandType: string, err: unknown, path?: string): ErrorResult {
  let message = err instanceof Error ? err.message : String(err)
  if (path !== undefined && !message.includes(path)) message += ` (stream ${path})`
  if (isDurableStreamsError(err)) {
    return errorResult(commandType, codeFor(commandType, err.code), message, err.status)
  }
  return errorResult(commandType, 'INTERNAL_ERROR', message)
}
