/** Test helpers: a real app (embedded file-backed server) on a temp user-data dir. */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll } from 'vitest'
import type {
  BrowsePage,
  BrowseProgress,
  EventName,
  MessagePayload,
} from '../../src-shared/contract/index.js'
import type { WireResult } from '../../src-shared/ipc/wire.js'
import { startApp, type AppOptions, type RunningApp } from '../core/app.js'

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
  call: (method: string, params: unknown) => Promise<WireResult>
  /** A call that must succeed: its value, or an Error naming the method and the failure. */
  ok: <T>(method: string, params: unknown) => Promise<T>
  /** Every message of a stream as the renderer sees them, read through a reading session. */
  messages: (connectionId: string, path: string) => Promise<MessagePayload[]>
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
    messages: (connectionId, path) => readMessages(fixture, owner, connectionId, path),
  }
  return fixture
}

/**
 * Reads a whole stream through `reading.open` (catch-up) and `reading.page`, as the message
 * browser does, then closes the session. Fails after `timeoutMs` if the catch-up never ends.
 */
async function readMessages(
  fixture: TestAppFixture,
  owner: string,
  connectionId: string,
  path: string,
  timeoutMs = 5000,
): Promise<MessagePayload[]> {
  const { sessionId } = await fixture.ok<{ sessionId: string }>('reading.open', {
    connectionId,
    path,
    live: 'long-poll',
  })
  try {
    const progress = (): BrowseProgress | undefined =>
      fixture.log.of<BrowseProgress>('reading.progress').findLast((p) => p.sessionId === sessionId)
    await waitFor(() => progress()?.upToDate === true, timeoutMs, `catch-up of ${path}`)
    const total = progress()?.total ?? 0
    const messages: MessagePayload[] = []
    while (messages.length < total) {
      const page = await fixture.ok<BrowsePage>('reading.page', {
        sessionId,
        from: messages.length,
        count: Math.min(1000, total - messages.length),
      })
      if (page.rows.length === 0) throw new Error(`reading.page of ${path} returned no rows`)
      for (const row of page.rows) messages.push(row.payload)
    }
    return messages
  } finally {
    await fixture.app.core.handle(owner, 'reading.close', { sessionId })
  }
}
