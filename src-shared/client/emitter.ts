/**
 * A minimal typed event emitter: listeners per event name, an unsubscribe function per
 * listener, and listener errors reported instead of breaking the emitter.
 * @internal
 */
export class Emitter<Events extends object> {
  private readonly listeners = new Map<keyof Events, Set<(payload: never) => void>>()

  constructor(private readonly onListenerError: (err: unknown) => void) {}

  on<K extends keyof Events>(event: K, listener: (payload: Events[K]) => void): () => void {
    let set = this.listeners.get(event)
    if (!set) this.listeners.set(event, (set = new Set()))
    const l = listener as (payload: never) => void
    set.add(l)
    return () => {
      set.delete(l)
    }
  }

  emit<K extends keyof Events>(event: K, payload: Events[K]): void {
    const set = this.listeners.get(event)
    if (!set) return
    for (const l of set) {
      try {
        ;(l as (payload: Events[K]) => void)(payload)
      } catch (err) {
        this.onListenerError(err)
      }
    }
  }
}
