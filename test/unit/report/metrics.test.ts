import * as assert from 'node:assert/strict';
import {
  computeMetrics, cpuInSegments, gilAnalysis, idleShare, ipcShare, overlapSegments, parallelEfficiency, utilizationClass,
  type MetricsInput,
} from '../../../src/core/report/metrics';
import { PYTHON, proc, samplerResult, task, thread, worker } from './support';

/** Two thread workers in process 10, busy in tasks 0.1–1.1 s on 2 usable CPUs. */
function threadRun(processCoresPerSample: number, futex: { probes: number; waits: number } | null, extra: Partial<MetricsInput> = {}): MetricsInput {
  const n = 12;
  const cpu = Array.from({ length: n }, () => processCoresPerSample * 0.1);
  return {
    wallSeconds: 1.2, coresUsed: processCoresPerSample, usableCpus: 2, cpuCount: 2, targetWorkers: 2,
    workers: [worker(10, 11, 'thread'), worker(10, 12, 'thread')],
    lives: [{ start: 0.05, end: 1.15 }, { start: 0.05, end: 1.15 }],
    tasks: [task(0, 0.1, 1.1), task(1, 0.1, 1.1)],
    sampler: samplerResult({
      n, used: processCoresPerSample, processes: [proc(10, cpu)],
      threads: [
        thread(10, 11, futex ? { gilProbes: futex.probes, futexWaits: futex.waits } : {}),
        thread(10, 12, futex ? { gilProbes: futex.probes, futexWaits: futex.waits } : {}),
      ],
    }),
    python: PYTHON, limit: { affinity: 2, quota: null, quotaSource: null }, findings: [], hangs: [], mainPid: 10,
    ...extra,
  };
}

describe('metrics (utilization.md definitions)', () => {
  it('classes utilization as VTune does: idle < 0.5 core, poor ≤ 50 %, ok ≤ 85 %, ideal above', () => {
    assert.equal(utilizationClass(0.4, 2), 'idle');
    assert.equal(utilizationClass(1.0, 2), 'poor');
    assert.equal(utilizationClass(1.5, 2), 'ok');
    assert.equal(utilizationClass(1.8, 2), 'ideal');
    assert.equal(utilizationClass(2.1, 2), 'ideal');
  });

  it('computes parallel efficiency against min(workers, usable CPUs)', () => {
    assert.equal(parallelEfficiency(1.5, 2, 4), 0.75);
    assert.equal(parallelEfficiency(1.5, 8, 2), 0.75);
    assert.equal(parallelEfficiency(1, null, 2), 0.5);
  });

  it('finds where at least k intervals overlap', () => {
    assert.deepEqual(overlapSegments([{ start: 0, end: 2 }, { start: 1, end: 3 }, { start: 2.5, end: 4 }], 2), [[1, 2], [2.5, 3]]);
    assert.deepEqual(overlapSegments([{ start: 0, end: 1 }, { start: 1, end: 2 }], 2), []);
    assert.deepEqual(overlapSegments([{ start: 0, end: 1 }, { start: 1, end: 2 }], 1), [[0, 2]]);
  });

  it('takes a process CPU inside segments pro rata per sample interval', () => {
    const p = proc(1, [0.1, 0.1, 0.1]); // 1 core during 0–0.3 s
    assert.ok(Math.abs(cpuInSegments(p, [0.1, 0.2, 0.3], 0, [[0.05, 0.25]]) - 0.2) < 1e-9);
  });

  it('shares IPC as pickling ÷ the tasks whole time (the task clock starts after unpickling)', () => {
    assert.equal(ipcShare([task(0, 0, 0.3, { pickleSeconds: 0.1, argBytes: 10 })]), 0.25);
    assert.equal(ipcShare([]), null);
  });

  it('shares the idle time of pool workers over their lifetime', () => {
    const share = idleShare([worker(1, 1, 'process'), worker(2, 2, 'process')], [{ start: 0, end: 2 }, { start: 0, end: 2 }], [task(0, 0, 2), task(1, 0, 1)]);
    assert.equal(share, 0.25);
  });
});

describe('GIL-bound verdict', () => {
  it('flags 2 threads busy in tasks whose process uses about one core', () => {
    const m = computeMetrics(threadRun(0.98, { probes: 10, waits: 5 }));
    assert.equal(m.gilBound, true);
    assert.equal(m.gilWaitShare, 0.5);
    const verdict = m.verdicts.find((v) => v.id === 'gil');
    assert.equal(verdict?.level, 'problem');
    assert.match(verdict?.detail ?? '', /2 threads busy in tasks .* but 0\.98 cores used/);
  });

  it('flags it on a loaded machine too, when the threads wait on the GIL futex', () => {
    assert.equal(computeMetrics(threadRun(0.3, { probes: 10, waits: 6 })).gilBound, true);
  });

  it('counts run-queue waiting as wanting CPU (a machine busy with other programs)', () => {
    const input = threadRun(0.3, null);
    input.sampler.threads = [thread(10, 11, { runDelaySeconds: 0.2 }), thread(10, 12, { runDelaySeconds: 0.2 })];
    assert.equal(computeMetrics(input).gilBound, true);
  });

  it('does not flag threads that wait on I/O (little CPU, no futex waits)', () => {
    const m = computeMetrics(threadRun(0.04, { probes: 10, waits: 0 }));
    assert.equal(m.gilBound, false);
    assert.equal(m.verdicts.some((v) => v.id === 'gil'), false);
  });

  it('does not flag threads that really run in parallel (the GIL released) and says so', () => {
    const m = computeMetrics(threadRun(1.9, { probes: 10, waits: 0 }));
    assert.equal(m.gilBound, false);
    assert.equal(m.verdicts.find((v) => v.id === 'gil')?.level, 'good');
  });

  it('never flags a free-threaded interpreter running without the GIL, and labels it', () => {
    const m = computeMetrics(threadRun(0.98, { probes: 10, waits: 5 }, { python: { ...PYTHON, version: '3.13.0', gilEnabled: false, freeThreaded: true } }));
    assert.equal(m.gilBound, false);
    assert.match(m.verdicts.find((v) => v.id === 'free-threaded')?.title ?? '', /Free-threaded Python \(no GIL\)/);
  });

  it('does not flag tasks that never overlap', () => {
    const input = threadRun(0.98, { probes: 10, waits: 5 });
    input.tasks = [task(0, 0.1, 0.6), task(1, 0.6, 1.1)];
    assert.equal(gilAnalysis(input)[0].overlapSeconds, 0);
    assert.equal(computeMetrics(input).gilBound, false);
  });

  it('does not look at process workers (each has its own GIL)', () => {
    const input = threadRun(0.98, null);
    input.workers = [worker(20, 20, 'process'), worker(21, 21, 'process')];
    assert.deepEqual(gilAnalysis(input), []);
  });

  it('falls back to the tasks\' CPU times without per-process counters (coarse sampler)', () => {
    const input = threadRun(0.98, null);
    input.sampler = samplerResult({ n: 12, used: 0, coarse: true });
    const [g] = gilAnalysis(input);
    assert.ok(g.cores !== null && Math.abs(g.cores - 1) < 1e-9, `cores ${g.cores}`);
    assert.equal(g.bound, true);
  });
});

describe('other verdicts', () => {
  it('warns about oversubscription, pickling overhead and idle workers, with the numbers', () => {
    const input = threadRun(1.9, null);
    input.sampler.threads = [thread(10, 11, { runDelaySeconds: 0.9 }), thread(10, 12, { runDelaySeconds: 0.9 })];
    input.tasks = [task(0, 0.1, 0.3, { pickleSeconds: 0.1, argBytes: 1 << 20 }), task(1, 0.1, 0.3, { pickleSeconds: 0.1, argBytes: 1 << 20 })];
    input.workers = [worker(30, 30, 'process'), worker(31, 31, 'process')];
    input.lives = [{ start: 0, end: 1.2 }, { start: 0, end: 1.2 }];
    const m = computeMetrics(input);
    assert.equal(m.oversubscription, 1.5);
    assert.match(m.verdicts.find((v) => v.id === 'oversubscription')?.detail ?? '', /On average 1\.50 threads were runnable/);
    assert.match(m.verdicts.find((v) => v.id === 'ipc')?.detail ?? '', /took 33 % of the tasks' time \(0\.20 s\)/);
    assert.match(m.verdicts.find((v) => v.id === 'idle')?.detail ?? '', /idle 83 %/);
  });

  it('says how many cores other programs kept busy next to the efficiency', () => {
    const input = threadRun(1, null);
    input.sampler = samplerResult({ n: 10, used: 1, busy: 0.9 }); // 2 × 0.9 busy, 1 core of it the workload
    const m = computeMetrics(input);
    assert.equal(m.otherProgramsCores, 0.8);
    assert.match(m.verdicts.find((v) => v.id === 'efficiency')?.detail ?? '', /other programs kept 0\.80 cores busy meanwhile/);
  });

  it('explains a CPU quota below the CPU count', () => {
    const m = computeMetrics(threadRun(1, null, { usableCpus: 1.5, cpuCount: 4, limit: { affinity: 4, quota: 1.5, quotaSource: '/sys/fs/cgroup/cpu.max' } }));
    assert.match(m.verdicts.find((v) => v.id === 'quota')?.detail ?? '', /Only 1\.5 of 4 CPUs are usable here: a CPU quota of 1\.50 CPUs \(\/sys\/fs\/cgroup\/cpu\.max\)/);
  });

  it('reports hangs and runtime pickling findings as problems', () => {
    const m = computeMetrics(threadRun(1, null, {
      hangs: [{ reason: 'a worker died while running a task', site: { file: 'x.py', line: 3 } }],
      findings: [{ rule: 'PAR005', severity: 'error', message: "cannot pickle '_thread.lock' object", file: 'x.py', line: 9, path: 'args[0].lock', source: 'runtime' }],
    }));
    assert.match(m.verdicts.find((v) => v.id === 'hang')?.detail ?? '', /a worker died while running a task \(pool at x\.py:3\)/);
    assert.match(m.verdicts.find((v) => v.id === 'pickling')?.detail ?? '', /PAR005: cannot pickle '_thread\.lock' object \(at args\[0\]\.lock\) — x\.py:9/);
    assert.deepEqual(m.verdicts.find((v) => v.id === 'pickling')?.site, { file: 'x.py', line: 9 });
    assert.deepEqual(m.verdicts.find((v) => v.id === 'hang')?.site, { file: 'x.py', line: 3 });
    assert.equal(m.verdicts.find((v) => v.id === 'efficiency')?.site, undefined, 'a verdict about the whole run names no line');
  });

  it('names the exceptions tasks raised, most frequent first, with the submitting line', () => {
    const site = (line: number) => ({ file: '/src/work.py', line, function: 'main' });
    const failed = (error: string | undefined, line: number) => task(0, 0.1, 0.2, { ok: false, error, site: site(line) });
    const one = computeMetrics(threadRun(1, null, { tasks: [task(0, 0.1, 1.1), failed('ValueError: bad input 5', 12)] }));
    const single = one.verdicts.find((v) => v.id === 'task-errors');
    assert.equal(single?.level, 'warning');
    assert.equal(single?.title, '1 of 2 tasks raised');
    assert.equal(single?.detail, 'ValueError: bad input 5 (submitted at /src/work.py:12).');
    assert.deepEqual(single?.site, { file: '/src/work.py', line: 12 }, 'the panel opens the submitting line');

    // Grouped by type: the same words are told once; different words show the first.
    const tasks = [
      task(0, 0.1, 1.1), failed("KeyError: 'k'", 14), failed('ValueError: bad input 2', 12), failed('ValueError: bad input 5', 13),
      failed(undefined, 15), failed('OSError: gone', 16), failed("KeyError: 'k'", 17), failed('ValueError: bad input 8', 12),
    ];
    // Recorded as they end: the task that started first comes last here, and is still "the first".
    tasks.push(task(1, 0.05, 0.3, { ok: false, error: 'ValueError: bad input 0', site: site(11) }));
    const many = computeMetrics(threadRun(1, null, { tasks })).verdicts.find((v) => v.id === 'task-errors');
    assert.equal(many?.title, '8 of 9 tasks raised');
    assert.equal(many?.detail, "ValueError — 4 tasks, the first “bad input 0” (submitted at /src/work.py:11); KeyError: 'k' — 2 tasks (submitted at /src/work.py:14); 2 other exception types.");
    assert.ok(!computeMetrics(threadRun(1, null)).verdicts.some((v) => v.id === 'task-errors' || v.id === 'subinterpreter'), 'no task raised');
  });

  it('leaves results that could not be pickled to the pickling verdict', () => {
    const unpicklable = task(0, 0.1, 0.2, { ok: false, error: "MaybeEncodingError: Error sending result: '<lock>'. Reason: 'TypeError(\"cannot pickle '_thread.lock' object\")'" });
    const finding = { rule: 'PAR005', severity: 'error' as const, message: "cannot pickle '_thread.lock' object", file: 'x.py', line: 9, path: 'result', source: 'runtime' as const };
    const reported = computeMetrics(threadRun(1, null, { tasks: [task(0, 0.1, 1.1), unpicklable], findings: [finding] }));
    assert.ok(reported.verdicts.some((v) => v.id === 'pickling'));
    assert.ok(!reported.verdicts.some((v) => v.id === 'task-errors'), 'told once, by the pickling verdict');
    // Without a runtime finding (a diagnosis that did not happen), the task's own error still shows.
    const unreported = computeMetrics(threadRun(1, null, { tasks: [task(0, 0.1, 1.1), unpicklable] }));
    assert.match(unreported.verdicts.find((v) => v.id === 'task-errors')?.detail ?? '', /^MaybeEncodingError: /);
  });

  it('says when an interpreter pool cannot import a module, and when the override chose that pool', () => {
    const error = 'ImportError: module readline does not support loading in subinterpreters';
    const tasks = [task(0, 0.1, 0.2, { ok: false, error }), task(1, 0.1, 0.2, { ok: false, error }), task(0, 0.2, 0.3, { ok: false, error: 'ValueError: x' })];
    const own = computeMetrics(threadRun(1, null, { tasks })).verdicts;
    const sub = own.find((v) => v.id === 'subinterpreter');
    assert.equal(sub?.level, 'problem');
    assert.deepEqual(sub?.site, { file: '/src/work.py', line: 7 });
    assert.equal(sub?.detail, `2 tasks raised ${error} (submitted at /src/work.py:7). An interpreter pool can only import extension modules built for subinterpreters: run this work with processes (--pool process).`);
    assert.equal(own.find((v) => v.id === 'task-errors')?.detail, 'ValueError: x (submitted at /src/work.py:7).', 'the other exceptions are still named');

    const shape = { workers: 2, startMethod: null, chunksize: null };
    const replaced = {
      poolId: 'p', api: 'ThreadPoolExecutor', requested: { kind: 'thread' as const, ...shape }, effective: { kind: 'interpreter' as const, ...shape },
      replaced: true, site: { file: '/src/work.py', line: 11, function: '<module>' },
    };
    const overridden = computeMetrics(threadRun(1, null, { tasks, pools: [replaced] })).verdicts.find((v) => v.id === 'subinterpreter');
    assert.match(overridden?.detail ?? '', /Your code's ThreadPoolExecutor \(line 11\) ran as an interpreter pool only because this run asked for one \(--pool interpreter\)\.$/);
  });

  it('says when process-pool tasks are too small for their fixed cost, and by how much to grow them', () => {
    const processRun = (count: number, seconds: number, extra: Partial<MetricsInput> = {}): MetricsInput => threadRun(1, null, {
      workers: [worker(20, 20, 'process'), worker(21, 21, 'process')],
      tasks: Array.from({ length: count }, (_, i) => task(i % 2, i * seconds, (i + 1) * seconds, { argBytes: 40, resultBytes: 40, pickleSeconds: seconds / 10 })),
      ...extra,
    });
    const input = processRun(4000, 0.0005, { wallSeconds: 2 });
    input.sampler.threads = [thread(10, 10, { cpuSeconds: 0.3 }), thread(10, 13, { cpuSeconds: 0.26 }), thread(20, 20, { cpuSeconds: 1 })];
    const m = computeMetrics(input);
    const tiny = m.verdicts.find((v) => v.id === 'granularity');
    assert.equal(tiny?.level, 'warning');
    assert.equal(tiny?.detail, "4,000 tasks of 0.50 ms (median) on worker processes: each one pays a fixed cost — pickling and pipes took 9 % of the tasks' time; " +
      'the parent process used 0.28 cores handing them out and collecting results. Send about 20× more work per task: with map, a 20× larger chunksize ' +
      '(try --chunksize 20 if it is 1 now); with submit, batches of 20 items.');
    assert.ok(!m.verdicts.some((v) => v.id === 'ipc'), 'the pickling verdict would give the same advice');
    assert.deepEqual(tiny?.site, { file: '/src/work.py', line: 7 });

    const quiet = (x: MetricsInput) => !computeMetrics(x).verdicts.some((v) => v.id === 'granularity');
    assert.ok(quiet(processRun(4000, 0.002)), 'tasks of 2 ms are big enough');
    assert.ok(quiet(processRun(400, 0.0005)), 'too few to matter');
    assert.ok(quiet(threadRun(1, null, { tasks: Array.from({ length: 4000 }, (_, i) => task(i % 2, i * 0.0005, (i + 1) * 0.0005)) })), 'thread tasks pay no pickling');
  });

  it('labels the coarse sampler', () => {
    const input = threadRun(1, null);
    input.sampler = samplerResult({ n: 5, coarse: true });
    assert.ok(computeMetrics(input).verdicts.some((v) => v.id === 'sampler' && /os\.cpus\(\)/.test(v.detail)));
  });
});
