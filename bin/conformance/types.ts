/**
 * Message shapes of the client-conformance adapter protocol (JSON lines over stdin/stdout),
 * as described in ../shared/conformance/ADAPTER-PROTOCOL.md. Only the fields the runner
 * sends or reads are modelled.
 */

export type Headers = Record<string, string>

export type DynamicKind = 'counter' | 'token' | 'timestamp'

export interface InitCommand {
  type: 'init'
  serverUrl: string
  timeoutMs?: number
}
export interface CreateCommand {
  type: 'create'
  path: string
  contentType?: string
  ttlSeconds?: number
  expiresAt?: string
  headers?: Headers
  closed?: boolean
  data?: string
}
export interface ConnectCommand {
  type: 'connect'
  path: string
  headers?: Headers
}
export interface AppendCommand {
  type: 'append'
  path: string
  data: string
  binary?: boolean
  seq?: number
  headers?: Headers
}
export interface ReadCommand {
  type: 'read'
  path: string
  offset?: string
  live?: boolean | 'long-poll' | 'sse'
  timeoutMs?: number
  maxChunks?: number
  waitForUpToDate?: boolean
  headers?: Headers
}
export interface HeadCommand {
  type: 'head'
  path: string
  headers?: Headers
}
export interface DeleteCommand {
  type: 'delete'
  path: string
  headers?: Headers
}
export interface CloseCommand {
  type: 'close'
  path: string
  data?: string
  contentType?: string
}
export interface IdempotentAppendCommand {
  type: 'idempotent-append'
  path: string
  data: string
  producerId: string
  epoch: number
  autoClaim: boolean
  headers?: Headers
}
export interface IdempotentAppendBatchCommand {
  type: 'idempotent-append-batch'
  path: string
  items: string[]
  producerId: string
  epoch: number
  autoClaim: boolean
  maxInFlight?: number
  headers?: Headers
}
export interface IdempotentCloseCommand {
  type: 'idempotent-close'
  path: string
  producerId: string
  epoch: number
  autoClaim: boolean
  data?: string
  headers?: Headers
}
export interface IdempotentDetachCommand {
  type: 'idempotent-detach'
  path: string
  producerId: string
  epoch: number
  headers?: Headers
}
export interface SetDynamicHeaderCommand {
  type: 'set-dynamic-header'
  name: string
  valueType: DynamicKind
  initialValue?: string
}
export interface SetDynamicParamCommand {
  type: 'set-dynamic-param'
  name: string
  valueType: DynamicKind
  initialValue?: string
}
export interface ClearDynamicCommand {
  type: 'clear-dynamic'
}
export interface ValidateCommand {
  type: 'validate'
  target: { target: string } & Record<string, unknown>
}
export interface BenchmarkCommand {
  type: 'benchmark'
  iterationId: string
  operation: { op: string } & Record<string, unknown>
}
export interface ShutdownCommand {
  type: 'shutdown'
}

export type Command =
  | InitCommand
  | CreateCommand
  | ConnectCommand
  | AppendCommand
  | ReadCommand
  | HeadCommand
  | DeleteCommand
  | CloseCommand
  | IdempotentAppendCommand
  | IdempotentAppendBatchCommand
  | IdempotentCloseCommand
  | IdempotentDetachCommand
  | SetDynamicHeaderCommand
  | SetDynamicParamCommand
  | ClearDynamicCommand
  | ValidateCommand
  | BenchmarkCommand
  | ShutdownCommand

/** Error codes the runner knows. */
export type ResultErrorCode =
  | 'NETWORK_ERROR'
  | 'TIMEOUT'
  | 'CONFLICT'
  | 'NOT_FOUND'
  | 'SEQUENCE_CONFLICT'
  | 'STREAM_CLOSED'
  | 'INVALID_OFFSET'
  | 'UNEXPECTED_STATUS'
  | 'PARSE_ERROR'
  | 'INTERNAL_ERROR'
  | 'NOT_SUPPORTED'
  | 'INVALID_ARGUMENT'

export interface ErrorResult {
  type: 'error'
  success: false
  commandType: string
  errorCode: ResultErrorCode
  message: string
  status?: number
}

export interface ReadChunk {
  data: string
  offset?: string
}

/** A successful result: `type` echoes the command, the rest depends on it. */
export interface SuccessResult {
  type: string
  success: true
  [field: string]: unknown
}

export type Result = SuccessResult | ErrorResult
