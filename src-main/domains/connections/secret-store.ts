/**
 * Secrets (auth headers) are stored through this interface. The Electron app plugs in a
 * safeStorage-backed encoder; tests and the web host use the plain file or memory variants.
 */
import { join } from 'node:path'
import { JsonFile } from '../app/json-file.js'

export interface SecretStore {
  get(key: string): Promise<string | undefined>
  set(key: string, value: string): Promise<void>
  delete(key: string): Promise<void>
}

/** In-memory store (tests, ephemeral sessions). */
export class MemorySecretStore implements SecretStore {
  private readonly map = new Map<string, string>()
  async get(key: string): Promise<string | undefined> {
    return this.map.get(key)
  }
  async set(key: string, value: string): Promise<void> {
    this.map.set(key, value)
  }
  async delete(key: string): Promise<void> {
    this.map.delete(key)
  }
}

/** Encrypts/decrypts a secret; Electron's safeStorage fits this shape. */
export interface SecretCipher {
  encrypt(plain: string): Buffer
  decrypt(sealed: Buffer): string
}

/**
 * File-backed store: values are sealed by the cipher (safeStorage in Electron) and kept as
 * base64 in `secrets.json` with mode 0600.
 */
export class FileSecretStore implements SecretStore {
  private readonly file: JsonFile<Record<string, string>>

  constructor(
    userDataDir: string,
    private readonly cipher: SecretCipher,
  ) {
    this.file = new JsonFile(join(userDataDir, 'secrets.json'), {})
  }

  async get(key: string): Promise<string | undefined> {
    const all = await this.file.read()
    const sealed = all[key]
    return sealed === undefined ? undefined : this.cipher.decrypt(Buffer.from(sealed, 'base64'))
  }

  async set(key: string, value: string): Promise<void> {
    const sealed = this.cipher.encrypt(value).toString('base64')
    await this.file.update((all) => ({ ...all, [key]: sealed }))
  }

  async delete(key: string): Promise<void> {
    await this.file.update((all) => {
      const next = { ...all }
      delete next[key]
      return next
    })
  }
}
