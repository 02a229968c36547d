/**
 * Secrets kept in memory only (no usable OS encryption): works like the file store for this run,
 * and the first write tells the user, once, that values must be entered again after a restart.
 */
import { MemorySecretStore, type SecretStore } from '../domains/connections/secret-store.js'

export class MemoryOnlySecretStore implements SecretStore {
  private readonly inner = new MemorySecretStore()
  private told = false

  constructor(private readonly tellUser: () => void) {}

  get(key: string): Promise<string | undefined> {
    return this.inner.get(key)
  }

  async set(key: string, value: string): Promise<void> {
    await this.inner.set(key, value)
    if (this.told) return
    this.told = true
    this.tellUser()
  }

  delete(key: string): Promise<void> {
    return this.inner.delete(key)
  }
}
