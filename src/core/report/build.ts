/**
 * Assembles the `parascope.report/1` report from what a run produced: the harness's events
 * (folded by `RunCollector`), the sampler's series and the interpreter's facts. Pure: the run
 * core calls it once the tree is gone; tests call it on fixtures.
 */
import type { CollectedRun } from '../run/collect';
import type { SamplerResult } from '../sample/types';
import { computeMetrics } from './metrics';
import type { CoreSeries, PoolOverrideKind, PoolSummary, PythonInfo, Report, StartMethod, WorkerSummary } from './model';

export interface BuildInput {
  runId: string;
  script: string;
  args: string[];
  cwd: string;
  /** Epoch milliseconds of the spawn. */
  startedAtMs: number;
  wallSeconds: number;
  exitCode: number | null;
  signal: string | null;
  cancelled: boolean;
  python: PythonInfo;
  pool: { kind: PoolOverrideKind; workers: number | null; startMethod: StartMethod | null; chunksize: number | null };
  collected: CollectedRun;
  sampler: SamplerResult;
  cpuCount: number;
  /** CPUs Python may run on (`sched_getaffinity`) and the cgroup quota in CPUs. */
  limits: { affinity: number | null; quota: number | null; quotaSource: string | null };
  ingest: { corruptLines: number; droppedEvents: number; files: number };
}

/** The harness's exit code for "a pool could never finish; the run was ended". */
export const HANG_EXIT_CODE = 123;

const round = (x: number, digits = 4) => {
  const factor = 10 ** digits;
  return Math.round(x * factor) / factor;
};

/** Usable CPUs = min(CPU count, affinity, cgroup quota). */
export function usableCpus(cpuCount: number, limits: { affinity: number | null; quota: number | null }): number {
  return round(Math.min(cpuCount, limits.affinity ?? Infinity, limits.quota ?? Infinity), 2);
}

export function buildReport(input: BuildInput): Report {
  const { collected, sampler } = input;
  const main = collected.processes.find((p) => p.role === 'main');
  const python: PythonInfo = {
    ...input.python,
    // What the running interpreter said wins (PYTHON_GIL=1 re-enables the GIL on a free-threaded build).
    gilEnabled: main?.python ? main.python.gilEnabled : input.python.gilEnabled,
  };
  const cpuCount = input.cpuCount;
  const usable = usableCpus(cpuCount, input.limits);
  const wall = Math.max(0, input.wallSeconds);
  const samples = sampler.samples;
  const window = sampler.lastAt - sampler.startedAt;
  const taskCpu = collected.tasks.reduce((sum, t) => sum + t.cpuSeconds, 0);
  let cpuSeconds: number;
  let coresUsed: number;
  if (sampler.coarse || sampler.kind !== 'procfs') {
    // No per-process counters: the tasks' own CPU times are the best measure available.
    cpuSeconds = taskCpu;
    coresUsed = wall > 0 ? taskCpu / wall : 0;
  } else if (samples.length > 0 && window > 0) {
    // Rate over the sampled window: the unsampled tail (< 1 interval) neither adds nor dilutes.
    coresUsed = sampler.cpuSeconds / window;
    cpuSeconds = Math.max(sampler.cpuSeconds, taskCpu);
  } else {
    cpuSeconds = Math.max(sampler.cpuSeconds, taskCpu);
    coresUsed = wall > 0 ? cpuSeconds / wall : 0;
  }

  const workers = attachCpu(collected.workers, sampler, main?.pid ?? null);
  const pool = poolSummary(input.pool, collected);
  const targetWorkers = pool.workers ?? targetFromWorkers(workers);
  const hung = input.exitCode === HANG_EXIT_CODE || collected.hangs.length > 0;
  const metrics = computeMetrics({
    wallSeconds: wall,
    coresUsed,
    usableCpus: usable,
    cpuCount,
    targetWorkers,
    workers,
    lives: collected.lives,
    tasks: collected.tasks,
    sampler,
    python,
    limit: input.limits,
    findings: collected.findings,
    hangs: collected.hangs.map((h) => ({ reason: h.reason, site: h.site })),
    mainPid: main?.pid ?? null,
    pools: pool.instances,
  });

  const cores: CoreSeries[] = sampler.coreIds.map((id, i) => {
    const busy = samples.map((s) => round(s.busy[i] ?? 0));
    const workload = samples.map((s) => round(s.workload[i] ?? 0));
    const steal = samples.map((s) => round(s.steal[i] ?? 0));
    const mean = (xs: number[]) => (xs.length > 0 ? round(xs.reduce((a, b) => a + b, 0) / xs.length, 3) : 0);
    const share = { busy: mean(busy), workload: mean(workload), other: 0, steal: mean(steal) };
    share.other = round(Math.max(0, share.busy - share.workload), 3);
    return { id, busy, workload, steal, share };
  });

  return {
    schema: 'parascope.report/1',
    id: input.runId,
    script: input.script,
    args: input.args,
    cwd: input.cwd,
    startedAt: new Date(input.startedAtMs).toISOString(),
    python,
    pool,
    exitCode: input.exitCode,
    signal: input.signal,
    cancelled: input.cancelled,
    hung,
    wallSeconds: round(wall),
    cpuSeconds: round(cpuSeconds),
    coresUsed: round(coresUsed, 3),
    cpuCount,
    usableCpus: usable,
    sampleIntervalMs: sampler.intervalMs,
    sampler: { kind: sampler.kind, coarse: sampler.coarse, samples: samples.length },
    sampleTimes: samples.map((s) => round(s.t, 3)),
    coresUsedSeries: samples.map((s) => round(s.coresUsed, 3)),
    cores,
    workers,
    tasks: collected.tasks.map((t) => ({ ...t, start: round(t.start, 6), end: round(t.end, 6) })),
    metrics: {
      ...metrics,
      parallelEfficiency: metrics.parallelEfficiency === null ? null : round(metrics.parallelEfficiency, 3),
      gilWaitShare: metrics.gilWaitShare === null ? null : round(metrics.gilWaitShare, 3),
      ipcShare: metrics.ipcShare === null ? null : round(metrics.ipcShare, 4),
      oversubscription: metrics.oversubscription === null ? null : round(metrics.oversubscription, 3),
      migrations: round(metrics.migrations, 2),
      idleShare: metrics.idleShare === null ? null : round(metrics.idleShare, 3),
    },
    findings: collected.findings,
    ingest: input.ingest,
  };
}

/**
 * Worker CPU from the sampler where it can be matched: a process worker's whole process, a
 * thread worker's own thread; else the sum of its tasks' CPU times (already there).
 */
function attachCpu(workers: WorkerSummary[], sampler: SamplerResult, mainPid: number | null): WorkerSummary[] {
  if (sampler.kind !== 'procfs') return workers.map((w) => ({ ...w }));
  return workers.map((worker) => {
    const out = { ...worker };
    const ownProcess = worker.pid !== mainPid && (worker.kind === 'process' || worker.kind === 'interpreter' || worker.laneKind === 'process');
    if (ownProcess) {
      const proc = sampler.processes.find((p) => p.pid === worker.pid);
      if (proc && proc.cpuSeconds > 0) out.cpuSeconds = round(proc.cpuSeconds);
    } else {
      const thread = sampler.threads.find((t) => t.pid === worker.pid && t.tid === worker.tid);
      if (thread && thread.cpuSeconds > 0) out.cpuSeconds = round(thread.cpuSeconds);
    }
    out.cpuSeconds = round(out.cpuSeconds);
    out.busyShare = round(out.busyShare, 3);
    return out;
  });
}

function poolSummary(request: BuildInput['pool'], collected: CollectedRun): PoolSummary {
  const instances = collected.pools;
  const effectiveWorkers = instances.map((p) => p.effective.workers).filter((w): w is number => w !== null);
  const effectiveMethod = instances.find((p) => p.effective.startMethod !== null)?.effective.startMethod ?? null;
  return {
    kind: request.kind,
    workers: request.workers ?? (effectiveWorkers.length > 0 ? Math.max(...effectiveWorkers) : null),
    startMethod: request.startMethod ?? effectiveMethod,
    chunksize: request.chunksize,
    instances,
  };
}

/** Without a pool: the number of workers that ran something in parallel (at least 1). */
function targetFromWorkers(workers: WorkerSummary[]): number {
  const active = workers.filter((w) => w.tasks > 0 && w.kind !== 'main').length;
  return Math.max(1, active);
}
