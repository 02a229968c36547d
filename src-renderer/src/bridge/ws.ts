/** WebSocket transport used when the app runs in a browser against `npm run web`. */
import type { EventName, MethodName } from '../../../src-shared/contract'
import {
  type PreloadApi,
  type WireResult,
  MAX_CALL_BYTES,
  TOKEN_PARAM,
  callFrames,
  closeMessage,
  frameTooLarge,
  WS_PATH,
  type CallFrame,
  type ServerFrame,
} from '../../../src-shared/ipc/wire'

const TOKEN_KEY = 'dsi.token'

/** Reads the launch token from the URL (then hides it) or from this tab's session storage. */
export function takeToken(): string | null {
  const url = new URL(window.location.href)
  const fromUrl = url.searchParams.get(TOKEN_PARAM)
  if (fromUrl) {
    sessionStorage.setItem(TOKEN_KEY, fromUrl)
    url.searchParams.delete(TOKEN_PARAM)
    window.history.replaceState(null, '', url.pathname + url.search + url.hash)
    return fromUrl
  }
  return sessionStorage.getItem(TOKEN_KEY)
}

export type ConnectionState = 'connecting' | 'open' | 'closed'

export function wsTransport(
  token: string,
  onState: (state: ConnectionState, reason?: string) => void,
): PreloadApi {
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${WS_PATH}?${TOKEN_PARAM}=${encodeURIComponent(token)}`
  const ws = new WebSocket(url)
  const pending = new Map<number, (r: WireResult) => void>()
  const listeners = new Set<(event: EventName, payload: unknown) => void>()
  const queue: string[][] = []
  let nextId = 1
  onState('connecting')
  ws.addEventListener('open', () => {
    onState('open')
    for (const frames of queue.splice(0)) for (const frame of frames) ws.send(frame)
  })
  ws.addEventListener('close', (e) => {
    onState('closed', closeMessage(e.code, e.reason))
    for (const [id, resolve] of pending) {
      resolve({
        ok: false,
        error: {
          name: 'ConnectionError',
          code: 'CONNECTION_ERROR',
          message: 'Bridge connection closed',
        },
      })
      pending.delete(id)
    }
  })
  ws.addEventListener('message', (e) => {
    const frame = JSON.parse(String(e.data)) as ServerFrame
    if (frame.t === 'result') {
      pending.get(frame.id)?.(frame.result)
      pending.delete(frame.id)
    } else {
      for (const l of listeners) l(frame.event, frame.payload)
    }
  })
  return {
    invoke(method: MethodName, params: unknown): Promise<WireResult> {
      const id = nextId++
      const frame: CallFrame = { t: 'call', id, method, params }
      const text = JSON.stringify(frame)
      return new Promise((resolve) => {
        // Larger than the host assembles: refuse it here (a large call goes in parts, see callFrames).
        if (frameTooLarge(text, MAX_CALL_BYTES)) {
          resolve({
            ok: false,
            error: {
              name: 'PayloadTooLargeError',
              code: 'PAYLOAD_TOO_LARGE',
              message: `The request is too large to send (max ${MAX_CALL_BYTES / (1024 * 1024)} MiB)`,
            },
          })
          return
        }
        if (ws.readyState === WebSocket.CLOSED || ws.readyState === WebSocket.CLOSING) {
          resolve({
            ok: false,
            error: {
              name: 'ConnectionError',
              code: 'CONNECTION_ERROR',
              message: 'Bridge connection closed',
            },
          })
          return
        }
        pending.set(id, resolve)
        const frames = callFrames(id, text)
        if (ws.readyState === WebSocket.OPEN) for (const frame of frames) ws.send(frame)
        else queue.push(frames)
      })
    },
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
  }
}
