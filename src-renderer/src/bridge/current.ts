/**
 * The renderer's one bridge (set once at start-up by main.tsx) and the state of the link to the
 * inspector behind it. State modules (state/*.ts) reach main through `getBridge()`; components
 * call those modules' actions instead.
 */
import { create } from 'zustand'
import type { Bridge } from '../../../src-shared/contract'
import type { ConnectionState } from './ws'

export interface BridgeStatus {
  /** The link to the inspector: the preload in Electron, the WebSocket in a browser. */
  state: ConnectionState
  /** Why it closed, or why start-up failed. */
  reason: string | null
}

export const useBridgeStatus = create<BridgeStatus>(() => ({ state: 'connecting', reason: null }))

let current: Bridge | null = null

export function setBridge(bridge: Bridge): void {
  current = bridge
}

/** The bridge; throws before start-up has set it. */
export function getBridge(): Bridge {
  if (!current) throw new Error('Bridge not initialised')
  return current
}

export function setBridgeState(state: ConnectionState, reason?: string): void {
  useBridgeStatus.setState({ state, reason: reason ?? null })
}

/** Says why start-up failed, keeping the link's state. */
export function setBridgeReason(reason: string): void {
  useBridgeStatus.setState({ reason })
}
