/** Turns a raw transport (preload or WebSocket) into the typed Bridge with typed errors. */
import { deserializeError } from '../../../src-shared/client/error-data'
import type {
  Bridge,
  EventName,
  EventPayload,
  MethodName,
  Params,
  Result,
} from '../../../src-shared/contract'
import type { PreloadApi } from '../../../src-shared/ipc/wire'

/** `raw`: the preload's `window.dsi`, or the WebSocket transport (the same interface). */
export function typedBridge(raw: PreloadApi): Bridge {
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>()
  raw.subscribe((event, payload) => {
    const set = listeners.get(event)
    if (set) for (const l of set) l(payload)
  })
  return {
    async call<M extends MethodName>(method: M, params: Params<M>): Promise<Result<M>> {
      const result = await raw.invoke(method, params)
      if (!result.ok) throw deserializeError(result.error)
      return result.value as Result<M>
    },
    on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
      let set = listeners.get(event)
      if (!set) listeners.set(event, (set = new Set()))
      const l = listener as (payload: unknown) => void
      set.add(l)
      return () => set.delete(l)
    },
  }
}
