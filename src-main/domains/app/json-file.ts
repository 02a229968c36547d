/** Atomic JSON persistence: write to a temp file in the same directory, fsync, rename. */
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises'
import { dirname } from 'node:path'
import { randomBytes } from 'node:crypto'
import { errorMessage } from '../../../src-shared/error-message.js'

/** Reads a JSON file; returns `fallback` only when the file does not exist. */
export async function readJsonFile<T>(path: string, fallback: T): Promise<T> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return fallback
    throw err
  }
  try {
    return JSON.parse(text) as T
  } catch (err) {
    throw new Error(`Corrupt JSON in ${path}: ${errorMessage(err)}`, { cause: err })
  }
}

/** Writes JSON atomically so a crash never leaves a half-written file. */
export async function writeJsonFile(path: string, value: unknown): Promise<void> {
  await mkdir(dirname(path), { recursive: true })
  const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`
  const handle = await open(tmp, 'w', 0o600)
  try {
    await handle.writeFile(JSON.stringify(value, null, 2) + '\n', 'utf8')
    await handle.sync()
  } finally {
    await handle.close()
  }
  try {
    await rename(tmp, path)
  } catch (err) {
    await rm(tmp, { force: true })
    throw err
  }
}

/**
 * Serialises access to one file: writes land in order, and `update` runs its whole
 * read-modify-write under the same queue so concurrent updates never lose each other's changes.
 */
export class JsonFile<T> {
  private chain: Promise<void> = Promise.resolve()
  constructor(
    readonly path: string,
    private readonly fallback: T,
  ) {}

  read(): Promise<T> {
    return readJsonFile(this.path, this.fallback)
  }

  write(value: T): Promise<void> {
    return this.exclusive(() => writeJsonFile(this.path, value))
  }

  /**
   * Reads the current value (from `current`, by default the file), applies `mutate` and writes the
   * result, with no other write or update of this file in between. Resolves with the written value.
   */
  update(
    mutate: (current: T) => T | Promise<T>,
    current: () => Promise<T> = () => this.read(),
  ): Promise<T> {
    return this.exclusive(async () => {
      const next = await mutate(await current())
      await writeJsonFile(this.path, next)
      return next
    })
  }

  private exclusive<R>(fn: () => Promise<R>): Promise<R> {
    const next = this.chain.then(fn)
    // Keep the chain alive after a failure; the caller still sees the rejection via `next`.
    this.chain = next.then(
      () => undefined,
      () => undefined,
    )
    return next
  }
}
