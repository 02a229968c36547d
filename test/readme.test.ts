/**
 * Every TypeScript example in README.md runs here against a real server, and what it prints
 * must equal the `text` block that follows it. The README cannot rot.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { format } from 'node:util'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { startServer } from './helpers/server.js'

const root = resolve(import.meta.dirname, '..')
const readme = readFileSync(join(root, 'README.md'), 'utf8')

interface Example {
  title: string
  code: string
  expected: string | undefined
}

function examples(): Example[] {
  const out: Example[] = []
  const re = /```(\w+)\n([\s\S]*?)```/g
  let title = 'README'
  let lastIndex = 0
  const blocks: Array<{ lang: string; body: string; index: number }> = []
  for (let m = re.exec(readme); m; m = re.exec(readme))
    blocks.push({ lang: m[1]!, body: m[2]!, index: m.index })
  for (let i = 0; i < blocks.length; i++) {
    const b = blocks[i]!
    const headings = readme.slice(lastIndex, b.index).match(/^###? .+$/gm)
    if (headings) title = headings[headings.length - 1]!.replace(/^#+ /, '')
    lastIndex = b.index
    if (b.lang !== 'ts' || !b.body.includes('durable-streams-inspector/client')) continue
    const next = blocks[i + 1]
    out.push({
      title,
      code: b.body,
      expected: next?.lang === 'text' ? next.body.trimEnd() : undefined,
    })
  }
  return out
}

const found = examples()
const dir = join(root, 'test-results', 'readme')
mkdirSync(dir, { recursive: true })

afterEach(() => {
  vi.restoreAllMocks()
})

describe('README examples', () => {
  it('has examples to run', () => {
    expect(found.length).toBeGreaterThanOrEqual(5)
  })

  it.each(found.map((e, i) => [`${i + 1}. ${e.title}`, e] as const))(
    '%s',
    async (_name, example) => {
      const srv = await startServer()
      try {
        const clientEntry = pathToFileURL(join(root, 'src-shared/client/index.ts')).href
        const source =
          `const baseUrl: string = (globalThis as unknown as { __readmeBaseUrl: string }).__readmeBaseUrl\n` +
          example.code.replaceAll("'durable-streams-inspector/client'", `'${clientEntry}'`) +
          '\nexport {}\n'
        const file = join(dir, `example-${found.indexOf(example)}-${Date.now()}.ts`)
        writeFileSync(file, source)
        ;(globalThis as unknown as { __readmeBaseUrl: string }).__readmeBaseUrl = srv.url
        const printed: string[] = []
        vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
          printed.push(format(...args))
        })
        await import(pathToFileURL(file).href)
        vi.restoreAllMocks()
        if (example.expected !== undefined) expect(printed.join('\n')).toBe(example.expected)
      } finally {
        await srv.stop()
      }
    },
  )
})
