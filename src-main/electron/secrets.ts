/** safeStorage-backed secret cipher for the FileSecretStore. */
import { safeStorage } from 'electron'
import type { SecretCipher } from '../services/secret-store.js'

export function safeStorageCipher(): SecretCipher {
  return {
    encrypt(plain: string): Buffer {
      if (!safeStorage.isEncryptionAvailable()) {
        throw new Error(
          'OS secret encryption is not available; refusing to store a secret in clear text',
        )
      }
      return safeStorage.encryptString(plain)
    },
    decrypt(sealed: Buffer): string {
      return safeStorage.decryptString(sealed)
    },
  }
}
