/**
 * Every TypeScript example in README.md runs here against a real server, and what it prints
 * must equal the `text` block that follows it. So does every `sh` example of the command line
 * (a block with a line starting `dsi `): it runs in bash with the real `dsi` on the PATH and
 * DSI_SERVER_URL set, its stdout compared with the server's URL shown as README_SERVER_URL.
 * The README cannot rot.
 */
import { spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
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

/** What the README shows as the server's URL in command-line examples. */
const README_SERVER_URL = 'http://127.0.0.1:4437'

/** TypeScript examples of the client, or (`'sh'`) command-line examples of dsi. */
function examples(kind: 'ts' | 'sh' = 'ts'): Example[] {
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
    const isExample =
      kind === 'ts'
        ? b.lang === 'ts' && b.body.includes('durable-streams-inspector/client')
        : b.lang === 'sh' && /^dsi /m.test(b.body)
    if (!isExample) continue
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

const cli = examples('sh')

describe('README command-line examples', () => {
  it('has examples to run', () => {
    expect(cli.length).toBeGreaterThanOrEqual(4)
  })

  it.each(cli.map((e, i) => [`${i + 1}. ${e.title}`, e] as const))('%s', async (_name, example) => {
    const srv = await startServer()
    const cwd = mkdtempSync(join(tmpdir(), 'readme-dsi-'))
    try {
      mkdirSync(join(cwd, '.bin'))
      symlinkSync(join(root, 'bin', 'dsi'), join(cwd, '.bin', 'dsi'))
      const env: NodeJS.ProcessEnv = {}
      for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('DSI_')) env[k] = v
      // Asynchronous: the server runs in this process and must keep answering.
      const r = await runBash(example.code, cwd, {
        ...env,
        PATH: `${join(cwd, '.bin')}:${process.env.PATH ?? ''}`,
        DSI_SERVER_URL: srv.url,
        NO_COLOR: '1',
      })
      const printed = r.stdout.split(srv.url).join(README_SERVER_URL).trimEnd()
      if (example.expected !== undefined) expect(printed, r.stderr).toBe(example.expected)
      expect(r.status, r.stderr).toBe(0)
    } finally {
      rmSync(cwd, { recursive: true, force: true })
      await srv.stop()
    }
  })
})

function runBash(
  script: string,
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn('bash', ['-c', script], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString('utf8')))
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString('utf8')))
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`README example did not finish in 60 s; stderr: ${stderr}`))
    }, 60_000)
    child.on('error', reject)
    child.on('close', (status) => {
      clearTimeout(timer)
      resolvePromise({ status, stdout, stderr })
    })
  })
}
