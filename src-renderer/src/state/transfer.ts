/** Export, import and replay of the open stream (the Replay & export tool's actions). */
import type { Params, ReplayProgress, Result } from '../../../src-shared/contract'
import { getBridge } from '../bridge'
import { upsertReplay } from './producers'

/** Reads a range of a stream as NDJSON or raw bytes (base64). */
export function exportRange(params: Params<'transfer.export'>): Promise<Result<'transfer.export'>> {
  return getBridge().call('transfer.export', params)
}

/** Appends a file's messages (NDJSON, or raw bytes in base64) to a stream. */
export function importInto(params: Params<'transfer.import'>): Promise<Result<'transfer.import'>> {
  return getBridge().call('transfer.import', params)
}

/** Starts replaying a range into a stream; the run is followed through replay events. */
export async function startReplay(params: Params<'transfer.replay'>): Promise<ReplayProgress> {
  const p = await getBridge().call('transfer.replay', params)
  upsertReplay(p)
  return p
}

export async function cancelReplay(runId: string): Promise<void> {
  await getBridge().call('transfer.cancelReplay', { runId })
}
