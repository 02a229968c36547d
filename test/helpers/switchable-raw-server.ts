/**
 * A raw `node:http` server whose handler each test sets, started and stopped by the hooks of
 * the `describe` block that calls `useSwitchableRawServer()`.
 */
import type http from 'node:http'
import { afterAll, beforeAll } from 'vitest'
import { startRawServer, type RawServer } from './raw-server.js'

export type SwitchableHandler = (
  req: http.IncomingMessage,
  res: http.ServerResponse,
  /** 1 for the first request since the handler was set, 2 for the next, … */
  n: number,
) => void

export interface SwitchableRawServer {
  /** Base URL of the server. */
  readonly url: string
  /** Requests answered since the handler was last set. */
  readonly count: number
  /** Answers the following requests (setting it starts `count` again from 0). */
  handler: SwitchableHandler
}

export function useSwitchableRawServer(): SwitchableRawServer {
  let raw: RawServer | undefined
  let handler: SwitchableHandler = (_req, res) => {
    res.writeHead(500, { 'content-type': 'text/plain' })
    res.end('no handler set')
  }
  let count = 0
  beforeAll(async () => {
    raw = await startRawServer((req, res) => handler(req, res, ++count))
  })
  afterAll(() => raw?.stop())
  return {
    get url() {
      if (!raw) throw new Error('the switchable raw server is not started yet')
      return raw.url
    },
    get count() {
      return count
    },
    get handler() {
      return handler
    },
    set handler(h) {
      handler = h
      count = 0
    },
  }
}
