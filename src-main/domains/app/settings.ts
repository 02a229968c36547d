/** Settings persisted as JSON in the user data dir (written atomically). */
import { join } from 'node:path'
import { z } from 'zod'
import { JsonFile } from './json-file.js'

export const ConnectionProfileSchema = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  baseUrl: z.url(),
  /** Header names; values live in the secret store under `header:<id>:<name>`. */
  headerNames: z.array(z.string().min(1)).default([]),
})
export type ConnectionProfile = z.infer<typeof ConnectionProfileSchema>

export const WindowStateSchema = z.object({
  width: z.number().int().min(400),
  height: z.number().int().min(300),
  x: z.number().int().optional(),
  y: z.number().int().optional(),
  maximized: z.boolean().default(false),
})
export type WindowState = z.infer<typeof WindowStateSchema>

export const SettingsSchema = z.object({
  version: z.literal(1).default(1),
  connections: z.array(ConnectionProfileSchema).default([]),
  /** Streams the user opened, per connection id. */
  openedStreams: z.record(z.string(), z.array(z.string())).default({}),
  window: WindowStateSchema.optional(),
})
export type Settings = z.infer<typeof SettingsSchema>

export class SettingsStore {
  private readonly file: JsonFile<unknown>
  private current: Settings | null = null

  constructor(userDataDir: string) {
    this.file = new JsonFile<unknown>(join(userDataDir, 'settings.json'), {})
  }

  get path(): string {
    return this.file.path
  }

  async load(): Promise<Settings> {
    if (this.current) return this.current
    const raw = await this.file.read()
    const parsed = SettingsSchema.safeParse(raw)
    if (!parsed.success) {
      throw new Error(`Invalid settings in ${this.file.path}: ${parsed.error.message}`)
    }
    this.current = parsed.data
    return this.current
  }

  /** Read-modify-write, queued behind any other update so concurrent callers never lose changes. */
  async update(mutate: (s: Settings) => Settings): Promise<Settings> {
    let next: Settings | null = null
    await this.file.update(
      (current) => {
        next = SettingsSchema.parse(mutate(structuredClone(current as Settings)))
        this.current = next
        return next
      },
      () => this.load(),
    )
    if (next === null) throw new Error('settings update did not run')
    return next
  }
}
