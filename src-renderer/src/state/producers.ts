/** Producers of the app (persistent, main-side) and replay runs, followed live. */
import { create } from 'zustand'
import type { Params, ProducerInfo, ReplayProgress } from '../../../src-shared/contract'
import { getBridge } from '../bridge'

interface ProducersState {
  producers: Record<string, ProducerInfo>
  replays: Record<string, ReplayProgress>
}

export const useProducers = create<ProducersState>(() => ({ producers: {}, replays: {} }))

let listening = false

/** Subscribes once to producer and replay events, then loads the list. */
export async function watchProducers(): Promise<void> {
  const b = getBridge()
  if (!listening) {
    listening = true
    b.on('producers.changed', (p) => {
      useProducers.setState((s) => ({ producers: { ...s.producers, [p.id]: p } }))
    })
    b.on('transfer.replayProgress', (p) => {
      useProducers.setState((s) => ({ replays: { ...s.replays, [p.runId]: p } }))
    })
  }
  const list = await b.call('producers.list', {})
  useProducers.setState({ producers: Object.fromEntries(list.map((p) => [p.id, p])) })
}

export function upsertProducer(p: ProducerInfo): void {
  useProducers.setState((s) => ({ producers: { ...s.producers, [p.id]: p } }))
}

export function removeProducerLocal(id: string): void {
  useProducers.setState((s) => {
    const next = { ...s.producers }
    delete next[id]
    return { producers: next }
  })
}

export function upsertReplay(p: ReplayProgress): void {
  useProducers.setState((s) => {
    const known = s.replays[p.runId]
    // An event may have overtaken the start call's answer.
    if (known && known.done >= p.done && known.state !== 'running') return s
    return { replays: { ...s.replays, [p.runId]: p } }
  })
}

/** Creates a persistent producer (main keeps it) and lists it. */
export async function createProducer(params: Params<'producers.create'>): Promise<ProducerInfo> {
  const p = await getBridge().call('producers.create', params)
  upsertProducer(p)
  return p
}

/** Sends `count` copies of a body through a producer; its new state is listed. */
export async function sendThroughProducer(params: Params<'producers.send'>): Promise<void> {
  upsertProducer(await getBridge().call('producers.send', params))
}

/** Claims the next epoch for a fenced producer. */
export async function claimProducer(id: string): Promise<void> {
  upsertProducer(await getBridge().call('producers.claim', { id }))
}

/** Forgets a producer (the stream keeps its data). */
export async function removeProducer(id: string): Promise<void> {
  await getBridge().call('producers.remove', { id })
  removeProducerLocal(id)
}
