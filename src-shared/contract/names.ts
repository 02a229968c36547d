/**
 * The names of every contract method and event, free of any runtime dependency so the sandboxed
 * preload can check names without bundling the schema library. Grouped by domain; each name's
 * schema, result and event types live in that domain's file next to this one, and index.ts
 * checks at compile time that this list and the method table agree.
 */

export const METHODS = [
  // app.ts
  'app.info',
  'app.takeDeepLink',
  // connections.ts
  'connections.list',
  'connections.save',
  'connections.remove',
  'connections.test',
  // streams.ts
  'streams.list',
  'streams.summaries',
  'streams.open',
  'streams.head',
  'streams.create',
  'streams.append',
  'streams.close',
  'streams.delete',
  'streams.bookmarks',
  'streams.setBookmark',
  // reading.ts
  'reading.open',
  'reading.close',
  'reading.setLive',
  'reading.reconnect',
  'reading.page',
  'reading.search',
  'reading.locate',
  'reading.curl',
  // producers.ts
  'producers.list',
  'producers.create',
  'producers.send',
  'producers.claim',
  'producers.remove',
  // transfer.ts
  'transfer.replay',
  'transfer.cancelReplay',
  'transfer.export',
  'transfer.import',
  // state.ts
  'state.open',
  'state.close',
  'state.page',
  'state.asOf',
  'state.keyHistory',
  'state.export',
  'state.log',
] as const

export const EVENTS = [
  'app.deepLink',
  'streams.changed',
  'reading.progress',
  'producers.changed',
  'transfer.replayProgress',
  'state.progress',
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
