import { join } from 'node:path';
import type { SamplerResult, SampledProcess, SampledThread } from '../../../src/core/sample/types';
import type { PythonInfo, Report, TaskRecord, WorkerSummary } from '../../../src/core/report/model';
import { EventTailer } from '../../../src/core/run/tail';
import { RunCollector } from '../../../src/core/run/collect';
import type { HarnessEvent } from '../../../src/core/run/events';
import { buildReport, type BuildInput } from '../../../src/core/report/build';

export const PYTHON: PythonInfo = { executable: '/usr/bin/python3', version: '3.12.1', implementation: 'CPython', gilEnabled: true, freeThreaded: false };

/** A sampler result with `n` samples of 100 ms on `cores` cores, the workload using `used` cores throughout. */
export function samplerResult(options: {
  n: number; cores?: number; used?: number; busy?: number; processes?: SampledProcess[]; threads?: SampledThread[]; coarse?: boolean;
}): SamplerResult {
  const cores = options.cores ?? 2;
  const used = options.used ?? 1;
  const samples = Array.from({ length: options.n }, (_, i) => ({
    t: Number(((i + 1) * 0.1).toFixed(3)),
    busy: Array.from({ length: cores }, () => options.busy ?? Math.min(1, used / cores + 0.05)),
    workload: Array.from({ length: cores }, () => used / cores),
    steal: Array.from({ length: cores }, () => 0),
    coresUsed: used,
  }));
  return {
    kind: options.coarse ? 'os.cpus' : 'procfs', coarse: options.coarse === true, intervalMs: 100,
    coreIds: Array.from({ length: cores }, (_, i) => i), samples, cpuSeconds: used * 0.1 * options.n,
    startedAt: 0, lastAt: samples.length ? samples[samples.length - 1].t : 0,
    processes: options.processes ?? [], threads: options.threads ?? [], futexSyscall: 202,
    stats: { ticks: options.n, rescans: 1, reads: 10, syscallReads: 0 },
  };
}

export function thread(pid: number, tid: number, extra: Partial<SampledThread> = {}): SampledThread {
  return { pid, tid, comm: 'python3', cpuSeconds: 0.5, runDelaySeconds: 0, migrations: 0, activeSamples: 10, gilProbes: 0, futexWaits: 0, ...extra };
}

export function proc(pid: number, perSample: number[], extra: Partial<SampledProcess> = {}): SampledProcess {
  return {
    pid, ppid: 1, startTime: 1, comm: 'python3', firstSeen: 0, lastSeen: perSample.length * 0.1,
    cpuSeconds: perSample.reduce((a, b) => a + b, 0), cpuStart: 0, cpu: perSample, ...extra,
  };
}

export function worker(pid: number, tid: number, kind: WorkerSummary['kind'], extra: Partial<WorkerSummary> = {}): WorkerSummary {
  return { pid, tid, kind, poolId: 'p', cpuSeconds: 0, tasks: 1, busyShare: 1, ...extra };
}

export function task(workerIndex: number, start: number, end: number, extra: Partial<TaskRecord> = {}): TaskRecord {
  return {
    worker: workerIndex, poolId: 'p', start, end, cpuSeconds: (end - start) / 2, argBytes: 0, resultBytes: 0,
    pickleSeconds: 0, site: { file: '/src/work.py', line: 7, function: 'main' }, ok: true, ...extra,
  };
}

/** The report of the recorded run in test/fixtures/run/<folder>, with a GIL-bound sampler picture. */
export async function fixtureReport(folder = 'basic', extra: Partial<BuildInput> = {}): Promise<Report> {
  const events: HarnessEvent[] = [];
  const tailer = new EventTailer(join('test', 'fixtures', 'run', folder), (e) => events.push(e));
  await tailer.finish();
  const collector = new RunCollector(1_700_000_000);
  for (const e of events) collector.add(e);
  const n = 17;
  return buildReport({
    runId: 'run-test', script: '/src/work.py', args: ['--fast', '</script><script>alert(1)</script>'], cwd: '/src',
    startedAtMs: 1_700_000_000_000, wallSeconds: 1.7, exitCode: 0, signal: null, cancelled: false, python: PYTHON,
    pool: { kind: 'asis', workers: null, startMethod: null, chunksize: null },
    collected: collector.snapshot(),
    sampler: samplerResult({
      n, used: 0.98, processes: [proc(1000, Array.from({ length: n }, () => 0.098)), proc(1010, [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0.1, 0.07], { cpuStart: 0 })],
      threads: [thread(1000, 1001, { cpuSeconds: 0.61, gilProbes: 10, futexWaits: 5 }), thread(1000, 1002, { cpuSeconds: 0.6, gilProbes: 10, futexWaits: 4 })],
    }),
    cpuCount: 2, limits: { affinity: 2, quota: null, quotaSource: null },
    ingest: { corruptLines: tailer.stats.corruptLines, droppedEvents: tailer.stats.droppedEvents, files: tailer.stats.files },
    ...extra,
  });
}

