/**
 * `npm start` / `npm run dev` without an Electron binary: the download (an injected installer, a
 * stand-in install.js, and electron's real installer against a local mirror on 127.0.0.1), its
 * bounded wait, the one-line failure, and the build + launch that follow a success.
 */
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { crc32 } from 'node:zlib'
import { createHash } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import {
  ensureElectronBinary,
  installFailureReason,
  runElectronInstaller,
  type InstallOptions,
} from '../../scripts/electron-binary.mjs'
import { start } from '../../scripts/start.mjs'

const REPO = resolve(import.meta.dirname, '../..')
const ELECTRON_VERSION = (
  JSON.parse(readFileSync(join(REPO, 'node_modules/electron/package.json'), 'utf8')) as {
    version: string
  }
).version
const BIN_NAME =
  process.platform === 'win32'
    ? 'electron.exe'
    : process.platform === 'darwin'
      ? 'Electron.app/Contents/MacOS/Electron'
      : 'electron'

const cleanups: Array<() => void | Promise<void>> = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

/** A project root whose node_modules/electron has no binary yet. */
function freshRoot(installScript?: string): string {
  const root = mkdtempSync(join(tmpdir(), 'dsi-start-'))
  cleanups.push(() => rmSync(root, { recursive: true, force: true }))
  const pkg = join(root, 'node_modules', 'electron')
  mkdirSync(pkg, { recursive: true })
  writeFileSync(join(pkg, 'package.json'), JSON.stringify({ version: ELECTRON_VERSION }))
  if (installScript !== undefined) writeFileSync(join(pkg, 'install.js'), installScript)
  return root
}

/** What electron's installer leaves behind: dist/<binary> and path.txt. */
function writeFakeBinary(root: string): string {
  const pkg = join(root, 'node_modules', 'electron')
  const bin = join(pkg, 'dist', 'electron')
  mkdirSync(join(pkg, 'dist'), { recursive: true })
  writeFileSync(bin, '#!/bin/sh\n')
  writeFileSync(join(pkg, 'path.txt'), 'electron')
  return bin
}

function collector(): { write(s: string): boolean; text: () => string } {
  let text = ''
  return { write: (s: string) => ((text += s), true), text: () => text }
}

describe('npm start with an injected downloader', () => {
  it('downloads a missing binary with progress, then builds and launches it', async () => {
    const root = freshRoot()
    const steps: string[] = []
    const out = collector()
    const errors: string[] = []
    const install = async ({ root: r, onProgress }: InstallOptions): Promise<void> => {
      steps.push('install')
      onProgress(40 * 1_048_576)
      await new Promise((r2) => setTimeout(r2, 400)) // long enough for a progress line
      writeFakeBinary(r)
    }
    const code = await start({
      root,
      argv: ['--server', 'http://127.0.0.1:1'],
      install,
      timeoutMs: 10_000,
      out,
      error: (l) => errors.push(l),
      build: (r) => {
        steps.push(`build ${r === root}`)
        return 0
      },
      launch: async (binary, args) => {
        steps.push(`launch ${binary} ${args.join(' ')}`)
        return 7
      },
    })
    expect(errors).toEqual([])
    const bin = join(root, 'node_modules/electron/dist/electron')
    expect(steps).toEqual([
      'install',
      'build true',
      `launch ${bin} ${root} --server http://127.0.0.1:1`,
    ])
    expect(code).toBe(7)
    expect(out.text()).toContain(
      `Downloading Electron ${ELECTRON_VERSION} (one time, ~100 MB; up to 10 s)`,
    )
    expect(out.text()).toContain(`Electron ${ELECTRON_VERSION} is ready`)
  })

  it('shows a spinner with the bytes so far on a terminal', async () => {
    const root = freshRoot()
    const text: string[] = []
    const result = await ensureElectronBinary(root, {
      timeoutMs: 5_000,
      out: { isTTY: true, write: (s: string) => text.push(s) },
      install: async ({ root: r, onProgress }) => {
        onProgress(12.5 * 1_048_576)
        await new Promise((r2) => setTimeout(r2, 500))
        writeFakeBinary(r)
      },
    })
    expect(result).toMatchObject({ ok: true, downloaded: true })
    const CLEAR = '\r\x1b[2K'
    expect(
      text.some(
        (t) =>
          t.startsWith(CLEAR) &&
          /^. Downloading Electron .*: 12\.5 MB after \d+ s$/.test(t.slice(CLEAR.length)),
      ),
    ).toBe(true)
  })

  it('does not download when the binary is there', async () => {
    const root = freshRoot()
    writeFakeBinary(root)
    let installs = 0
    const launched: string[] = []
    const code = await start({
      root,
      install: async () => void installs++,
      out: collector(),
      build: () => 0,
      launch: async (binary) => (launched.push(binary), 0),
    })
    expect(code).toBe(0)
    expect(installs).toBe(0)
    expect(launched).toEqual([join(root, 'node_modules/electron/dist/electron')])
  })

  it('dev mode runs electron-vite dev with the downloaded binary in ELECTRON_EXEC_PATH', async () => {
    const root = freshRoot()
    const calls: Array<{ cmd: string; args: string[]; exec: string | undefined }> = []
    const code = await start({
      root,
      dev: true,
      install: async ({ root: r }) => void writeFakeBinary(r),
      out: collector(),
      build: () => {
        throw new Error('dev mode must not run a production build')
      },
      launch: async (cmd, args, o) => {
        calls.push({ cmd, args, exec: o.env.ELECTRON_EXEC_PATH })
        return 0
      },
    })
    expect(code).toBe(0)
    expect(calls).toEqual([
      {
        cmd: process.execPath,
        args: [join(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'dev'],
        exec: join(root, 'node_modules/electron/dist/electron'),
      },
    ])
  })

  it('a failed download: one line naming the reason and `npm run web`, exit 1, no build', async () => {
    const root = freshRoot()
    const errors: string[] = []
    let built = false
    const code = await start({
      root,
      install: async () => {
        throw new Error('could not reach the download server (TypeError: fetch failed)')
      },
      timeoutMs: 5_000,
      out: collector(),
      error: (l) => errors.push(l),
      build: () => ((built = true), 0),
      launch: async () => 0,
    })
    expect(code).toBe(1)
    expect(built).toBe(false)
    expect(errors).toEqual([
      'Cannot start the desktop app: the Electron download failed: could not reach the download server (TypeError: fetch failed). Use `npm run web` to run the same app in your browser.',
    ])
  })

  it('a download that hangs is given up after the bound, and the installer is told to stop', async () => {
    const root = freshRoot()
    const errors: string[] = []
    let aborted = false
    const t0 = Date.now()
    const code = await start({
      root,
      install: ({ signal }) =>
        new Promise<void>((_resolve, reject) => {
          signal.addEventListener('abort', () => {
            aborted = true
            reject(new Error('aborted'))
          })
        }),
      timeoutMs: 300,
      out: collector(),
      error: (l) => errors.push(l),
      build: () => 0,
      launch: async () => 0,
    })
    expect(code).toBe(1)
    expect(aborted).toBe(true)
    expect(Date.now() - t0).toBeLessThan(3_000)
    expect(errors).toHaveLength(1)
    expect(errors[0]).toMatch(
      /^Cannot start the desktop app: the download did not finish within 0\.3 s \(set DSI_ELECTRON_DOWNLOAD_TIMEOUT=<seconds> to wait longer\)\. Use `npm run web`/,
    )
  })

  it('ELECTRON_RUN_AS_NODE from the parent environment never reaches Electron', async () => {
    // Set by some editors' terminals and tools; Electron would then run main as plain Node.
    const root = freshRoot()
    writeFakeBinary(root)
    const saved = process.env.ELECTRON_RUN_AS_NODE
    process.env.ELECTRON_RUN_AS_NODE = '1'
    cleanups.push(() => {
      if (saved === undefined) delete process.env.ELECTRON_RUN_AS_NODE
      else process.env.ELECTRON_RUN_AS_NODE = saved
    })
    const seen: Array<string | undefined> = []
    for (const dev of [false, true]) {
      const code = await start({
        root,
        dev,
        out: collector(),
        build: () => 0,
        launch: async (_cmd, _args, o) => (seen.push(o.env.ELECTRON_RUN_AS_NODE), 0),
      })
      expect(code).toBe(0)
    }
    expect(seen).toEqual([undefined, undefined])
  })

  it('refuses a Node.js older than 20.19 in one line', async () => {
    const errors: string[] = []
    const code = await start({
      root: freshRoot(),
      nodeVersion: '20.11.1',
      error: (l) => errors.push(l),
    })
    expect(code).toBe(1)
    expect(errors).toEqual([
      'Cannot start the desktop app: Node.js >= 20.19 is required, this is 20.11.1.',
    ])
  })

  it('an installer that reports success without a binary is a failure, not a launch', async () => {
    const errors: string[] = []
    const code = await start({
      root: freshRoot(),
      install: async () => undefined,
      out: collector(),
      error: (l) => errors.push(l),
      build: () => 0,
      launch: async () => 0,
    })
    expect(code).toBe(1)
    expect(errors[0]).toContain(
      'the Electron installer finished, but the Electron binary has not been downloaded',
    )
  })
})

describe('the default installer (node_modules/electron/install.js in a child process)', () => {
  it('turns a failing installer stack into one line', async () => {
    const root = freshRoot(
      "console.error('TypeError: fetch failed\\n    at node:internal/deps/undici:1:1\\n    at async FetchDownloader.download (x.js:46:30)'); process.exit(1)",
    )
    const result = await ensureElectronBinary(root, { timeoutMs: 10_000, out: collector() })
    expect(result).toEqual({
      ok: false,
      reason:
        'the Electron download failed: could not reach the download server (TypeError: fetch failed); offline, or behind a proxy? ELECTRON_MIRROR can point to a reachable mirror',
    })
  })

  it('kills an installer that hangs once the bound has passed', async () => {
    const root = freshRoot('setInterval(() => {}, 1000)')
    const t0 = Date.now()
    const result = await ensureElectronBinary(root, { timeoutMs: 500, out: collector() })
    expect(result.ok).toBe(false)
    expect(Date.now() - t0).toBeLessThan(5_000)
  })

  it('reads the one-line reason out of typical installer output', () => {
    expect(
      installFailureReason(
        'HTTPError: Response code 404 (Not Found) for http://127.0.0.1:9/v45.5.0/electron-v45.5.0-linux-x64.zip\n    at FetchDownloader.download (file:///x.js:1:1)\n',
      ),
    ).toBe(
      'HTTPError: Response code 404 (Not Found) for http://127.0.0.1:9/v45.5.0/electron-v45.5.0-linux-x64.zip',
    )
    expect(installFailureReason('')).toBe('the Electron installer failed without saying why')
  })
})

/** A stored (uncompressed) zip with Unix modes, as Electron's release zips are read. */
function zip(files: Array<{ name: string; data: Buffer; mode: number }>): Buffer {
  const locals: Buffer[] = []
  const centrals: Buffer[] = []
  let offset = 0
  for (const f of files) {
    const name = Buffer.from(f.name)
    const crc = crc32(f.data)
    const local = Buffer.alloc(30)
    local.writeUInt32LE(0x04034b50, 0)
    local.writeUInt16LE(20, 4)
    local.writeUInt32LE(crc, 14)
    local.writeUInt32LE(f.data.length, 18)
    local.writeUInt32LE(f.data.length, 22)
    local.writeUInt16LE(name.length, 26)
    const central = Buffer.alloc(46)
    central.writeUInt32LE(0x02014b50, 0)
    central.writeUInt16LE((3 << 8) | 20, 4) // made by Unix
    central.writeUInt16LE(20, 6)
    central.writeUInt32LE(crc, 16)
    central.writeUInt32LE(f.data.length, 20)
    central.writeUInt32LE(f.data.length, 24)
    central.writeUInt16LE(name.length, 28)
    central.writeUInt32LE(((0o100000 | f.mode) << 16) >>> 0, 38)
    central.writeUInt32LE(offset, 42)
    locals.push(local, name, f.data)
    centrals.push(central, name)
    offset += 30 + name.length + f.data.length
  }
  const cd = Buffer.concat(centrals)
  const end = Buffer.alloc(22)
  end.writeUInt32LE(0x06054b50, 0)
  end.writeUInt16LE(files.length, 8)
  end.writeUInt16LE(files.length, 10)
  end.writeUInt32LE(cd.length, 12)
  end.writeUInt32LE(offset, 16)
  return Buffer.concat([...locals, cd, end])
}

/** A project root with a copy of electron's real installer (its dependencies linked). */
function rootWithRealInstaller(): string {
  const root = freshRoot()
  const pkg = join(root, 'node_modules', 'electron')
  for (const f of ['install.js', 'package.json', 'checksums.json'])
    copyFileSync(join(REPO, 'node_modules/electron', f), join(pkg, f))
  for (const dep of ['@electron', '@electron-internal'])
    symlinkSync(join(REPO, 'node_modules', dep), join(root, 'node_modules', dep), 'junction')
  return root
}

/** Serves `files`; bodies over 64 KiB trickle out in 10 pieces over ~1 s (to see progress). */
async function mirror(files: Map<string, Buffer>): Promise<{ url: string; hits: string[] }> {
  const hits: string[] = []
  const server: Server = createServer((req, res) => {
    hits.push(req.url ?? '')
    const body = files.get(req.url ?? '')
    if (!body) return void res.writeHead(404).end('not here')
    res.writeHead(200, { 'content-length': body.length })
    if (body.length <= 65_536) return void res.end(body)
    const piece = Math.ceil(body.length / 10)
    let at = 0
    const timer = setInterval(() => {
      res.write(body.subarray(at, at + piece))
      at += piece
      if (at >= body.length) {
        clearInterval(timer)
        res.end()
      }
    }, 100)
    res.on('close', () => clearInterval(timer))
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  cleanups.push(() => new Promise<void>((r) => server.close(() => r())))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, hits }
}

/** Runs a copy of scripts/start.mjs whose project root is `root`, as `npm start` would. */
async function runStartCli(
  root: string,
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  mkdirSync(join(root, 'scripts'), { recursive: true })
  for (const f of ['start.mjs', 'electron-binary.mjs'])
    copyFileSync(join(REPO, 'scripts', f), join(root, 'scripts', f))
  const child = spawn(process.execPath, [join(root, 'scripts/start.mjs')], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (b: Buffer) => (stdout += b.toString()))
  child.stderr.on('data', (b: Buffer) => (stderr += b.toString()))
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000)
  const [code] = (await once(child, 'exit')) as [number | null]
  clearTimeout(timer)
  return { code, stdout, stderr }
}

describe.skipIf(process.platform === 'win32')("electron's real installer on this Node.js", () => {
  const env = (mirrorUrl: string, cache: string): NodeJS.ProcessEnv => {
    const e: NodeJS.ProcessEnv = {
      ...process.env,
      ELECTRON_MIRROR: mirrorUrl,
      electron_use_remote_checksums: '1',
      electron_config_cache: cache,
    }
    delete e.ELECTRON_OVERRIDE_DIST_PATH
    delete e.ELECTRON_CUSTOM_DIR
    delete e.ELECTRON_CUSTOM_FILENAME
    return e
  }
  const artifact = `electron-v${ELECTRON_VERSION}-${process.platform}-${process.arch}.zip`

  it('downloads, verifies and unpacks a binary from ELECTRON_MIRROR and writes path.txt', async () => {
    const root = rootWithRealInstaller()
    const body = zip([
      { name: BIN_NAME, data: Buffer.from('#!/bin/sh\necho fake\n'), mode: 0o755 },
      { name: 'version', data: Buffer.from(`v${ELECTRON_VERSION}`), mode: 0o644 },
      // Bulk, so the download takes ~1 s and the status line shows it arriving.
      { name: 'LICENSES.chromium.html', data: Buffer.alloc(1_048_576, 0x61), mode: 0o644 },
    ])
    const sha = createHash('sha256').update(body).digest('hex')
    const m = await mirror(
      new Map([
        [`/v${ELECTRON_VERSION}/${artifact}`, body],
        [`/v${ELECTRON_VERSION}/SHASUMS256.txt`, Buffer.from(`${sha} *${artifact}\n`)],
      ]),
    )
    const lines: string[] = []
    const result = await ensureElectronBinary(root, {
      timeoutMs: 20_000,
      out: { isTTY: true, write: (t: string) => lines.push(t) },
      install: (o) => runElectronInstaller({ ...o, env: env(m.url, join(root, 'cache')) }),
    })
    // The spinner line showed bytes arriving in the installer's temp dir before it finished.
    const shown = lines
      .map((t) => /: (\d+\.\d) MB after/.exec(t)?.[1])
      .filter((mb): mb is string => mb !== undefined)
      .map(Number)
    expect(shown.some((mb) => mb > 0 && mb < 1)).toBe(true)
    const bin = join(root, 'node_modules/electron/dist', BIN_NAME)
    expect(result).toEqual({ ok: true, path: bin, downloaded: true })
    expect(m.hits).toContain(`/v${ELECTRON_VERSION}/${artifact}`)
    expect(readFileSync(join(root, 'node_modules/electron/path.txt'), 'utf8')).toBe(BIN_NAME)
    expect(readFileSync(bin, 'utf8')).toBe('#!/bin/sh\necho fake\n')
  })

  it('`node scripts/start.mjs` with an unreachable download: one line, exit 1, no stack', async () => {
    const root = rootWithRealInstaller()
    const m = await mirror(new Map())
    const t0 = Date.now()
    const r = await runStartCli(root, env(m.url, join(root, 'cache')))
    expect(r.code).toBe(1)
    expect(Date.now() - t0).toBeLessThan(20_000)
    expect(m.hits.length).toBeGreaterThan(0)
    const lines = r.stderr.trim().split('\n')
    expect(lines[0]).toMatch(/^Downloading Electron .* \(one time, ~100 MB; up to 600 s\)…$/)
    expect(lines.slice(1)).toEqual([
      expect.stringMatching(
        /^Cannot start the desktop app: the Electron download failed: HTTPError: Response code 404 \(Not Found\) for http:\/\/127\.0\.0\.1:\d+\/.*\. Use `npm run web` to run the same app in your browser\.$/,
      ),
    ])
    expect(r.stderr).not.toMatch(/\n\s+at /)
    expect(r.stdout).toBe('')
  })

  it('Ctrl-C during the download stops the installer and leaves no partial download behind', async () => {
    const root = rootWithRealInstaller()
    // A mirror that sends the first 256 KiB of a 100 MB zip, then stalls.
    const sockets = new Set<import('node:net').Socket>()
    const server = createServer((req, res) => {
      if (!req.url?.endsWith('.zip')) return void res.writeHead(404).end()
      res.writeHead(200, { 'content-length': 100 * 1_048_576 })
      res.write(Buffer.alloc(256 * 1024, 0x61))
    })
    server.on('connection', (s) => (sockets.add(s), s.on('close', () => sockets.delete(s))))
    server.listen(0, '127.0.0.1')
    await once(server, 'listening')
    cleanups.push(
      () =>
        new Promise<void>((r) => {
          for (const s of sockets) s.destroy()
          server.close(() => r())
        }),
    )
    const tmp = mkdtempSync(join(tmpdir(), 'dsi-start-tmp-'))
    cleanups.push(() => rmSync(tmp, { recursive: true, force: true }))
    mkdirSync(join(root, 'scripts'), { recursive: true })
    for (const f of ['start.mjs', 'electron-binary.mjs'])
      copyFileSync(join(REPO, 'scripts', f), join(root, 'scripts', f))
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`
    // Its own process group, as in a terminal: Ctrl-C signals npm, node and the installer.
    const child = spawn(process.execPath, [join(root, 'scripts/start.mjs')], {
      cwd: root,
      env: { ...env(url, join(root, 'cache')), TMPDIR: tmp },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    })
    const pid = child.pid ?? 0
    let stderr = ''
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()))
    child.stdout.resume()
    const killer = setTimeout(() => process.kill(-pid, 'SIGKILL'), 20_000)
    cleanups.push(() => clearTimeout(killer))
    const exited = once(child, 'exit') as Promise<[number | null, string | null]>
    // Wait until the partial download is in the installer's temp dir.
    const partial = (): number =>
      readdirSync(tmp, { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile())
        .reduce((n, e) => n + statSync(join(e.parentPath, e.name)).size, 0)
    const t0 = Date.now()
    while (partial() < 256 * 1024 && Date.now() - t0 < 15_000)
      await new Promise((r) => setTimeout(r, 100))
    expect(partial()).toBeGreaterThanOrEqual(256 * 1024)
    process.kill(-pid, 'SIGINT')
    const [code, signal] = await exited
    clearTimeout(killer)
    // The installer is gone with it (no process left in the group) and so is its temp dir.
    expect(() => process.kill(-pid, 0)).toThrow()
    expect(readdirSync(tmp, { recursive: true })).toEqual([])
    expect(existsSync(join(root, 'node_modules/electron/path.txt'))).toBe(false)
    expect({ code, signal }).toEqual({ code: 130, signal: null })
    expect(stderr.trim().split('\n').at(-1)).toBe(
      'Electron download cancelled: nothing was installed; `npm start` starts it again.',
    )
  })
})
