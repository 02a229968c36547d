/** Test helpers: a real app (embedded file-backed server) on a temp user-data dir. */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll } from 'vitest'
import type { EventName } from '../../src-shared/ipc/channels.js'
import type { WireResult } from '../../src-shared/ipc/contract.js'
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

export interface TestAppFixture {
  /** The running app (available inside tests, after the file's `beforeAll`). */
  readonly app: RunningApp
  /** Events delivered to the fixture's owner. */
  readonly log: EventLog
  /** One contract call as the fixture's owner. */
  call(method: string, params: unknown): Promise<WireResult>
  /** A call that must succeed: its value, or an Error naming the method and the failure. */
  ok<T>(method: string, params: unknown): Promise<T>
}

/**
 * A real app on a fresh user-data dir for the calling test file (or `describe`): started in
 * `beforeAll`, stopped and its directory removed in `afterAll`. Calls go through the core as
 * `owner`, whose events are collected in `log`.
 */
export function useTestApp(owner = 't'): TestAppFixture {
  const dir = tempDir()
  const log = new EventLog()
  let running: RunningApp | undefined
  beforeAll(async () => {
    running = await startTestApp({ userDataDir: dir.path })
    running.core.attach(owner, log.sink)
  })
  afterAll(async () => {
    await running?.stop()
    dir.remove()
  })
  const fixture: TestAppFixture = {
    get app() {
      if (!running) throw new Error('the test app is not started yet')
      return running
    },
    log,
    call: (method, params) => fixture.app.core.handle(owner, method, params),
    async ok<T>(method: string, params: unknown): Promise<T> {
      const r = await fixture.call(method, params)
      if (!r.ok) throw new Error(`${method} failed: ${r.error.name}: ${r.error.message}`)
      return r.value as T
    },
  }
  return fixture
}
