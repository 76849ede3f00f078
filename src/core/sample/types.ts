/** What a sampler hands to the run and to the report builder. */

/** One sample: the interval that ended `t` seconds after the run started. */
export interface SamplePoint {
  t: number;
  /** Per core (in `coreIds` order), fractions 0–1 of the interval. */
  busy: number[];
  workload: number[];
  steal: number[];
  /** Workload cores used in the interval (CPU seconds ÷ wall seconds). */
  coresUsed: number;
}

/** A workload process as the sampler saw it. */
export interface SampledProcess {
  pid: number;
  ppid: number;
  startTime: number;
  comm: string;
  /** Seconds since the run started, first and last seen alive. */
  firstSeen: number;
  lastSeen: number;
  /** CPU seconds attributed to this process (itself and the children it reaped). */
  cpuSeconds: number;
  /** Index of the sample `cpu[0]` belongs to. */
  cpuStart: number;
  /** CPU seconds per sample interval, from `cpuStart` on. */
  cpu: number[];
}

/** A workload thread as the sampler saw it. */
export interface SampledThread {
  pid: number;
  tid: number;
  comm: string;
  cpuSeconds: number;
  /** Seconds runnable but waiting for a CPU (schedstat run delay). */
  runDelaySeconds: number;
  /** Times the thread was seen on a different core than at the previous sample. */
  migrations: number;
  /** Samples at which the thread ran (consumed CPU in the interval). */
  activeSamples: number;
  /** GIL probes: samples at which it ran in a process with ≥ 2 such threads, and how many found it blocked on a futex while a sibling ran. */
  gilProbes: number;
  futexWaits: number;
}

export interface SamplerResult {
  kind: 'procfs' | 'os.cpus';
  coarse: boolean;
  intervalMs: number;
  /** Core ids, in the order of every per-core array. */
  coreIds: number[];
  samples: SamplePoint[];
  /** Workload CPU seconds over all samples. */
  cpuSeconds: number;
  /** Seconds since the run started of the first reading (the baseline) and of the last sample. */
  startedAt: number;
  lastAt: number;
  processes: SampledProcess[];
  threads: SampledThread[];
  /** The futex syscall number used for GIL probes, or null where not measured. */
  futexSyscall: number | null;
  /** The sampler's own bookkeeping, for the benchmark and the report's health line. */
  stats: { ticks: number; rescans: number; reads: number; syscallReads: number; errors?: number };
}

export interface Sampler {
  readonly kind: 'procfs' | 'os.cpus';
  /** Takes the baseline reading and starts sampling every interval. */
  start(): void;
  /** Takes one last sample (when `final`) and stops. Idempotent. */
  stop(final?: boolean): void;
  /** Every workload process seen so far that is still alive, found by a fresh scan (for cancellation). */
  scanTree(): { pid: number; startTime: number }[];
  result(): SamplerResult;
}
