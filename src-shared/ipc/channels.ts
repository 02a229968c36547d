/**
 * Channel names and method lists of the IPC contract, free of any runtime dependency so the
 * sandboxed preload can import them without bundling the schema library.
 */

/** Electron IPC channel carrying request/response calls (ipcRenderer.invoke). */
export const CALL_CHANNEL = 'dsi:call'
/** Electron IPC channel carrying main→renderer events. */
export const EVENT_CHANNEL = 'dsi:event'

/** Every request/response method of the contract. */
export const METHODS = [
  'app.info',
  'connections.list',
  'streams.list',
  'streams.open',
  'streams.forget',
  'streams.head',
  'streams.create',
  'streams.append',
  'streams.close',
  'streams.delete',
  'streams.readPage',
  'tails.subscribe',
  'tails.unsubscribe',
  'tails.ack',
  'producers.list',
  'producers.open',
  'producers.append',
  'producers.close',
  // Admin side (contract-admin.ts)
  'connections.save',
  'connections.remove',
  'connections.test',
  'streams.describe',
  'bookmarks.list',
  'bookmarks.set',
  'admin.create',
  'admin.append',
  'admin.close',
  'producers.create',
  'producers.send',
  'producers.claim',
  'producers.remove',
  'replay.start',
  'replay.cancel',
  'export.range',
  'import.file',
  // Browse side: message browser, live tail, header, timeline (contract-browse.ts)
  'browse.head',
  'browse.open',
  'browse.close',
  'browse.setLive',
  'browse.reconnect',
  'browse.page',
  'browse.search',
  'browse.locate',
  'browse.curl',
  'browse.takeDeepLink',
] as const

/** Every main→renderer event of the contract. */
export const EVENTS = [
  'tail.batch',
  'tail.status',
  'streams.changed',
  'producers.changed',
  // Admin side (contract-admin.ts)
  'replay.progress',
  // Browse side (contract-browse.ts)
  'browse.progress',
  'browse.deepLink',
] as const

export type MethodName = (typeof METHODS)[number]
export type EventName = (typeof EVENTS)[number]

const methodSet: ReadonlySet<string> = new Set(METHODS)
const eventSet: ReadonlySet<string> = new Set(EVENTS)

export function isMethodName(value: unknown): value is MethodName {
  return typeof value === 'string' && methodSet.has(value)
}

export function isEventName(value: unknown): value is EventName {
  return typeof value === 'string' && eventSet.has(value)
}
