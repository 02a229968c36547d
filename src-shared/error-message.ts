/**
 * The one way the app turns a caught value into words: an Error's message, a serialized error's
 * `message` (what crosses IPC), else the value as a string. Used by main and renderer alike.
 */
export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message
  if (typeof err === 'object' && err !== null && 'message' in err) {
    const { message } = err
    if (typeof message === 'string') return message
  }
  return String(err)
}
