/** Bookmarked streams per connection, kept in `bookmarks.json` in the user data dir. */
import { join } from 'node:path'
import { z } from 'zod'
import { JsonFile } from '../app/json-file.js'

const FileSchema = z.record(z.string(), z.array(z.string()))

export class BookmarkStore {
  private readonly file: JsonFile<unknown>

  constructor(userDataDir: string) {
    this.file = new JsonFile<unknown>(join(userDataDir, 'bookmarks.json'), {})
  }

  private async all(): Promise<Record<string, string[]>> {
    return this.parse(await this.file.read())
  }

  private parse(raw: unknown): Record<string, string[]> {
    const parsed = FileSchema.safeParse(raw)
    if (!parsed.success) {
      throw new Error(`Invalid bookmarks file ${this.file.path}: ${parsed.error.message}`)
    }
    return parsed.data
  }

  async list(connectionId: string): Promise<string[]> {
    return (await this.all())[connectionId] ?? []
  }

  async set(connectionId: string, path: string, bookmarked: boolean): Promise<string[]> {
    let result: string[] = []
    await this.file.update((raw) => {
      const all = this.parse(raw)
      const current = (all[connectionId] ?? []).filter((p) => p !== path)
      result = bookmarked ? [...current, path].sort() : current
      all[connectionId] = result
      return all
    })
    return result
  }
}
