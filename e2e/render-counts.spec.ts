/**
 * Components read the stores through selectors, so a progress event (or moving the selection)
 * re-renders only what shows it. Renders are counted without touching the app: a stand-in for
 * React's DevTools hook sees every commit, and a function component rendered when its first
 * hook object is new (React builds a fresh hook list on every render, keeps it on a bail-out).
 */
import { expect, test, useWebHost, type Page } from './fixtures.js'
import { append, createStream, openStream } from './browse-helpers.js'

const host = useWebHost()

/** Test ids of elements rendered directly by the components measured. */
const WATCHED = { toolbar: 'start-kind', tailBar: 'tail-bar' } as const
type Counts = Record<keyof typeof WATCHED, number>

function installRenderCounter(watched: Record<string, string>): void {
  const counts: Record<string, number> = {}
  const seen = new WeakSet<object>()
  const count = (): void => {
    for (const [name, testId] of Object.entries(watched)) {
      const el = document.querySelector(`[data-testid="${testId}"]`)
      if (!el) continue
      const key = Object.keys(el).find((k) => k.startsWith('__reactFiber$'))
      // A React fiber: only its type, return, alternate and memoizedState are read.
      type Fiber = {
        type: unknown
        return: Fiber | null
        alternate: Fiber | null
        memoizedState: unknown
      }
      let f = key ? ((el as unknown as Record<string, Fiber | null>)[key] ?? null) : null
      while (f && typeof f.type !== 'function') f = f.return
      for (const x of [f, f?.alternate]) {
        const hooks = x?.memoizedState
        if (typeof hooks === 'object' && hooks !== null && !seen.has(hooks)) {
          seen.add(hooks)
          counts[name] = (counts[name] ?? 0) + 1
        }
      }
    }
  }
  Object.assign(window, {
    __renderCounts: counts,
    __REACT_DEVTOOLS_GLOBAL_HOOK__: {
      supportsFiber: true,
      renderers: new Map(),
      inject: () => 1,
      checkDCE: () => undefined,
      onScheduleFiberRoot: () => undefined,
      onCommitFiberRoot: count,
      onPostCommitFiberRoot: () => undefined,
      onCommitFiberUnmount: () => undefined,
    },
  })
}

async function renders(page: Page): Promise<Counts> {
  const c = await page.evaluate(
    () => (window as unknown as { __renderCounts: Record<string, number> }).__renderCounts,
  )
  return { toolbar: c.toolbar ?? 0, tailBar: c.tailBar ?? 0 }
}

test('selectors: a live tail re-renders the tail bar, not the toolbar; moving the selection neither', async ({
  page,
}) => {
  await page.addInitScript(installRenderCounter, WATCHED)
  let progressEvents = 0
  page.on('websocket', (ws) =>
    ws.on('framereceived', (f) => {
      if (typeof f.payload === 'string' && f.payload.includes('"reading.progress"'))
        progressEvents++
    }),
  )
  const url = await createStream(host, 'renders')
  await openStream(page, host, 'renders')
  const list = page.getByTestId('message-list')
  await expect(page.getByTestId('browse-state')).toHaveText('live · up to date')
  const mounted = await renders(page)
  expect(mounted.toolbar, 'the counter sees the toolbar').toBeGreaterThan(0)
  expect(mounted.tailBar, 'the counter sees the tail bar').toBeGreaterThan(0)

  // 30 appends, one progress event (at least) each.
  progressEvents = 0
  const tailStart = Date.now()
  for (let i = 0; i < 30; i++) {
    await append(url, JSON.stringify({ n: i }))
    await expect(list).toHaveAttribute('data-total', String(i + 1))
  }
  const tailSeconds = (Date.now() - tailStart) / 1000
  const tailed = await renders(page)
  const tail = {
    progressEvents,
    toolbar: tailed.toolbar - mounted.toolbar,
    tailBar: tailed.tailBar - mounted.tailBar,
  }

  console.log(`tail: ${JSON.stringify(tail)}`)
  // Moving the selection (20 rows) changes nothing either of them shows.
  // Following the tail, the newest row is in view: select it, then walk up with k.
  await page.locator('[data-testid="message"][data-index="29"]').click()
  // Keys move the selection while the list (a grid) has focus.
  await page.getByRole('grid', { name: 'Messages' }).focus()
  const selStart = Date.now()
  for (let i = 28; i >= 9; i--) {
    await page.keyboard.press('k')
    await expect(page.locator('[data-testid="message"][data-index="' + i + '"]')).toHaveAttribute(
      'aria-selected',
      'true',
    )
  }
  const selSeconds = (Date.now() - selStart) / 1000
  const moved = await renders(page)
  const select = {
    toolbar: moved.toolbar - tailed.toolbar,
    tailBar: moved.tailBar - tailed.tailBar,
  }
  console.log(
    `renders during 30 appends (${tail.progressEvents} progress events, ${tailSeconds.toFixed(1)} s): toolbar ${tail.toolbar}, tail bar ${tail.tailBar}; ` +
      `during 20 selection moves (${selSeconds.toFixed(1)} s): toolbar ${select.toolbar}, tail bar ${select.tailBar}`,
  )
  expect(tail.progressEvents).toBeGreaterThanOrEqual(30)
  // The tail bar shows the total, so it follows the progress events; the toolbar shows none of it.
  expect(tail.tailBar).toBeGreaterThanOrEqual(30)
  expect(tail.toolbar).toBeLessThanOrEqual(2)
  // The tail bar's clock ticks once a second (its rate decays on it) and the first k turns
  // 'follow tail' off: nothing else re-renders it.
  expect(select.tailBar).toBeLessThanOrEqual(Math.ceil(selSeconds) + 2)
  // (Its parent, the browser pane, re-renders once or twice as the selection starts: was 21.)
  expect(select.toolbar).toBeLessThanOrEqual(3)
})
