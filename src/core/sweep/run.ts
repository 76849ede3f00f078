/**
 * Runs a sweep: the same workload at several pool kinds and worker counts, strictly one run at a
 * time, each point repeated for a median and a spread. A serial run is the common baseline.
 * A pool stops early when adding workers stops paying; a pool whose tasks mostly wait is
 * extended to twice the usable CPUs. A run that fails (a payload that cannot be pickled, a
 * non-zero exit, a hang) is recorded on its point with the submitting line — the sweep goes on.
 * Cancelling keeps what was measured.
 */
import { randomBytes } from 'node:crypto';
import { cpus } from 'node:os';
import type { PoolKind, PythonInfo, Report, SourceSite, StartMethod, SweepPoint, SweepReport } from '../report/model';
import type { SweepProgress } from '../../protocol';
import { resolveInterpreter } from '../python/interpreter';
import { readCpuQuota } from '../sample/cgroup';
import { usableCpus } from '../report/build';
import { startRun, type RunHandle } from '../run/run';
import { defaultPools, defaultWorkerCounts, stillPays, tasksMostlyWait, waitingExtension } from './plan';
import { amdahlSerialFraction, median, spread } from './stats';
import { recommend } from './recommend';

export interface SweepRequest {
  script: string;
  args: string[];
  cwd: string;
  env?: Record<string, string>;
  python: string | null;
  /** Worker counts; null = 1, 2, 4, … up to the usable CPUs. */
  workers: number[] | null;
  /** Pool kinds; null = thread and process (and interpreter on 3.14+). */
  pools: PoolKind[] | null;
  repeat: number;
  startMethod?: StartMethod | null;
  intervalMs?: number;
  hangGraceSeconds?: number;
  /** Aborting cancels the run in flight and ends the sweep with what was measured. */
  signal?: AbortSignal;
}

export interface SweepObserver {
  onProgress?(progress: SweepProgress): void;
  /** Each run as it starts ("process × 2, run 1 of 3"). */
  onRunStarted?(label: string, handle: RunHandle): void;
  onOutput?(data: Buffer, stream: 'stdout' | 'stderr'): void;
}

/** Noisy when the repeats of any point spread by more than this share of their median. */
export const NOISY_SPREAD = 0.2;

interface Measured {
  walls: number[];
  coresUsed: number[];
  busyElsewhere: number[];
  gilBound: boolean;
  failure: SweepPoint['failure'];
}

/**
 * Cores that other programs and the hypervisor kept busy during a run: other programs' share of
 * every core plus steal, averaged over the run. Null without per-process counters.
 */
export function busyElsewhere(report: Report): number | null {
  const others = report.metrics.otherProgramsCores;
  if (others === undefined) return null;
  return others + report.cores.reduce((sum, core) => sum + (core.share?.steal ?? 0), 0);
}

/** The first thing that went wrong in a run, with the user's line when the harness knows it. */
export function failureOf(report: Report, stderrTail = ''): SweepPoint['failure'] {
  const finding = report.findings.find((f) => f.source === 'runtime' && f.severity === 'error') ?? report.findings.find((f) => f.source === 'runtime' && f.severity === 'warning' && report.exitCode !== 0);
  if (finding) return { rule: finding.rule, message: finding.message, file: finding.file, line: finding.line };
  if (report.hung) return { rule: 'hang', message: 'the pool could never finish and the run was ended', file: report.script, line: 0 };
  if (report.exitCode !== 0 && !report.cancelled) {
    const last = stderrTail.split(/\r?\n/).map((l) => l.trim()).filter(Boolean).pop();
    const why = last ? `: ${last.length > 200 ? `${last.slice(0, 200)}…` : last}` : '';
    return { rule: 'exit', message: `the script exited with code ${report.exitCode ?? report.signal ?? 'unknown'}${why}`, file: report.script, line: 0 };
  }
  return null;
}

export async function runSweep(request: SweepRequest, observer: SweepObserver = {}): Promise<SweepReport> {
  const interpreter = await resolveInterpreter(request.python, { cwd: request.cwd });
  const quota = await readCpuQuota().catch(() => ({ cpus: null }));
  const usable = Math.max(1, Math.floor(usableCpus(cpus().length, { affinity: interpreter.affinityCpus, quota: quota.cpus })));
  const pools = (request.pools ?? defaultPools(interpreter.versionInfo)).filter((p) => p !== 'serial');
  const counts = request.workers ?? defaultWorkerCounts(usable);
  const extend = request.workers === null;
  const sweepId = randomBytes(6).toString('hex');
  const startedAt = new Date().toISOString();
  const points: SweepPoint[] = [];
  const stoppedEarly: string[] = [];
  const poolSites = new Map<string, SourceSite>();
  let python: PythonInfo = interpreter;
  let planned = 1 + pools.length * counts.length;
  let done = 0;
  let cancelled = false;

  const progress = (current: string | null) =>
    observer.onProgress?.({ sweepId, script: request.script, planned, done, points: [...points], current });

  /** Runs one point `repeat` times (once if it fails); null when the sweep was cancelled. */
  const measure = async (pool: PoolKind, workers: number): Promise<Measured | null> => {
    const measured: Measured = { walls: [], coresUsed: [], busyElsewhere: [], gilBound: false, failure: null };
    for (let i = 0; i < request.repeat; i++) {
      if (request.signal?.aborted) return null;
      const label = `${pool === 'serial' ? 'serial' : `${pool} × ${workers}`}, run ${i + 1} of ${request.repeat}`;
      progress(label);
      let stderrTail = '';
      const handle = await startRun(
        {
          script: request.script, args: request.args, cwd: request.cwd, env: request.env, python: interpreter.command,
          pool: { kind: pool, workers, startMethod: pool === 'process' ? request.startMethod ?? null : null, chunksize: null },
          intervalMs: request.intervalMs ?? 100, hangGraceSeconds: request.hangGraceSeconds,
        },
        {
          onOutput: (data, stream) => {
            if (stream === 'stderr') stderrTail = (stderrTail + data.toString('utf8')).slice(-2000);
            observer.onOutput?.(data, stream);
          },
        },
      );
      observer.onRunStarted?.(label, handle);
      const abort = () => void handle.cancel();
      request.signal?.addEventListener('abort', abort, { once: true });
      const report = await handle.done.finally(() => request.signal?.removeEventListener('abort', abort));
      python = report.python;
      for (const instance of report.pool.instances) {
        if (instance.site) poolSites.set(`${instance.site.file}:${instance.site.line}`, instance.site);
      }
      if (report.cancelled || request.signal?.aborted) return null;
      measured.walls.push(report.wallSeconds);
      measured.coresUsed.push(report.coresUsed);
      const elsewhere = busyElsewhere(report);
      if (elsewhere !== null) measured.busyElsewhere.push(elsewhere);
      measured.gilBound ||= report.metrics.gilBound;
      measured.failure = failureOf(report, stderrTail);
      if (measured.failure) break;
    }
    return measured;
  };

  const addPoint = (pool: PoolKind, workers: number, m: Measured, baseline: number | null, serial: number | null): SweepPoint => {
    const mid = median(m.walls);
    const speedup = m.failure || baseline === null ? 0 : baseline / mid;
    const point: SweepPoint = {
      pool, workers, wallSeconds: m.walls, median: mid, spread: spread(m.walls),
      speedup, speedupVsSerial: m.failure || serial === null ? null : serial / mid,
      efficiency: m.failure ? 0 : speedup / workers,
      coresUsed: median(m.coresUsed),
      busyElsewhere: m.busyElsewhere.length > 0 ? Math.round(median(m.busyElsewhere) * 1000) / 1000 : null,
      gilBound: m.gilBound, failure: m.failure,
    };
    points.push(point);
    done += 1;
    return point;
  };

  sweep: {
    // The serial baseline: every pool's speedup is also shown against it.
    const serialRun = await measure('serial', 1);
    if (!serialRun) { cancelled = true; break sweep; }
    const serial = addPoint('serial', 1, serialRun, serialRun.failure ? null : median(serialRun.walls), null);
    const serialMedian = serial.failure ? null : serial.median;

    for (const pool of pools) {
      const queue = [...counts];
      let baseline: number | null = null;
      let previous: SweepPoint | null = null;
      let extended = false;
      while (queue.length > 0) {
        const workers = queue.shift()!;
        const m = await measure(pool, workers);
        if (!m) { cancelled = true; break sweep; }
        // Speedup is against the same pool at one worker; without that point, against serial.
        if (baseline === null) baseline = workers === 1 && !m.failure ? median(m.walls) : serialMedian;
        const point = addPoint(pool, workers, m, baseline, serialMedian);
        if (point.failure) {
          // The same payload fails at every size: one failed point says it all.
          planned -= queue.length;
          stoppedEarly.push(`${pool}: stopped after ${workers} worker${workers === 1 ? '' : 's'} — ${point.failure.message}`);
          break;
        }
        if (previous && !previous.failure && !stillPays(previous.median, point.median) && queue.length > 0) {
          planned -= queue.length;
          stoppedEarly.push(`${pool}: stopped at ${workers} workers — going from ${previous.workers} to ${workers} gained less than 5 % (${previous.median.toFixed(2)} s → ${point.median.toFixed(2)} s)`);
          break;
        }
        if (extend && !extended && queue.length === 0 && workers > 1 && tasksMostlyWait(point.coresUsed, workers) &&
            (!previous || stillPays(previous.median, point.median))) {
          extended = true;
          const more = waitingExtension(usable, [workers]);
          queue.push(...more);
          planned += more.length;
        }
        previous = point;
      }
    }
  }
  progress(null);

  const best = recommend(points);
  const fitPool = best?.pool && best.pool !== 'serial' ? best.pool : pools[0];
  const fitPoints = points.filter((p) => p.pool === fitPool && !p.failure);
  return {
    schema: 'parascope.sweep/1',
    id: sweepId,
    script: request.script,
    args: request.args,
    startedAt,
    python,
    usableCpus: usable,
    repeat: request.repeat,
    points,
    serialFraction: amdahlSerialFraction(fitPoints),
    noisy: points.some((p) => p.wallSeconds.length > 1 && p.spread > NOISY_SPREAD),
    stoppedEarly,
    recommendation: best,
    cancelled,
    poolSites: [...poolSites.values()],
  };
}
