import { describe, expect, it } from 'vitest'
import { answerConfirm, confirmAction, useConfirm } from '../../src-renderer/src/state/confirm.js'

describe('confirmations resolve with the answer given in the dialog', () => {
  it('shows the request, resolves with the choice and closes', async () => {
    const asked = confirmAction('Close stream', 'Close orders?', 'Close')
    expect(useConfirm.getState().request).toMatchObject({
      title: 'Close stream',
      message: 'Close orders?',
      confirmLabel: 'Close',
    })
    answerConfirm(true)
    await expect(asked).resolves.toBe(true)
    expect(useConfirm.getState().request).toBeNull()
    const again = confirmAction('Close stream', 'Close orders?')
    answerConfirm(false)
    await expect(again).resolves.toBe(false)
  })

  it('a newer request answers an unanswered one with no', async () => {
    const first = confirmAction('A', 'first?')
    const second = confirmAction('B', 'second?')
    await expect(first).resolves.toBe(false)
    expect(useConfirm.getState().request?.title).toBe('B')
    answerConfirm(true)
    await expect(second).resolves.toBe(true)
    // No request: an answer changes nothing.
    answerConfirm(true)
    expect(useConfirm.getState().request).toBeNull()
  })
})
