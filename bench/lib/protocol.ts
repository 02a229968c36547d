/**
 * Types shared by the coordinator and the child processes: jobs, results and IPC messages.
 */

export const SUBJECTS = ['ours', 'official', 'raw'] as const
export type SubjectName = (typeof SUBJECTS)[number]

/** Result rows. Scenario 9 has two rows (SSE and long-poll readers). */
export const ROWS = ['1', '2', '3', '4', '5', '6', '7', '8', '9a', '9b', '10'] as const
export type RowId = (typeof ROWS)[number]

/** Sizes and repetition counts (full or quick). */
export interface Sizes {
  /** Rounds per subject that are run and discarded before measuring. */
  warmupRounds: number
  /** Measured rounds per subject. */
  rounds: number
  /** Scenarios 1, 2, 5: operations per child, after `latencyWarmup` unmeasured ones. */
  latencyIters: number
  latencyWarmup: number
  /** Scenarios 3, 4: round trips per child (each on a fresh stream). */
  liveIters: number
  liveWarmup: number
  /** How long a live reader is given to park at the server before the append (ms). */
  parkMs: number
  /** Scenario 6: message count and size; runs per child (plus one warm-up run of a tenth). */
  smallCount: number
  smallSize: number
  smallRuns: number
  /** Scenario 7. */
  largeCount: number
  largeSize: number
  largeRuns: number
  /** Scenario 8: messages in the JSON stream; reads per child (plus one warm-up read). */
  readCount: number
  readRuns: number
  /** Scenario 9: messages written per run, their size, messages per writer batch, runs per child. */
  tailCount: number
  tailSize: number
  tailBatch: number
  tailRuns: number
  /** Scenario 10: messages read; the writer stays at most `memWindow` messages ahead. */
  memCount: number
  memWindow: number
}

/** What a child runs: one subject, one row, one round (passed in the BENCH_JOB variable). */
export interface Job {
  row: RowId
  subject: SubjectName
  round: number
  serverUrl: string
  /** Stream URLs prepared by the coordinator (meaning depends on the row). */
  urls: string[]
  sizes: Sizes
}

/** What a child reports. */
export interface JobResult {
  /**
   * Latency rows: one duration (ms) per operation. Throughput rows: one duration (ms) per
   * run. Row 10: peak RSS growth (MiB) per run.
   */
  samples: number[]
  /** Messages per throughput sample. */
  items?: number
  /** Bytes per throughput sample. */
  bytes?: number
  /** CPU time (ms, user + system) of the child during the measured samples. */
  cpuMs?: number
  /** Row-specific numbers (live-tail latencies, memory details). */
  extra?: Record<string, number>
  /** Streams written by a producer row, for the coordinator's exactly-once check. */
  written?: Array<{ url: string; count: number; size: number }>
}

export type FromChild =
  | { type: 'ready' }
  | { type: 'progress'; read: number }
  | { type: 'result'; result: JobResult }
  | { type: 'error'; message: string }

/** Messages in run `k` of a producer row: run 0 is a warm-up with a tenth of the count. */
export function runCountFor(count: number, k: number): number {
  return k === 0 ? Math.max(1, Math.round(count / 10)) : count
}

/** Messages in live-tail run `k`: run 0 is a warm-up with a tenth of the count. */
export const liveCountFor = runCountFor
