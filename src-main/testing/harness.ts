/** Test helpers: a real app (embedded file-backed server) on a temp user-data dir. */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { EventName } from '../../src-shared/ipc/channels.js'
import { startApp, type AppOptions, type RunningApp } from '../services/app.js'

export function tempDir(prefix = 'dsi-test-'): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix))
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) }
}

export async function startTestApp(
  opts: Partial<AppOptions> & { userDataDir: string },
): Promise<RunningApp> {
  return startApp({ host: 'web', version: '0.0.0-test', ...opts })
}

/** Collects events delivered to one owner. */
export class EventLog {
  readonly events: Array<{ event: EventName; payload: unknown }> = []
  readonly sink = (event: EventName, payload: unknown): void => {
    this.events.push({ event, payload })
  }
  of<T>(event: EventName): T[] {
    return this.events.filter((e) => e.event === event).map((e) => e.payload as T)
  }
}

export async function waitFor(
  check: () => boolean,
  timeoutMs = 5000,
  what = 'condition',
): Promise<void> {
  const start = Date.now()
  while (!check()) {
    if (Date.now() - start > timeoutMs)
      throw new Error(`Timed out after ${timeoutMs}ms waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 10))
  }
}
