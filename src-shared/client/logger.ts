import type { Logger } from './options.js'

const noop = (): void => {}

/** A logger that discards everything: the library is silent unless you opt in. */
export const silentLogger: Logger = Object.freeze({
  debug: noop,
  info: noop,
  warn: noop,
  error: noop,
})

let current: Logger = silentLogger

/** The process-wide default logger (`DurableStreams.logger`). @internal */
export function getDefaultLogger(): Logger {
  return current
}

/** Replaces the process-wide default logger. @internal */
export function setDefaultLogger(logger: Logger | undefined | null): void {
  current = logger ?? silentLogger
}

/**
 * A logger that always forwards to the current default, so clients created before
 * `DurableStreams.logger = console` still log.
 * @internal
 */
export const defaultLoggerProxy: Logger = Object.freeze({
  debug: (...a: unknown[]) => current.debug(...a),
  info: (...a: unknown[]) => current.info(...a),
  warn: (...a: unknown[]) => current.warn(...a),
  error: (...a: unknown[]) => current.error(...a),
})
