/**
 * Input checks at the public API boundary: every URL, path, header, parameter and read option
 * is checked once, where it enters the client, and a bad one is an immediate
 * `InvalidArgumentError` naming the field — nothing is sent.
 * @internal
 */
import { InvalidArgumentError } from './errors.js'
import type { DynamicValue } from './options.js'
import type { LiveMode } from './protocol.js'

/** RFC 9110 token: the characters a header name may have. */
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/
/** Control characters a header value may not carry (CR, LF, NUL and the other C0s but tab). */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const BAD_VALUE = /[\u0000-\u0008\u000a-\u001f\u007f]/
/** Characters past U+00FF: a header value is bytes, and both engines refuse these at send. */
const NOT_BYTE = /[\u0100-\uffff]/
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f]/

const show = (v: unknown): string => {
  if (typeof v === 'string') return JSON.stringify(v.length > 80 ? v.slice(0, 80) + '…' : v)
  if (typeof v === 'function') return 'a function'
  if (v === null) return 'null'
  if (Array.isArray(v)) return 'an array'
  if (typeof v === 'object') return 'an object'
  if (typeof v === 'symbol') return `symbol ${v.toString()}`
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') {
    return `${typeof v} ${String(v)}`
  }
  return typeof v // undefined
}

function invalid(field: string, value: unknown, why: string): never {
  throw new InvalidArgumentError(field, `Invalid ${field}: ${show(value)} (${why})`)
}

function isPlainRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/** An options argument: undefined or an object. */
export function checkOptions(v: unknown, field = 'options'): void {
  if (v !== undefined && !isPlainRecord(v)) invalid(field, v, 'must be an object')
}

/** An absolute http(s) URL with a host and without control characters. */
export function checkUrl(v: unknown, field = 'url'): string {
  if (typeof v !== 'string' || v === '') invalid(field, v, 'must be a non-empty string')
  // Spaces are fine (they are percent-encoded, as in a stream named "my stream"); CR, LF, tab
  // and the other control characters are not (the URL parser would drop them silently).
  if (CONTROL.test(v)) invalid(field, v, 'must not contain control characters')
  let u: URL
  try {
    u = new URL(v)
  } catch {
    invalid(field, v, 'not an absolute URL')
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') {
    invalid(field, v, `must be http: or https:, not ${u.protocol}`)
  }
  if (u.hostname === '') invalid(field, v, 'has no host')
  // fetch refuses such a URL and node:http would drop the credentials silently.
  if (u.username !== '' || u.password !== '') {
    invalid(field, v, 'credentials in a URL are not sent: pass headers: { authorization } instead')
  }
  return v
}

/** A stream path (or absolute URL) given to a client. */
export function checkPath(v: unknown, field = 'path'): string {
  if (typeof v !== 'string' || v === '') invalid(field, v, 'must be a non-empty string')
  if (CONTROL.test(v)) invalid(field, v, 'must not contain control characters')
  return v
}

/** One header value as it will be sent (a dynamic value is checked once evaluated). */
export function checkHeaderValue(v: unknown, field: string): string {
  if (typeof v !== 'string') invalid(field, v, 'a header value must be a string')
  if (BAD_VALUE.test(v)) invalid(field, v, 'a header value must not contain CR, LF or NUL')
  if (NOT_BYTE.test(v)) {
    invalid(field, v, 'a header value may only have characters up to U+00FF: percent-encode it')
  }
  return v
}

/** A record of headers: token names, string (or function) values. */
export function checkHeaders(
  rec: unknown,
  field = 'headers',
): Record<string, DynamicValue> | undefined {
  if (rec === undefined) return undefined
  if (!isPlainRecord(rec)) invalid(field, rec, 'must be an object of header names to values')
  for (const name of Object.keys(rec)) {
    if (!TOKEN.test(name)) {
      invalid(`${field}.${name}`, name, 'not a valid header name (no spaces, colons or CR/LF)')
    }
    const v = rec[name]
    if (typeof v !== 'function') checkHeaderValue(v, `${field}.${name}`)
  }
  return rec as Record<string, DynamicValue>
}

/** A record of query parameters: non-empty names, string (or function) values. */
export function checkParams(
  rec: unknown,
  field = 'params',
): Record<string, DynamicValue> | undefined {
  if (rec === undefined) return undefined
  if (!isPlainRecord(rec)) invalid(field, rec, 'must be an object of parameter names to values')
  for (const name of Object.keys(rec)) {
    if (name === '') invalid(field, name, 'a parameter name must not be empty')
    const v = rec[name]
    if (typeof v !== 'function' && typeof v !== 'string') {
      invalid(`${field}.${name}`, v, 'a parameter value must be a string or a function')
    }
  }
  return rec as Record<string, DynamicValue>
}

/** A dynamic parameter's evaluated value. */
export function checkParamValue(v: unknown, field: string): string {
  if (typeof v !== 'string') invalid(field, v, 'a parameter value must be a string')
  return v
}

/** `live`: false, 'long-poll', 'sse' or 'auto'. */
export function checkLive(v: unknown, field = 'live'): LiveMode | undefined {
  if (v === undefined || v === false || v === 'long-poll' || v === 'sse' || v === 'auto') return v
  return invalid(field, v, "must be false, 'long-poll', 'sse' or 'auto'")
}

/** A read offset: an opaque non-empty string (`'-1'` and `'now'` included). */
export function checkOffset(v: unknown, field = 'offset'): string | undefined {
  if (v === undefined) return undefined
  if (typeof v !== 'string' || v === '') invalid(field, v, 'must be a non-empty string')
  if (CONTROL.test(v)) invalid(field, v, 'must not contain control characters')
  return v
}

/** An AbortSignal, or nothing. */
export function checkSignal(v: unknown, field = 'signal'): AbortSignal | undefined {
  if (v === undefined) return undefined
  if (!(v instanceof AbortSignal)) invalid(field, v, 'must be an AbortSignal')
  return v
}

/** A boolean option, or nothing. */
export function checkBoolean(v: unknown, field: string): boolean | undefined {
  if (v === undefined || typeof v === 'boolean') return v
  return invalid(field, v, 'must be true or false')
}

/** A fork sub-offset: a non-negative integer, only with a fork source. */
export function checkForkSubOffset(v: unknown, forkedFrom: unknown): number | undefined {
  if (v === undefined) return undefined
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0)
    return invalid('forkSubOffset', v, 'must be a non-negative integer')
  if (forkedFrom === undefined)
    return invalid('forkSubOffset', v, 'needs forkedFrom: it refines a fork point')
  return v
}

/** A content type: a header value of the form type/subtype. */
export function checkContentType(v: unknown, field = 'contentType'): string | undefined {
  if (v === undefined) return undefined
  checkHeaderValue(v, field)
  if (!/^[^/\s]+\/[^/\s]+/.test(v as string)) invalid(field, v, 'must look like type/subtype')
  return v as string
}

/** `Stream-Seq`: a non-empty string or a finite number, sent as a header. */
export function checkSeq(v: unknown, field = 'seq'): void {
  if (v === undefined) return
  if (typeof v === 'number' && Number.isFinite(v)) return
  if (typeof v !== 'string' || v === '') invalid(field, v, 'must be a non-empty string or a number')
  checkHeaderValue(v, field)
}

/** Headers, params and signal of a per-call options object. */
export function checkCallOptions(
  o: { headers?: unknown; params?: unknown; signal?: unknown } | undefined,
): void {
  checkOptions(o)
  if (!o) return
  checkHeaders(o.headers)
  checkParams(o.params)
  checkSignal(o.signal)
}
