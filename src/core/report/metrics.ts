/**
 * The metrics and verdicts of a run (definitions: shared/research/utilization.md §1). Pure
 * functions over what the harness reported (workers, tasks) and what the sampler measured;
 * each verdict carries its reason in words, with the numbers.
 */
import { fannedOut, type Finding, type Metrics, type PoolInstance, type PythonInfo, type TaskRecord, type UtilizationClass, type Verdict, type WorkerSummary } from './model';
import type { SampledProcess, SampledThread, SamplerResult } from '../sample/types';

export interface WorkerLife {
  start: number | null;
  end: number | null;
}

export interface MetricsInput {
  wallSeconds: number;
  /** The workload's average cores used. */
  coresUsed: number;
  usableCpus: number;
  cpuCount: number;
  /** Workers the pools were asked to run (null: unknown). */
  targetWorkers: number | null;
  workers: WorkerSummary[];
  lives: WorkerLife[];
  tasks: TaskRecord[];
  sampler: SamplerResult;
  python: PythonInfo;
  /** Where the usable-CPU limit came from, when it is below the CPU count. */
  limit: { affinity: number | null; quota: number | null; quotaSource: string | null };
  findings: Finding[];
  hangs: { reason: string; site: { file: string; line: number } | null }[];
  /** pid of the script's own process (thread workers live in it). */
  mainPid: number | null;
  /** The pools the script created, with what the override replaced (for the subinterpreter verdict). */
  pools?: PoolInstance[];
}

/** Thresholds, named so the verdict texts and the tests agree. */
export const THRESHOLDS = {
  /** A GIL-bound process uses at most this many cores while ≥ 2 of its threads run tasks. */
  gilMaxCores: 1.2,
  /** …and shows it wants CPU: uses (or waits in the run queue for) this many cores, or waits on the GIL this often. */
  gilMinCores: 0.5,
  gilMinWaitShare: 0.15,
  /** Overlap of ≥ 2 task threads needed before judging (seconds, and share of the wall time). */
  gilMinOverlapSeconds: 0.2,
  gilMinOverlapShare: 0.1,
  ipcWarning: 0.1,
  /** Below this much pickling in all (seconds) the share is not worth a warning. */
  ipcMinSeconds: 0.02,
  oversubscriptionWarning: 0.5,
  idleWarning: 0.3,
  /** Idle shares of short-lived pools (worker-seconds) are not worth a warning. */
  idleMinWorkerSeconds: 1,
  migrationsPerThreadSecond: 5,
  /** Other programs' load worth mentioning next to the efficiency (cores). */
  otherProgramsNote: 0.25,
  /** Process-pool tasks this short (median seconds), this many, are too small for their overhead. */
  tinyTaskSeconds: 0.001,
  tinyTaskMinCount: 500,
  /** Work per task message worth aiming for (seconds): the "send N× more per task" factor. */
  taskTargetSeconds: 0.01,
} as const;

/** Cores other programs kept busy during the run (null without per-process counters). */
export function otherProgramsCores(sampler: SamplerResult): number | null {
  if (sampler.coarse || sampler.samples.length === 0) return null;
  let sum = 0;
  for (const sample of sampler.samples) {
    sample.busy.forEach((busy, i) => {
      sum += Math.max(0, busy - (sample.workload[i] ?? 0));
    });
  }
  return sum / sampler.samples.length;
}

export function utilizationClass(coresUsed: number, target: number): UtilizationClass {
  if (coresUsed < 0.5) return 'idle';
  const ratio = target > 0 ? coresUsed / target : 0;
  if (ratio <= 0.5) return 'poor';
  if (ratio <= 0.85) return 'ok';
  return 'ideal';
}

/** Cores used ÷ min(workers, usable CPUs). */
export function parallelEfficiency(coresUsed: number, workers: number | null, usableCpus: number): number | null {
  const target = Math.min(workers ?? usableCpus, usableCpus);
  return target > 0 ? coresUsed / target : null;
}

/**
 * Time spent pickling and unpickling task arguments and results ÷ the tasks' whole time. The
 * harness starts a task's clock once its arguments are unpickled, so the pickling is outside
 * `end − start` and the whole time is the sum of both.
 */
export function ipcShare(tasks: TaskRecord[]): number | null {
  const { pickle, time } = ipcTotals(tasks);
  return time + pickle > 0 ? pickle / (time + pickle) : null;
}

function ipcTotals(tasks: TaskRecord[]): { pickle: number; time: number } {
  let pickle = 0;
  let time = 0;
  for (const task of tasks) {
    if (task.argBytes === 0 && task.resultBytes === 0 && task.pickleSeconds === 0 && task.cpuSeconds === 0) continue; // lanes
    pickle += task.pickleSeconds;
    time += task.end - task.start;
  }
  return { pickle, time };
}

export interface Granularity {
  tasks: number;
  /** Median seconds per task. */
  median: number;
  /** How many times more work per task would reach `THRESHOLDS.taskTargetSeconds`. */
  factor: number;
  /** Cores the parent process's own threads used meanwhile (null: not measured). */
  parentCores: number | null;
  /** The line that submitted the first of these tasks. */
  site: { file: string; line: number } | null;
}

/**
 * Process-pool tasks too small for their fixed cost (a pipe message and a pickle each way, the
 * parent's bookkeeping threads): many of them, with a median under `tinyTaskSeconds`. Null
 * when that is not the case. Chunked `map` calls are recorded per chunk, so a big enough
 * chunksize clears it.
 */
export function granularity(input: Pick<MetricsInput, 'tasks' | 'workers' | 'sampler' | 'mainPid' | 'wallSeconds'>): Granularity | null {
  const tasks = input.tasks.filter((t) => input.workers[t.worker]?.kind === 'process');
  const durations = tasks.map((t) => t.end - t.start);
  if (durations.length < THRESHOLDS.tinyTaskMinCount) return null;
  durations.sort((a, b) => a - b);
  const median = durations[Math.floor(durations.length / 2)];
  if (!(median < THRESHOLDS.tinyTaskSeconds)) return null;
  const parent = input.sampler.threads.filter((t) => t.pid === input.mainPid);
  const parentCores = !input.sampler.coarse && parent.length > 0 && input.wallSeconds > 0
    ? parent.reduce((sum, t) => sum + t.cpuSeconds, 0) / input.wallSeconds
    : null;
  const factor = Math.max(2, Math.round(THRESHOLDS.taskTargetSeconds / Math.max(median, 1e-6)));
  return { tasks: durations.length, median, factor, parentCores, site: tasks.find((t) => t.site)?.site ?? null };
}

/** Lifetime of the pool workers, in worker-seconds. */
function workerSeconds(workers: WorkerSummary[], lives: WorkerLife[]): number {
  let life = 0;
  workers.forEach((worker, i) => {
    const { start, end } = lives[i] ?? { start: null, end: null };
    if (worker.kind !== 'main' && worker.kind !== 'lane' && start !== null && end !== null && end > start) life += end - start;
  });
  return life;
}

/** Share of the pool workers' lifetime spent outside tasks. */
export function idleShare(workers: WorkerSummary[], lives: WorkerLife[], tasks: TaskRecord[]): number | null {
  const busy = new Map<number, number>();
  for (const task of tasks) busy.set(task.worker, (busy.get(task.worker) ?? 0) + (task.end - task.start));
  let life = 0;
  let used = 0;
  workers.forEach((worker, i) => {
    if (worker.kind === 'main' || worker.kind === 'lane') return;
    const { start, end } = lives[i] ?? { start: null, end: null };
    if (start === null || end === null || end <= start) return;
    life += end - start;
    used += Math.min(end - start, busy.get(i) ?? 0);
  });
  return life > 0 ? Math.max(0, 1 - used / life) : null;
}

/** Run-queue delay of the workload's threads ÷ wall: on average, how many threads waited for a CPU. */
export function oversubscription(threads: SampledThread[], wallSeconds: number): number | null {
  if (threads.length === 0 || !(wallSeconds > 0)) return null;
  return threads.reduce((sum, t) => sum + t.runDelaySeconds, 0) / wallSeconds;
}

/** Core changes per thread that ran. */
export function migrationsPerThread(threads: SampledThread[]): { perThread: number; total: number } {
  const ran = threads.filter((t) => t.activeSamples > 0);
  const total = ran.reduce((sum, t) => sum + t.migrations, 0);
  return { perThread: ran.length > 0 ? total / ran.length : 0, total };
}

/** Merged time segments (seconds) where at least `k` of the given intervals overlap. */
export function overlapSegments(intervals: { start: number; end: number }[], k: number): [number, number][] {
  const edges: [number, number][] = [];
  for (const { start, end } of intervals) {
    if (end > start) edges.push([start, 1], [end, -1]);
  }
  edges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const out: [number, number][] = [];
  let depth = 0;
  let from = 0;
  for (const [at, step] of edges) {
    const before = depth;
    depth += step;
    if (before < k && depth >= k) from = at;
    else if (before >= k && depth < k && at > from) {
      const last = out[out.length - 1];
      if (last && last[1] >= from) last[1] = at;
      else out.push([from, at]);
    }
  }
  return out;
}

/** CPU seconds a sampled process used inside the segments (each sample interval pro rata). */
export function cpuInSegments(proc: SampledProcess, sampleTimes: number[], startedAt: number, segments: [number, number][]): number {
  let cpu = 0;
  proc.cpu.forEach((seconds, k) => {
    const index = proc.cpuStart + k;
    const end = sampleTimes[index];
    const begin = index === 0 ? startedAt : sampleTimes[index - 1];
    if (end === undefined || !(end > begin)) return;
    let inside = 0;
    for (const [a, b] of segments) inside += Math.max(0, Math.min(b, end) - Math.max(a, begin));
    cpu += seconds * (inside / (end - begin));
  });
  return cpu;
}

export interface GilProcess {
  pid: number;
  /** Threads of this process that were in a task while another one was (all its task threads if none overlapped). */
  taskThreads: number;
  /** Seconds during which ≥ 2 of them were in a task. */
  overlapSeconds: number;
  /** Cores the process used during that time. */
  cores: number | null;
  /** Share of GIL probes of its task threads that found them blocked on a futex while a sibling ran. */
  waitShare: number | null;
  bound: boolean;
}

/** The GIL analysis, per process that runs tasks on ≥ 2 threads. */
export function gilAnalysis(input: MetricsInput): GilProcess[] {
  const byPid = new Map<number, number[]>();
  input.workers.forEach((worker, i) => {
    if (worker.kind === 'process' || worker.kind === 'interpreter') return;
    if (worker.kind === 'lane' && worker.laneKind === 'process') return;
    const list = byPid.get(worker.pid) ?? [];
    list.push(i);
    byPid.set(worker.pid, list);
  });
  const sampleTimes = input.sampler.samples.map((s) => s.t);
  const out: GilProcess[] = [];
  for (const [pid, indexes] of byPid) {
    if (indexes.length < 2) continue;
    const members = new Set(indexes);
    const intervals = input.tasks.filter((t) => members.has(t.worker));
    const segments = overlapSegments(intervals, 2);
    const overlapSeconds = segments.reduce((sum, [a, b]) => sum + (b - a), 0);
    const proc = input.sampler.processes.find((p) => p.pid === pid);
    let cores: number | null = null;
    if (overlapSeconds > 0) {
      if (proc && !input.sampler.coarse) {
        cores = cpuInSegments(proc, sampleTimes, input.sampler.startedAt, segments) / overlapSeconds;
      } else {
        // No per-process counters: the tasks' own thread CPU times, spread over the overlap.
        const cpu = intervals.reduce((sum, t) => sum + t.cpuSeconds, 0);
        const union = overlapSegments(intervals, 1).reduce((sum, [a, b]) => sum + (b - a), 0);
        cores = union > 0 ? cpu / union : null;
      }
    }
    const tids = new Set(indexes.map((i) => input.workers[i].tid));
    const threads = input.sampler.threads.filter((t) => t.pid === pid);
    const taskThreads = threads.filter((t) => tids.has(t.tid));
    const probed = (taskThreads.length > 0 ? taskThreads : threads.filter((t) => t.tid !== pid)).filter((t) => t.gilProbes > 0);
    const probes = probed.reduce((sum, t) => sum + t.gilProbes, 0);
    const waitShare = probes >= 4 ? probed.reduce((sum, t) => sum + t.futexWaits, 0) / probes : null;
    const enough = overlapSeconds >= Math.max(THRESHOLDS.gilMinOverlapSeconds, THRESHOLDS.gilMinOverlapShare * input.wallSeconds);
    // Wanting CPU: using it, or runnable but waiting for a core (other programs), or waiting for the GIL.
    const union = overlapSegments(intervals, 1).reduce((sum, [a, b]) => sum + (b - a), 0);
    const delayCores = union > 0 ? (taskThreads.length > 0 ? taskThreads : threads).reduce((sum, t) => sum + t.runDelaySeconds, 0) / union : 0;
    const wantsCpu = cores !== null && (cores + delayCores >= THRESHOLDS.gilMinCores || (waitShare !== null && waitShare >= THRESHOLDS.gilMinWaitShare && cores >= 0.2));
    const bound = input.python.gilEnabled && enough && cores !== null && cores <= THRESHOLDS.gilMaxCores && wantsCpu;
    // Threads that were in a task while another one was: the "busy" threads of the verdict.
    const overlapping = new Set(intervals.filter((t) => segments.some(([a, b]) => t.start < b && t.end > a)).map((t) => t.worker));
    out.push({ pid, taskThreads: overlapping.size > 0 ? overlapping.size : indexes.length, overlapSeconds, cores, waitShare, bound });
  }
  return out;
}

/** The exception of a task that failed because an interpreter pool cannot import a module (3.12+ wording). */
const SUBINTERPRETER = /does not support loading in subinterpreters/;
/** Exceptions of results or arguments that could not be pickled: the pickling verdict tells those. */
const PICKLING_ERROR = /^(MaybeEncodingError|PicklingError|PicklingWarning)\b|cannot pickle|Can't pickle/;

interface TaskErrorGroup {
  /** The exception's type ("ValueError"), or the whole text when it has no "Type: " prefix. */
  type: string;
  /** The first of these tasks' exception in words ("Type: message", as the harness recorded it). */
  first: string;
  /** Every task of the group raised the same words. */
  same: boolean;
  count: number;
  /** The first of these tasks' submitting line. */
  site: { file: string; line: number } | null;
}

/** The tasks that raised, grouped by exception type, most frequent first (ties: first started). */
function taskErrors(tasks: readonly TaskRecord[]): TaskErrorGroup[] {
  const groups = new Map<string, TaskErrorGroup>();
  // "The first" is the first to start: tasks are recorded as they end, in whichever order workers finish.
  for (const task of [...tasks].sort((a, b) => a.start - b.start)) {
    if (task.ok !== false) continue;
    const error = task.error ?? 'an exception';
    const type = /^([\w.]+):/.exec(error)?.[1] ?? error;
    const group = groups.get(type);
    if (group) {
      group.count += 1;
      group.same &&= group.first === error;
    } else {
      groups.set(type, { type, first: error, same: true, count: 1, site: task.site });
    }
  }
  return [...groups.values()].sort((a, b) => b.count - a.count);
}

const pct = (x: number) => `${Math.round(x * 100)} %`;
const f2 = (x: number) => x.toFixed(2);
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

const at = (site: TaskErrorGroup['site']) => (site ? ` (submitted at ${site.file}:${site.line})` : '');

/** A verdict's `site` field, when the line is known. */
const siteOf = (site: { file: string; line: number } | null | undefined): Pick<Verdict, 'site'> =>
  (site && site.file && site.line > 0 ? { site: { file: site.file, line: site.line } } : {});

/** A group in words: the exception, how many tasks raised it when that is not obvious, the line. */
function describeGroup(g: TaskErrorGroup, alone: boolean): string {
  const tasks = alone && g.count === 1 ? '' : ` — ${plural(g.count, 'task')}`;
  if (g.same) return `${g.first}${tasks}${at(g.site)}`;
  const message = g.first.slice(g.type.length + 1).trim();
  return `${g.type}${tasks}${message ? `, the first “${message}”` : ''}${at(g.site)}`;
}

/**
 * Tasks that raised: a problem when an interpreter pool could not import a module (the pool
 * cannot run this code at all — and the override may be what chose it), else a warning naming
 * the exceptions. Failures the pickling verdict already explains are left to it.
 */
function taskErrorVerdicts(input: MetricsInput, picklingReported: boolean): Verdict[] {
  const failed = input.tasks.filter((t) => t.ok === false && !(picklingReported && PICKLING_ERROR.test(t.error ?? '')));
  const out: Verdict[] = [];
  const sub = taskErrors(failed.filter((t) => SUBINTERPRETER.test(t.error ?? '')));
  if (sub.length > 0) {
    const count = sub.reduce((sum, g) => sum + g.count, 0);
    const replaced = (input.pools ?? []).find((p) => p.replaced && p.effective.kind === 'interpreter' && p.requested.kind !== 'interpreter');
    const asked = replaced
      ? ` Your code's ${replaced.api}${replaced.site ? ` (line ${replaced.site.line})` : ''} ran as an interpreter pool only because this run asked for one (--pool interpreter).`
      : '';
    out.push({
      id: 'subinterpreter', level: 'problem', title: 'A module cannot load in a subinterpreter',
      detail: `${plural(count, 'task')} raised ${sub[0].first}${at(sub[0].site)}. An interpreter pool can only import extension modules ` +
        `built for subinterpreters: run this work with processes (--pool process).${asked}`,      ...siteOf(sub[0].site),
    });
  }
  const rest = taskErrors(failed.filter((t) => !SUBINTERPRETER.test(t.error ?? '')));
  if (rest.length > 0) {
    const count = rest.reduce((sum, g) => sum + g.count, 0);
    const shown = rest.slice(0, 2).map((g) => describeGroup(g, rest.length === 1));
    const more = rest.length > 2 ? `; ${rest.length - 2} other exception type${rest.length - 2 === 1 ? '' : 's'}` : '';
    out.push({
      id: 'task-errors', level: 'warning', title: `${count} of ${plural(input.tasks.length, 'task')} raised`,
      detail: `${shown.join('; ')}${more}.`, ...siteOf(rest[0].site),
    });
  }
  return out;
}

export function computeMetrics(input: MetricsInput): Metrics {
  const workers = input.targetWorkers;
  const efficiency = parallelEfficiency(input.coresUsed, workers, input.usableCpus);
  const target = Math.min(workers ?? input.usableCpus, input.usableCpus);
  const klass = utilizationClass(input.coresUsed, target);
  const gil = gilAnalysis(input);
  const bound = gil.filter((g) => g.bound);
  const waits = gil.filter((g) => g.waitShare !== null);
  const gilWaitShare = waits.length > 0 ? Math.max(...waits.map((g) => g.waitShare as number)) : null;
  const ipc = ipcShare(input.tasks);
  const procfs = input.sampler.kind === 'procfs';
  const over = procfs ? oversubscription(input.sampler.threads, input.wallSeconds) : null;
  const migrations = migrationsPerThread(input.sampler.threads);
  const idle = idleShare(input.workers, input.lives, input.tasks);
  const others = otherProgramsCores(input.sampler);
  const busyMachine = others !== null && others >= THRESHOLDS.otherProgramsNote ? `; other programs kept ${f2(others)} cores busy meanwhile` : '';
  const verdicts: Verdict[] = [];

  for (const hang of input.hangs) {
    verdicts.push({
      id: 'hang', level: 'problem', title: 'Pool hang detected',
      detail: `${hang.reason}${hang.site ? ` (pool at ${hang.site.file}:${hang.site.line})` : ''}; the run was ended instead of hanging.`,
      ...siteOf(hang.site),
    });
  }
  const pickling = input.findings.filter((f) => f.source === 'runtime');
  if (pickling.length > 0) {
    const first = pickling[0];
    verdicts.push({
      id: 'pickling', level: 'problem', title: `${plural(pickling.length, 'payload problem')} at run time`,
      detail: `${first.rule}: ${first.message}${first.path ? ` (at ${first.path})` : ''}${first.file ? ` — ${first.file}:${first.line}` : ''}.`,
      ...siteOf(first),
    });
  }
  verdicts.push(...taskErrorVerdicts(input, pickling.length > 0));
  if (!input.python.gilEnabled || input.python.freeThreaded) {
    verdicts.push({
      id: 'free-threaded', level: 'info', title: input.python.gilEnabled ? 'Free-threaded build, GIL enabled' : 'Free-threaded Python (no GIL)',
      detail: input.python.gilEnabled
        ? `Python ${input.python.version} is a free-threaded build, but the GIL was enabled at run time (PYTHON_GIL=1 or an extension that needs it).`
        : `Python ${input.python.version} ran without the GIL: threads can use several cores, so no GIL verdict applies.`,
    });
  }
  for (const g of bound) {
    verdicts.push({
      id: 'gil', level: 'problem', title: 'GIL-bound',
      detail: `${g.taskThreads} threads busy in tasks (process ${g.pid}) but ${f2(g.cores as number)} cores used while they overlapped` +
        `${g.waitShare !== null ? `; they spent ${pct(g.waitShare)} of the probes waiting for the GIL` : ''}. ` +
        'Pure-Python CPU work runs one thread at a time: use a process pool (--pool process) for it.',
    });
  }
  if (bound.length === 0) {
    for (const g of gil.filter((x) => x.cores !== null && x.overlapSeconds > 0 && input.python.gilEnabled)) {
      if ((g.cores as number) > THRESHOLDS.gilMaxCores) {
        verdicts.push({
          id: 'gil', level: 'good', title: 'Threads run in parallel',
          detail: `${g.taskThreads} threads used ${f2(g.cores as number)} cores while they overlapped: their work releases the GIL (NumPy, I/O, C extensions).`,
        });
      }
    }
  }
  // Efficiency is a verdict only for a run that fanned work out (pool workers or lanes).
  if (efficiency !== null && fannedOut(input.workers)) {
    const level = klass === 'ideal' ? 'good' : klass === 'ok' ? 'info' : 'warning';
    const workersText = workers !== null ? plural(workers, 'worker') : 'the workload';
    verdicts.push({
      id: 'efficiency', level, title: `Utilization: ${klass}`,
      detail: `${workersText} used ${f2(input.coresUsed)} cores of ${Number(input.usableCpus.toFixed(2))} usable: ` +
        `${pct(efficiency)} parallel efficiency (cores used ÷ min(workers, usable CPUs) = ${f2(input.coresUsed)} ÷ ${Number(target.toFixed(2))})${busyMachine}.`,
    });
  }
  const { pickle } = ipcTotals(input.tasks);
  const tiny = granularity(input);
  if (tiny) {
    // It says what the pickling verdict would (larger chunks), with the per-task figures.
    const ms = tiny.median * 1000;
    const costs = [
      ipc !== null && ipc >= 0.01 ? `pickling and pipes took ${pct(ipc)} of the tasks' time` : null,
      tiny.parentCores !== null && tiny.parentCores >= 0.05 ? `the parent process used ${f2(tiny.parentCores)} cores handing them out and collecting results` : null,
    ].filter((c): c is string => c !== null);
    verdicts.push({
      id: 'granularity', level: 'warning', title: 'Tasks too small',
      detail: `${tiny.tasks.toLocaleString('en-US')} tasks of ${ms < 0.1 ? ms.toFixed(3) : ms.toFixed(2)} ms (median) on worker processes: each one pays a fixed cost` +
        `${costs.length ? ` — ${costs.join('; ')}` : ''}. Send about ${tiny.factor}× more work per task: with map, a ${tiny.factor}× larger chunksize ` +
        `(try --chunksize ${tiny.factor} if it is 1 now); with submit, batches of ${tiny.factor} items.`,
      ...siteOf(tiny.site),
    });
  } else if (ipc !== null && ipc >= THRESHOLDS.ipcWarning && pickle >= THRESHOLDS.ipcMinSeconds) {
    verdicts.push({
      id: 'ipc', level: 'warning', title: 'Pickling overhead',
      detail: `Pickling task arguments and results took ${pct(ipc)} of the tasks' time (${f2(pickle)} s): send less data per task, or larger chunks (--chunksize).`,
    });
  }
  if (over !== null && over >= THRESHOLDS.oversubscriptionWarning) {
    verdicts.push({
      id: 'oversubscription', level: 'warning', title: 'Oversubscribed',
      detail: `On average ${f2(over)} threads were runnable but waiting for a CPU (run-queue delay ÷ wall time): ` +
        `more busy threads than the ${Number(input.usableCpus.toFixed(2))} usable CPUs, or other programs competing.`,
    });
  }
  if (idle !== null && idle >= THRESHOLDS.idleWarning && workerSeconds(input.workers, input.lives) >= THRESHOLDS.idleMinWorkerSeconds) {
    verdicts.push({
      id: 'idle', level: 'warning', title: 'Workers often idle',
      detail: `Pool workers were idle ${pct(idle)} of their lifetime: too few or uneven tasks, or a slow producer.`,
    });
  }
  const threadSeconds = input.sampler.threads.reduce((sum, t) => sum + t.activeSamples, 0) * (input.sampler.intervalMs / 1000);
  if (threadSeconds > 0 && migrations.total / threadSeconds >= THRESHOLDS.migrationsPerThreadSecond) {
    verdicts.push({
      id: 'migrations', level: 'info', title: 'Frequent core migrations',
      detail: `Threads changed cores ${f2(migrations.total / threadSeconds)} times per running second (${migrations.total} in all).`,
    });
  }
  if (input.usableCpus < input.cpuCount) {
    const reasons: string[] = [];
    if (input.limit.quota !== null && input.limit.quota < input.cpuCount) {
      reasons.push(`a CPU quota of ${f2(input.limit.quota)} CPUs${input.limit.quotaSource ? ` (${input.limit.quotaSource})` : ''}`);
    }
    if (input.limit.affinity !== null && input.limit.affinity < input.cpuCount) reasons.push(`CPU affinity of ${input.limit.affinity} cores`);
    verdicts.push({
      id: 'quota', level: 'info', title: 'CPU limit',
      detail: `Only ${Number(input.usableCpus.toFixed(2))} of ${input.cpuCount} CPUs are usable here: ${reasons.join(' and ') || 'a limit'}.`,
    });
  }
  if (input.sampler.coarse) {
    verdicts.push({
      id: 'sampler', level: 'info', title: 'Coarse sampling',
      detail: 'Per-core figures come from os.cpus() (no procfs here): no per-process or per-thread counters, iowait and steal not separated; cores used come from the tasks\' own CPU times.',
    });
  }
  return {
    parallelEfficiency: efficiency,
    utilizationClass: klass,
    gilBound: bound.length > 0,
    gilWaitShare,
    ipcShare: ipc,
    oversubscription: over,
    migrations: migrations.perThread,
    migrationsTotal: migrations.total,
    ...(others !== null ? { otherProgramsCores: Math.round(others * 1000) / 1000 } : {}),
    idleShare: idle,
    verdicts,
    gilProcesses: gil,
  };
}
