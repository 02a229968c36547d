import type { Installer, StatusOut } from './electron-binary.mjs'

export declare const MIN_NODE: number[]
export declare function nodeAtLeast(version: string, min: number[]): boolean
export interface StartOptions {
  root?: string
  argv?: string[]
  dev?: boolean
  nodeVersion?: string
  install?: Installer
  timeoutMs?: number
  out?: StatusOut
  error?: (line: string) => void
  build?: (root: string) => number | Promise<number>
  launch?: (
    binary: string,
    args: string[],
    opts: { cwd: string; env: NodeJS.ProcessEnv },
  ) => Promise<number>
}
export declare function start(opts?: StartOptions): Promise<number>
