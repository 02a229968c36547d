/**
 * Zombie fencing and auto-claim (PROTOCOL.md §5.2.1): the newer epoch wins, the stale
 * producer gets StaleEpochError and writes nothing more; with autoClaim a restarted producer
 * takes over at the server's epoch + 1.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Client, IdempotentProducer, StaleEpochError } from '../../src-shared/client/index.js'
import { startServer, type TestServer } from '../helpers/server.js'

let srv: TestServer
beforeAll(async () => {
  srv = await startServer()
})
afterAll(async () => {
  await srv.stop()
})

async function jsonStream(): Promise<string> {
  const url = srv.streamUrl('fence')
  await new Client().stream(url).createStream({ contentType: 'application/json' })
  return url
}

const ct = 'application/json'

describe('zombie fencing', () => {
  it('the newer epoch wins; the old producer is fenced and writes nothing more', async () => {
    const url = await jsonStream()
    const zombie = new IdempotentProducer({ url, producerId: 'svc', epoch: 0, contentType: ct })
    await zombie.appendAndWait('old-1')
    const successor = new IdempotentProducer({ url, producerId: 'svc', epoch: 1, contentType: ct })
    await successor.appendAndWait('new-1')

    const errors: Error[] = []
    zombie.on('error', (e) => errors.push(e))
    zombie.append('old-2')
    const err = await zombie.flush().then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(err).toBeInstanceOf(StaleEpochError)
    expect((err as StaleEpochError).currentEpoch).toBe(1)
    expect((err as StaleEpochError).status).toBe(403)
    expect((err as StaleEpochError).message).toContain(url)
    expect(errors).toHaveLength(1)
    expect(zombie.stats.lastError).toBe(err)
    // It stops accepting appends.
    expect(() => zombie.append('old-3')).toThrow(StaleEpochError)

    await successor.appendAndWait('new-2')
    await successor.close()
    expect(await new Client().stream(url).readAll()).toEqual(['old-1', 'new-1', 'new-2'])
  })

  it('autoClaim: a restarted producer at epoch 0 reclaims at server epoch + 1 and resends in order', async () => {
    const url = await jsonStream()
    const before = new IdempotentProducer({ url, producerId: 'eph', epoch: 4, contentType: ct })
    await before.appendAndWait('from-epoch-4')
    await before.detach()

    const restarted = new IdempotentProducer({
      url,
      producerId: 'eph',
      autoClaim: true,
      contentType: ct,
      maxBatchItems: 2,
      maxInFlight: 3,
    })
    const epochs: Array<{
      epoch: number
      previous: number
      currentServerEpoch: number | undefined
    }> = []
    restarted.on('epoch', (e) => epochs.push(e))
    for (let i = 0; i < 20; i++) restarted.append(i)
    await restarted.flush()
    expect(epochs[0]).toEqual({ epoch: 5, previous: 0, currentServerEpoch: 4 })
    expect(restarted.epoch).toBe(5)
    await restarted.close()
    expect(await new Client().stream(url).readAll()).toEqual([
      'from-epoch-4',
      ...Array.from({ length: 20 }, (_, i) => i),
    ])
  })

  it('without autoClaim the same restart fails with the server epoch', async () => {
    const url = await jsonStream()
    await new IdempotentProducer({
      url,
      producerId: 'noclaim',
      epoch: 3,
      contentType: ct,
    }).appendAndWait('x')
    const p = new IdempotentProducer({ url, producerId: 'noclaim', contentType: ct })
    await expect(p.appendAndWait('y')).rejects.toMatchObject({
      name: 'StaleEpochError',
      currentEpoch: 3,
    })
    expect(await new Client().stream(url).readAll()).toEqual(['x'])
  })
})
