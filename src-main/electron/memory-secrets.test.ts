import { describe, expect, it } from 'vitest'
import { MemoryOnlySecretStore } from './memory-secrets.js'

describe('MemoryOnlySecretStore', () => {
  it('keeps values for the run and tells the user once, on the first write', async () => {
    let told = 0
    const store = new MemoryOnlySecretStore(() => told++)
    expect(told).toBe(0)
    await store.set('conn/a', 'Bearer 1')
    await store.set('conn/b', 'Bearer 2')
    expect(told).toBe(1)
    expect(await store.get('conn/a')).toBe('Bearer 1')
    await store.delete('conn/a')
    expect(await store.get('conn/a')).toBeUndefined()
    expect(await store.get('conn/b')).toBe('Bearer 2')
    expect(told).toBe(1)
  })
})
