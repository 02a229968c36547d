export type FindResult =
  { ok: true; path: string } | { ok: false; reason: string; missing: boolean }
export type EnsureResult =
  { ok: true; path: string; downloaded: boolean } | { ok: false; reason: string; cancelled?: true }
export interface InstallOptions {
  root: string
  signal: AbortSignal
  onProgress: (bytes: number) => void
}
export type Installer = (opts: InstallOptions) => Promise<void>
export interface StatusOut {
  write(s: string): unknown
  isTTY?: boolean
}
export declare const DEFAULT_DOWNLOAD_TIMEOUT_MS: number
export declare function findElectronBinary(root: string): FindResult
export declare function electronVersion(root: string): string
export declare function downloadTimeoutMs(env: NodeJS.ProcessEnv): number
export declare function installFailureReason(stderr: string): string
export declare function runElectronInstaller(
  opts: InstallOptions & { env?: NodeJS.ProcessEnv },
): Promise<void>
export declare function ensureElectronBinary(
  root: string,
  opts?: { install?: Installer; timeoutMs?: number; out?: StatusOut },
): Promise<EnsureResult>
