import { afterEach, describe, expect, it } from 'vitest'
import { join } from 'node:path'
import { tempDir } from '../../testing/harness.js'
import { BookmarkStore } from '../streams/bookmarks.js'
import { JsonFile } from './json-file.js'
import { FileSecretStore, type SecretCipher } from '../connections/secret-store.js'
import { SettingsStore } from './settings.js'

const dirs: Array<{ remove(): void }> = []
const dir = (): string => {
  const d = tempDir()
  dirs.push(d)
  return d.path
}
afterEach(() => {
  for (const d of dirs.splice(0)) d.remove()
})

const plainCipher: SecretCipher = {
  encrypt: (plain) => Buffer.from(plain, 'utf8'),
  decrypt: (sealed) => sealed.toString('utf8'),
}

describe('concurrent read-modify-write', () => {
  it('JsonFile.update: two concurrent updates both land', async () => {
    const file = new JsonFile<Record<string, number>>(join(dir(), 'x.json'), {})
    await file.write({ a: 0 })
    await Promise.all([file.update((v) => ({ ...v, b: 1 })), file.update((v) => ({ ...v, c: 2 }))])
    expect(await file.read()).toEqual({ a: 0, b: 1, c: 2 })
  })

  it('JsonFile.update: a failed update does not block the next one', async () => {
    const file = new JsonFile<Record<string, number>>(join(dir(), 'x.json'), {})
    const failed = file.update(() => {
      throw new Error('boom')
    })
    const next = file.update((v) => ({ ...v, ok: 1 }))
    await expect(failed).rejects.toThrow('boom')
    await expect(next).resolves.toEqual({ ok: 1 })
  })

  it('SettingsStore.update: two concurrent updates both land (in memory and on disk)', async () => {
    const d = dir()
    const store = new SettingsStore(d)
    await Promise.all([
      store.update((s) => ({ ...s, openedStreams: { ...s.openedStreams, c1: ['a'] } })),
      store.update((s) => ({ ...s, openedStreams: { ...s.openedStreams, c2: ['b'] } })),
    ])
    expect((await store.load()).openedStreams).toEqual({ c1: ['a'], c2: ['b'] })
    expect((await new SettingsStore(d).load()).openedStreams).toEqual({ c1: ['a'], c2: ['b'] })
  })

  it('BookmarkStore.set: two concurrent sets both land', async () => {
    const store = new BookmarkStore(dir())
    await Promise.all([store.set('c', 'a', true), store.set('c', 'b', true)])
    expect(await store.list('c')).toEqual(['a', 'b'])
  })

  it('FileSecretStore: concurrent set/set/delete on an existing file all land', async () => {
    const d = dir()
    const store = new FileSecretStore(d, plainCipher)
    await store.set('k0', 'v0')
    await Promise.all([store.set('k1', 'v1'), store.set('k2', 'v2'), store.delete('k0')])
    const fresh = new FileSecretStore(d, plainCipher)
    expect(await fresh.get('k1')).toBe('v1')
    expect(await fresh.get('k2')).toBe('v2')
    expect(await fresh.get('k0')).toBeUndefined()
  })
})
