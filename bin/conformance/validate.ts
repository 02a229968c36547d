/**
 * The `validate` command: builds the client's own objects with the given options, without any
 * network I/O, and reports whether the client's validation accepted them.
 */
import {
  IdempotentProducer,
  isInvalidArgumentError,
  validateRetryOptions,
  type RetryOptions,
} from '../../src-shared/client/node.js'
import { errorResult, toErrorResult } from './errors.js'
import type { Session } from './session.js'
import type { Result, ValidateCommand } from './types.js'

/** Copies the listed numeric fields that are present (absent ones keep the client defaults). */
function pick<K extends string>(
  src: Record<string, unknown>,
  keys: readonly K[],
): Partial<Record<K, number>> {
  const out: Partial<Record<K, number>> = {}
  for (const k of keys) {
    const v = src[k]
    if (typeof v === 'number') out[k] = v
  }
  return out
}

export async function validate(s: Session, cmd: ValidateCommand): Promise<Result> {
  const { target } = cmd
  try {
    switch (target.target) {
      case 'retry-options': {
        const opts: RetryOptions = pick(target, [
          'maxRetries',
          'initialDelayMs',
          'maxDelayMs',
          'multiplier',
        ])
        validateRetryOptions(opts)
        return { type: 'validate', success: true }
      }
      case 'idempotent-producer': {
        const producerId =
          typeof target.producerId === 'string' ? target.producerId : 'validate-producer'
        const p = new IdempotentProducer({
          url: `${s.serverUrl || 'http://127.0.0.1'}/validate-producer`,
          producerId,
          ...pick(target, ['epoch', 'maxBatchBytes', 'maxBatchItems']),
        })
        await p.detach() // nothing queued: no request is sent
        return { type: 'validate', success: true }
      }
      default:
        return errorResult(
          'validate',
          'NOT_SUPPORTED',
          `Unknown validation target: ${target.target}`,
        )
    }
  } catch (err) {
    if (isInvalidArgumentError(err)) {
      return errorResult('validate', 'INVALID_ARGUMENT', `${err.message} [field: ${err.field}]`)
    }
    return toErrorResult('validate', err)
  }
}
