/**
 * The report model: what one profiled run produced. Its JSON form is the `parascope.report/1`
 * schema of the product doc — fields named there are never renamed (tests, the CLI's `--json`
 * and the webview all read them); new fields may be added freely.
 *
 * Type-only module: imported by the core, the CLI, the extension host and the webview.
 */

export type PoolKind = 'serial' | 'thread' | 'process' | 'interpreter';
export type PoolOverrideKind = 'asis' | PoolKind;
export type StartMethod = 'fork' | 'spawn' | 'forkserver';
export type Severity = 'error' | 'warning' | 'info' | 'hint';

/** A place in the user's code (1-based line). */
export interface SourceSite {
  file: string;
  line: number;
  function?: string;
}

export interface PythonInfo {
  executable: string;
  version: string;
  implementation: string;
  /** false on free-threaded builds running without the GIL. */
  gilEnabled: boolean;
  freeThreaded: boolean;
}

/** One pool the script created, and what the override turned it into. */
export interface PoolInstance {
  poolId: string;
  api: string;
  requested: { kind: PoolKind; workers: number | null; startMethod: StartMethod | null; chunksize: number | null };
  effective: { kind: PoolKind; workers: number | null; startMethod: StartMethod | null; chunksize: number | null };
  replaced: boolean;
  site: SourceSite | null;
}

export interface PoolSummary {
  /** The override asked for (`asis` = the code's own pools). */
  kind: PoolOverrideKind;
  workers: number | null;
  startMethod: StartMethod | null;
  chunksize: number | null;
  /** Every pool the script created, with what it asked for and what ran. */
  instances: PoolInstance[];
}

export interface CoreSeries {
  id: number;
  /** Fraction 0–1 of the core busy in each sample interval (all programs). */
  busy: number[];
  /** Fraction 0–1 of the core spent on the workload's threads. */
  workload: number[];
  /** Fraction 0–1 taken by the hypervisor (steal). */
  steal: number[];
  /** Averages over the run: busy (all programs), the workload's part, other programs', steal. */
  share?: { busy: number; workload: number; other: number; steal: number };
}

export interface WorkerSummary {
  pid: number;
  tid: number;
  kind: PoolKind | 'main' | 'lane';
  poolId: string | null;
  name?: string;
  cpuSeconds: number;
  tasks: number;
  /** Share of the worker's lifetime spent running tasks (0–1). */
  busyShare: number;
  /** For `lane` workers: a raw `Thread` or `Process` fan-out. */
  laneKind?: 'thread' | 'process';
}

/**
 * Did the run fan work out (pool workers or raw Thread/Process lanes)? Parallel efficiency
 * means something only then: the verdict, the CLI summary and the panel's card all ask this.
 */
export function fannedOut(workers: readonly Pick<WorkerSummary, 'kind'>[]): boolean {
  return workers.some((w) => w.kind !== 'main');
}

export interface TaskRecord {
  /** Index into `workers`. */
  worker: number;
  poolId: string | null;
  /** Seconds since the run started. */
  start: number;
  end: number;
  cpuSeconds: number;
  argBytes: number;
  resultBytes: number;
  pickleSeconds: number;
  site: SourceSite | null;
  ok: boolean;
  error?: string;
}

export interface Finding {
  rule: string;
  severity: Severity;
  message: string;
  file: string;
  line: number;
  column?: number;
  endLine?: number;
  endColumn?: number;
  /** Path inside a payload, for runtime pickling findings (`args[1].conn._sock`). */
  path?: string;
  /** Offending type, for runtime pickling findings. */
  type?: string;
  /** Where it came from: the static checks or the runtime harness. */
  source?: 'static' | 'runtime';
}

export type UtilizationClass = 'idle' | 'poor' | 'ok' | 'ideal';

export interface Verdict {
  id: 'gil' | 'efficiency' | 'ipc' | 'oversubscription' | 'migrations' | 'quota' | 'idle' | 'free-threaded' | 'pickling' | 'hang' | 'sampler'
    | 'task-errors' | 'subinterpreter' | 'granularity';
  level: 'good' | 'info' | 'warning' | 'problem';
  title: string;
  /** The reason, in words, with the numbers. */
  detail: string;
  /** The user's line it is about (the submitting line, the pool), when there is one: the panel opens it. */
  site?: { file: string; line: number };
}

export interface Metrics {
  parallelEfficiency: number | null;
  utilizationClass: UtilizationClass;
  gilBound: boolean;
  gilWaitShare: number | null;
  ipcShare: number | null;
  /** Run-queue delay ÷ wall time summed over the workload's threads (runnable but waiting). */
  oversubscription: number | null;
  migrations: number;
  idleShare: number | null;
  verdicts: Verdict[];
  /** Core changes counted in all (`migrations` is per thread that ran). */
  migrationsTotal?: number;
  /** Cores other programs kept busy meanwhile (average of busy − workload over all cores). */
  otherProgramsCores?: number;
  /** The GIL analysis behind `gilBound`, per process running tasks on ≥ 2 threads. */
  gilProcesses?: { pid: number; taskThreads: number; overlapSeconds: number; cores: number | null; waitShare: number | null; bound: boolean }[];
}

export interface Report {
  schema: 'parascope.report/1';
  id: string;
  script: string;
  args: string[];
  cwd: string;
  startedAt: string;
  python: PythonInfo;
  pool: PoolSummary;
  exitCode: number | null;
  signal: string | null;
  cancelled: boolean;
  hung: boolean;
  wallSeconds: number;
  cpuSeconds: number;
  coresUsed: number;
  cpuCount: number;
  usableCpus: number;
  sampleIntervalMs: number;
  /** Sampler used: exact procfs counters, or the coarser portable fallback. */
  sampler: { kind: 'procfs' | 'os.cpus'; coarse: boolean; samples: number };
  /** Seconds since the run started, one per sample (the x axis of `cores[].busy`). */
  sampleTimes: number[];
  /** Workload cores used in each sample interval. */
  coresUsedSeries: number[];
  cores: CoreSeries[];
  workers: WorkerSummary[];
  tasks: TaskRecord[];
  metrics: Metrics;
  findings: Finding[];
  /** Event-ingestion health: corrupt lines and events the harness had to drop. */
  ingest: { corruptLines: number; droppedEvents: number; files: number };
}

export interface SweepPoint {
  pool: PoolKind;
  workers: number;
  wallSeconds: number[];
  median: number;
  /** (max − min) ÷ median of the repeats. */
  spread: number;
  speedup: number;
  /** Speedup against a serial run, when one was measured. */
  speedupVsSerial: number | null;
  efficiency: number;
  coresUsed: number;
  /**
   * Cores other programs and the hypervisor (steal) kept busy during the point's runs, median of
   * its repeats: what the workload could not have. Null without per-process counters; absent in
   * sweeps saved before it was recorded.
   */
  busyElsewhere?: number | null;
  gilBound: boolean;
  failure: { rule: string; message: string; file: string; line: number } | null;
}

/** Cores busy elsewhere from which a sweep's figures deserve a note: they are lower than on a quiet machine. */
export const BUSY_ELSEWHERE_NOTE = 0.25;

/** The point that other programs disturbed most, when any lost at least `BUSY_ELSEWHERE_NOTE` cores. */
export function busiestElsewhere(points: readonly SweepPoint[]): SweepPoint | null {
  let worst: SweepPoint | null = null;
  for (const p of points) {
    const cores = p.busyElsewhere;
    if (typeof cores === 'number' && cores >= BUSY_ELSEWHERE_NOTE && (!worst || cores > (worst.busyElsewhere as number))) worst = p;
  }
  return worst;
}

export interface SweepReport {
  schema: 'parascope.sweep/1';
  id: string;
  script: string;
  args: string[];
  startedAt: string;
  python: PythonInfo;
  usableCpus: number;
  repeat: number;
  points: SweepPoint[];
  serialFraction: number | null;
  noisy: boolean;
  stoppedEarly: string[];
  recommendation: { pool: PoolKind; workers: number; reason: string } | null;
  /** The sweep was cancelled: `points` hold what was measured before. */
  cancelled?: boolean;
  /** Where the script creates its pools (from the runs), for the editor's CodeLens. */
  poolSites?: SourceSite[];
}
