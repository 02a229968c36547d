/** Bookmarked streams per connection, kept in `bookmarks.json` in the user data dir. */
import { join } from 'node:path'
import { z } from 'zod'
import { JsonFile } from './json-file.js'

const FileSchema = z.record(z.string(), z.array(z.string()))

export class BookmarkStore {
  private readonly file: JsonFile<unknown>

  constructor(userDataDir: string) {
    this.file = new JsonFile<unknown>(join(userDataDir, 'bookmarks.json'), {})
  }

  private async all(): Promise<Record<string, string[]>> {
    const parsed = FileSchema.safeParse(await this.file.read())
    if (!parsed.success) {
      throw new Error(`Invalid bookmarks file ${this.file.path}: ${parsed.error.message}`)
    }
    return parsed.data
  }

  async list(connectionId: string): Promise<string[]> {
    return (await this.all())[connectionId] ?? []
  }

  async set(connectionId: string, path: string, bookmarked: boolean): Promise<string[]> {
    const all = await this.all()
    const current = (all[connectionId] ?? []).filter((p) => p !== path)
    all[connectionId] = bookmarked ? [...current, path].sort() : current
    await this.file.write(all)
    return all[connectionId]
  }
}
