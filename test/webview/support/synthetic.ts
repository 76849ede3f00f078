/**
 * Reports, sweeps and live streams shaped like real Parascope runs, from a seeded generator (the
 * same numbers every time). The recorded fixtures in `test/fixtures/reports/` were written by
 * `node out/test/webview/support/writeFixtures.js`; the browser tests read those files, and the
 * render benchmark builds its 64-core run here.
 */
import type { Finding, PoolSummary, PythonInfo, Report, SweepPoint, SweepReport, TaskRecord, Verdict, WorkerSummary } from '../../../src/core/report/model';
import type { LiveRunHeader, SampleBatch, ToWebviewMessage } from '../../../src/protocol';

/** mulberry32: small, fast, deterministic. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const round = (v: number, digits = 3) => Number(v.toFixed(digits));
const clamp01 = (v: number) => Math.max(0, Math.min(1, v));

export const SCRIPT = '/home/ana/parallel walls/cpu_bound.py';

export const PYTHON: PythonInfo = {
  executable: '/usr/bin/python3.12', version: '3.12.3', implementation: 'CPython', gilEnabled: true, freeThreaded: false,
};

export interface RunShape {
  id: string;
  seed: number;
  cores: number;
  samples: number;
  intervalMs: number;
  workers: number;
  kind: 'process' | 'thread';
  /** Workload share of each core while the pool is busy. */
  perCoreLoad: number;
  taskSeconds: number;
  pool: PoolSummary;
  findings: Finding[];
  /** Verdicts in words, given the workload's mean cores used. */
  verdicts: (coresUsed: number) => Verdict[];
  gilBound: boolean;
}

/** Per-core columns and tasks for a run of the given shape. */
export function simulate(shape: RunShape): Report {
  const rnd = random(shape.seed);
  const dt = shape.intervalMs / 1000;
  const wall = shape.samples * dt;
  const rampUp = 0.6; // interpreter start, pool start
  const rampDown = wall - 0.4;
  const sampleTimes: number[] = [];
  const coresUsedSeries: number[] = [];
  const cores = Array.from({ length: shape.cores }, (_, id) => ({ id, busy: [] as number[], workload: [] as number[], steal: [] as number[] }));
  for (let i = 0; i < shape.samples; i++) {
    const t = (i + 1) * dt;
    sampleTimes.push(round(t));
    const active = t > rampUp && t < rampDown;
    let used = 0;
    for (const core of cores) {
      const load = active ? clamp01(shape.perCoreLoad + (rnd() - 0.5) * 0.08) : t <= rampUp && core.id === 0 ? 0.55 : 0.02;
      // Another program wakes up now and then; a short burst of steal a third of the way in.
      const other = clamp01(0.01 + (rnd() < 0.06 ? 0.25 * rnd() : 0.01 * rnd()));
      const steal = i > shape.samples / 3 && i < shape.samples / 3 + 12 ? round(0.04 + 0.04 * rnd()) : 0;
      const workload = Math.min(load, 1 - other - steal);
      core.workload.push(round(workload));
      core.busy.push(round(clamp01(workload + other)));
      core.steal.push(steal);
      used += workload;
    }
    coresUsedSeries.push(round(used));
  }
  const tasks: TaskRecord[] = [];
  const workers: WorkerSummary[] = [];
  for (let w = 0; w < shape.workers; w++) {
    const pid = shape.kind === 'process' ? 41230 + w : 41200;
    const tid = shape.kind === 'process' ? pid : 41201 + w;
    let t = rampUp + 0.05 * w + 0.02 * rnd();
    let count = 0;
    let busy = 0;
    while (t < rampDown - 0.3) {
      const duration = shape.taskSeconds * (0.75 + 0.5 * rnd());
      const end = Math.min(t + duration, rampDown - 0.05);
      const pickle = shape.kind === 'process' ? 0.002 + 0.004 * rnd() : 0;
      const failed = shape.kind === 'process' && w === 1 && count === 7;
      tasks.push({
        worker: w, poolId: 'pool-1', start: round(t, 4), end: round(end, 4),
        cpuSeconds: round((end - t) * (shape.gilBound ? 0.5 : 0.97), 4),
        argBytes: 180 + Math.floor(rnd() * 2000), resultBytes: 40 + Math.floor(rnd() * 200),
        pickleSeconds: round(pickle, 5),
        site: { file: SCRIPT, line: 27, function: 'main' },
        ok: !failed,
        ...(failed ? { error: 'ValueError: input row 1 042 has no checksum' } : {}),
      });
      busy += end - t;
      count++;
      // Idle gap: waiting for the next chunk from the parent.
      t = end + (rnd() < 0.15 ? 0.15 + 0.3 * rnd() : 0.01 + 0.02 * rnd());
    }
    workers.push({
      pid, tid, kind: shape.kind, poolId: 'pool-1',
      cpuSeconds: round(busy * (shape.gilBound ? 0.5 : 0.97), 3), tasks: count, busyShare: round(busy / wall, 3),
    });
  }
  const coresUsed = round(coresUsedSeries.reduce((a, b) => a + b, 0) / coresUsedSeries.length);
  const cpuSeconds = round(coresUsed * wall + 0.3);
  const pickleTotal = tasks.reduce((s, t) => s + t.pickleSeconds, 0);
  const taskTotal = tasks.reduce((s, t) => s + (t.end - t.start), 0);
  return {
    schema: 'parascope.report/1',
    id: shape.id,
    script: SCRIPT,
    args: ['--rows', '200000'],
    cwd: '/home/ana/parallel walls',
    startedAt: '2026-03-14T09:26:53.000Z',
    python: PYTHON,
    pool: shape.pool,
    exitCode: 0,
    signal: null,
    cancelled: false,
    hung: false,
    wallSeconds: round(wall),
    cpuSeconds,
    coresUsed,
    cpuCount: shape.cores,
    usableCpus: shape.cores,
    sampleIntervalMs: shape.intervalMs,
    sampler: { kind: 'procfs', coarse: false, samples: shape.samples },
    sampleTimes,
    coresUsedSeries,
    cores,
    workers,
    tasks,
    metrics: {
      parallelEfficiency: round(coresUsed / shape.workers),
      utilizationClass: coresUsed / shape.workers > 0.8 ? 'ideal' : 'poor',
      gilBound: shape.gilBound,
      gilWaitShare: shape.kind === 'thread' ? 0.49 : null,
      ipcShare: round(pickleTotal / taskTotal, 4),
      oversubscription: 0.012,
      migrations: 14,
      idleShare: round(1 - coresUsed / shape.cores),
      verdicts: shape.verdicts(coresUsed),
    },
    findings: shape.findings,
    ingest: { corruptLines: 0, droppedEvents: 0, files: shape.kind === 'process' ? 3 : 1 },
  };
}

const lambdaFinding: Finding = {
  rule: 'PAR006', severity: 'warning', source: 'static',
  message: 'An open file handle (`log`) is passed to a process pool task; file objects cannot be pickled.',
  file: SCRIPT, line: 31, column: 38,
};
const globalFinding: Finding = {
  rule: 'PAR020', severity: 'warning', source: 'static',
  message: '`crunch` adds to the module global `TOTAL`; a worker process changes its own copy and the parent never sees it.',
  file: SCRIPT, line: 18, column: 5,
};
const threadHint: Finding = {
  rule: 'PAR030', severity: 'hint', source: 'static',
  message: 'This thread pool runs CPU-bound pure-Python work (`crunch`): the GIL lets one thread run at a time. A process pool would use more cores.',
  file: SCRIPT, line: 12, column: 10,
};

/** 2 cores, 2 process workers (the override replaced a 4-thread pool): scales well. */
export function processReport(): Report {
  return simulate({
    id: 'run-process-2', seed: 7, cores: 2, samples: 300, intervalMs: 100, workers: 2, kind: 'process',
    perCoreLoad: 0.93, taskSeconds: 0.45, gilBound: false,
    pool: {
      kind: 'process', workers: 2, startMethod: 'spawn', chunksize: null,
      instances: [{
        poolId: 'pool-1', api: 'concurrent.futures.ThreadPoolExecutor',
        requested: { kind: 'thread', workers: 4, startMethod: null, chunksize: null },
        effective: { kind: 'process', workers: 2, startMethod: 'spawn', chunksize: null },
        replaced: true, site: { file: SCRIPT, line: 12, function: 'main' },
      }],
    },
    findings: [globalFinding, lambdaFinding],
    verdicts: (used) => [
      { id: 'efficiency', level: 'good', title: 'Scales well', detail: `2 workers kept ${used.toFixed(2)} of 2 cores busy (${Math.round(used * 50)} % parallel efficiency).` },
      { id: 'gil', level: 'good', title: 'Not GIL-bound', detail: 'each worker is a separate process with its own GIL.' },
      { id: 'ipc', level: 'good', title: 'Cheap payloads', detail: 'pickling took 0.8 % of task time (1.1 kB per task on average).' },
      { id: 'migrations', level: 'info', title: '14 migrations', detail: 'the scheduler moved workers between cores 14 times; harmless at this rate.' },
    ],
  });
}

/** 2 cores, the code's own 2-thread pool on CPU-bound Python: GIL-bound. */
export function threadReport(): Report {
  return simulate({
    id: 'run-thread-2', seed: 11, cores: 2, samples: 300, intervalMs: 100, workers: 2, kind: 'thread',
    perCoreLoad: 0.51, taskSeconds: 0.9, gilBound: true,
    pool: {
      kind: 'asis', workers: null, startMethod: null, chunksize: null,
      instances: [{
        poolId: 'pool-1', api: 'concurrent.futures.ThreadPoolExecutor',
        requested: { kind: 'thread', workers: 2, startMethod: null, chunksize: null },
        effective: { kind: 'thread', workers: 2, startMethod: null, chunksize: null },
        replaced: false, site: { file: SCRIPT, line: 12, function: 'main' },
      }],
    },
    findings: [threadHint],
    verdicts: (used) => [
      { id: 'efficiency', level: 'problem', title: 'Poor scaling', detail: `2 workers kept only ${used.toFixed(2)} of 2 cores busy (${Math.round(used * 50)} % parallel efficiency).` },
      {
        id: 'gil', level: 'problem', title: 'GIL-bound',
        detail: `2 threads ran pure-Python code but used ${used.toFixed(2)} cores together; they waited for the GIL 49 % of the time. Use a process pool for CPU-bound work.`,
      },
      { id: 'ipc', level: 'good', title: 'No pickling', detail: 'threads share memory: nothing was pickled.' },
    ],
  });
}

/** The live messages a host sends for `report`: header, one sample batch per interval, tasks as they end. */
export function liveStream(report: Report, runId = `live-${report.id}`): ToWebviewMessage[] {
  const header: LiveRunHeader = {
    runId, script: report.script, python: report.python, pool: report.pool, cpuCount: report.cpuCount,
    usableCpus: report.usableCpus, sampleIntervalMs: report.sampleIntervalMs, startedAt: report.startedAt,
  };
  const messages: ToWebviewMessage[] = [{ type: 'runStarted', header }];
  let sent = 0;
  const ordered = [...report.tasks].sort((a, b) => a.end - b.end);
  report.sampleTimes.forEach((t, i) => {
    const batch: SampleBatch = {
      t: [t], coresUsed: [report.coresUsedSeries[i]!],
      busy: report.cores.map((c) => [c.busy[i]!]), workload: report.cores.map((c) => [c.workload[i]!]), steal: report.cores.map((c) => [c.steal[i]!]),
    };
    messages.push({ type: 'runSamples', runId, batch });
    const done: TaskRecord[] = [];
    while (sent < ordered.length && ordered[sent]!.end <= t) done.push(ordered[sent++]!);
    if (done.length) {
      const workers = report.workers.map((w, index) => {
        const mine = ordered.slice(0, sent).filter((task) => task.worker === index);
        const busy = mine.reduce((s, task) => s + (task.end - task.start), 0);
        return { ...w, tasks: mine.length, cpuSeconds: round(mine.reduce((s, task) => s + task.cpuSeconds, 0)), busyShare: round(busy / t) };
      });
      messages.push({ type: 'runTasks', runId, workers, tasks: done });
    }
  });
  messages.push({ type: 'runFinished', runId, report });
  return messages;
}

function point(pool: SweepPoint['pool'], workers: number, median: number, base: number, extra: Partial<SweepPoint> = {}): SweepPoint {
  const spread = pool === 'thread' ? 0.04 : 0.06;
  const speedup = round(base / median, 2);
  return {
    pool, workers, wallSeconds: [round(median * (1 - spread / 2)), round(median), round(median * (1 + spread / 2))],
    median, spread, speedup, speedupVsSerial: null, efficiency: round(speedup / workers, 2),
    coresUsed: round(Math.min(workers, speedup) * 0.97, 2), gilBound: pool === 'thread' && workers > 1, failure: null, ...extra,
  };
}

/** CPU-bound workload on 2 cores: threads stay at 1.0×, processes reach 1.8×. Saved before points had `busyElsewhere`. */
export function cpuSweep(): SweepReport {
  return {
    schema: 'parascope.sweep/1', id: 'sweep-cpu', script: SCRIPT, args: ['--rows', '200000'], startedAt: '2026-03-14T09:30:00.000Z',
    python: PYTHON, usableCpus: 2, repeat: 3,
    points: [
      point('thread', 1, 6.1, 6.1), point('thread', 2, 6.3, 6.1), point('thread', 4, 6.4, 6.1),
      point('process', 1, 6.3, 6.3), point('process', 2, 3.5, 6.3),
    ],
    serialFraction: 0.11,
    noisy: false,
    stoppedEarly: ['threads: 4 workers were no faster than 2 (1.0×), so 8 was not tried.'],
    recommendation: { pool: 'process', workers: 2, reason: 'threads stay at 1.0× — GIL-bound; processes reach 1.8× with 2 workers.' },
  };
}

/** The task is a lambda: every process point fails to pickle, with the line. */
export function lambdaSweep(): SweepReport {
  const failure = { rule: 'PAR001', message: "Can't pickle <function <lambda>>: attribute lookup <lambda> on __main__ failed", file: '/home/ana/parallel walls/lambda_task.py', line: 9 };
  return {
    ...cpuSweep(), id: 'sweep-lambda', script: '/home/ana/parallel walls/lambda_task.py',
    points: [
      point('thread', 1, 2.0, 2.0), point('thread', 2, 2.1, 2.0, { busyElsewhere: 0.62 }),
      point('process', 1, 0.4, 0.4, { failure, speedup: 0, efficiency: 0, speedupVsSerial: null, coresUsed: 0 }),
      point('process', 2, 0.4, 0.4, { failure, speedup: 0, efficiency: 0, speedupVsSerial: null, coresUsed: 0 }),
    ],
    serialFraction: null, noisy: true, stoppedEarly: [],
    recommendation: { pool: 'thread', workers: 1, reason: 'processes cannot run this task: it is a lambda (lambda_task.py:9); threads stay at 1.0× — GIL-bound.' },
  };
}

/** A big live batch for the benchmark: `n` samples of `cores` cores from sample index `from`. */
export function bigBatch(cores: number, from: number, n: number, dt = 0.1): SampleBatch {
  const rnd = random(from + 1);
  const t: number[] = [];
  const coresUsed: number[] = [];
  const busy: number[][] = Array.from({ length: cores }, () => []);
  const workload: number[][] = Array.from({ length: cores }, () => []);
  const steal: number[][] = Array.from({ length: cores }, () => []);
  for (let i = 0; i < n; i++) {
    t.push(round((from + i + 1) * dt));
    let used = 0;
    for (let c = 0; c < cores; c++) {
      const w = clamp01(0.7 + 0.25 * Math.sin((from + i) / 50 + c) + 0.05 * rnd());
      const o = clamp01(0.05 * rnd());
      workload[c]!.push(round(w, 3));
      busy[c]!.push(round(clamp01(w + o), 3));
      steal[c]!.push(c % 16 === 0 ? round(0.03 * rnd(), 3) : 0);
      used += w;
    }
    coresUsed.push(round(used, 2));
  }
  return { t, coresUsed, busy, workload, steal };
}

/** `workers` workers' tasks between `from` and `to` seconds, `taskSeconds` each. */
export function bigTasks(workers: number, from: number, to: number, taskSeconds: number, seed = 1): TaskRecord[] {
  const rnd = random(seed);
  const tasks: TaskRecord[] = [];
  for (let w = 0; w < workers; w++) {
    let t = from + taskSeconds * rnd();
    while (t + taskSeconds <= to) {
      const end = t + taskSeconds * (0.8 + 0.2 * rnd());
      tasks.push({
        worker: w, poolId: 'pool-1', start: round(t, 4), end: round(end, 4), cpuSeconds: round(end - t, 4),
        argBytes: 512, resultBytes: 64, pickleSeconds: 0.001, site: { file: SCRIPT, line: 27 }, ok: true,
      });
      t = end + 0.01;
    }
  }
  return tasks;
}

export function bigWorkers(workers: number): WorkerSummary[] {
  return Array.from({ length: workers }, (_, w) => ({
    pid: 50000 + w, tid: 50000 + w, kind: 'process' as const, poolId: 'pool-1', cpuSeconds: 0, tasks: 0, busyShare: 0.9,
  }));
}

/** A finished 64-core run (the benchmark's first render); each worker runs back-to-back `taskSeconds` tasks. */
export function bigReport(cores: number, samples: number, workers = cores, taskSeconds = 0.5): Report {
  const batch = bigBatch(cores, 0, samples);
  const base = processReport();
  const wall = samples * 0.1;
  return {
    ...base, id: 'big', cpuCount: cores, usableCpus: cores, wallSeconds: wall,
    sampler: { kind: 'procfs', coarse: false, samples },
    sampleTimes: batch.t, coresUsedSeries: batch.coresUsed,
    cores: batch.busy.map((busy, id) => ({ id, busy, workload: batch.workload[id]!, steal: batch.steal[id]! })),
    workers: bigWorkers(workers), tasks: bigTasks(workers, 0.5, wall - 0.5, taskSeconds),
    pool: { ...base.pool, workers, instances: base.pool.instances.map((i) => ({ ...i, effective: { ...i.effective, workers } })) },
  };
}
