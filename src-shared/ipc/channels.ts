/**
 * Electron IPC channel names, free of any runtime dependency so the sandboxed preload can
 * import them without bundling the schema library. Method and event names are in
 * src-shared/contract/names.ts.
 */

/** Electron IPC channel carrying request/response calls (ipcRenderer.invoke). */
export const CALL_CHANNEL = 'dsi:call'
/** Electron IPC channel carrying main→renderer events. */
export const EVENT_CHANNEL = 'dsi:event'
