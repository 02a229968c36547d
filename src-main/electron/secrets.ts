/** Secret storage for the desktop app: safeStorage-encrypted on disk, or memory only. */
import { dialog, safeStorage } from 'electron'
import {
  FileSecretStore,
  type SecretCipher,
  type SecretStore,
} from '../domains/connections/secret-store.js'
import { MemoryOnlySecretStore } from './memory-secrets.js'
import { secretPersistence } from './trust.js'

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

/**
 * Call after `app.whenReady()` (before it, Linux reports the backend as "unknown"). Without a
 * real keyring (Linux `basic_text`), header values stay in memory and the first one saved shows
 * a notice saying so, once per run.
 */
export function desktopSecretStore(userDataDir: string): SecretStore {
  const decision = secretPersistence({
    platform: process.platform,
    encryptionAvailable: safeStorage.isEncryptionAvailable(),
    ...(process.platform === 'linux'
      ? { linuxBackend: safeStorage.getSelectedStorageBackend() }
      : {}),
  })
  if (decision.persist) return new FileSecretStore(userDataDir, safeStorageCipher())
  console.warn(`[secrets] kept in memory only: ${decision.reason}`)
  return new MemoryOnlySecretStore(() => {
    void dialog
      .showMessageBox({
        type: 'warning',
        title: 'Secrets are not saved',
        message: 'Connection header values are kept in memory only',
        detail: `${decision.reason[0]?.toUpperCase() ?? ''}${decision.reason.slice(1)}, so they are not written to disk. Enter them again after restarting the app. Installing and unlocking a keyring (GNOME Keyring or KWallet) lets the app store them encrypted.`,
      })
      .catch((err: unknown) => console.error('[secrets] showing the notice failed:', err))
  })
}
