/**
 * One view of a run for every chart, whether it is still live (`LiveRunState`, growing at the
 * end, oldest samples dropped past the store's bound) or finished (`Report`). The columns are the
 * store's or the message's own, as they arrived — typed or plain (protocolCodec.ts): nothing is
 * copied or decoded, on a first render or a live update.
 */
import type { FractionColumn, LiveRunState, NumberColumn, TaskColumns, WireReport } from '../protocol';
import type { PoolSummary, PythonInfo, TaskRecord, WorkerSummary } from '../core/report/model';
import { isColumn, isTaskColumns, taskRecord } from '../protocolCodec';

/** A core's fractions; read them through `fractionScale` (bytes stand for byte / 255). */
export interface CoreColumns {
  busy: FractionColumn;
  workload: FractionColumn;
  steal: FractionColumn;
}

export interface RunData {
  live: boolean;
  script: string;
  python: PythonInfo | null;
  pool: PoolSummary;
  cpuCount: number;
  usableCpus: number;
  sampleIntervalMs: number;
  /** Seconds since the run started, one per retained sample. */
  t: NumberColumn;
  coresUsed: NumberColumn;
  cores: CoreColumns[];
  /** Samples appended since the run started; more than `t.length` once old ones were dropped. */
  appended: number;
  workers: readonly WorkerSummary[];
  tasks: TaskList;
  /** Tasks appended since the run started; more than `tasks.length` once old ones were dropped. */
  tasksAppended: number;
  /** False when the sampler cannot tell the workload from other programs (`os.cpus`). */
  splitsWorkload: boolean;
  /** Seconds the run has lasted (live: up to the last sample or task seen). */
  elapsed: number;
  report: WireReport | null;
}

const array = <T>(value: T): T | readonly number[] => (isColumn(value) ? value : []);

/**
 * A run's tasks, whichever form they came in — records (a live run, a report from JSON) or
 * columns (an encoded report, protocolCodec.ts) — read field by field, so drawing thousands of
 * them makes no objects. `record(i)` builds one task's record when a view needs all of it.
 */
export interface TaskList {
  readonly length: number;
  /** Index into the run's workers. */
  worker(i: number): number;
  start(i: number): number;
  end(i: number): number;
  pickleSeconds(i: number): number;
  failed(i: number): boolean;
  record(i: number): TaskRecord;
  /** The columns themselves, when the tasks came as columns (for loops over thousands of them). */
  columns(): TaskColumns | null;
}

class TaskRecords implements TaskList {
  constructor(private readonly tasks: readonly TaskRecord[]) {}
  get length(): number { return this.tasks.length; }
  worker(i: number): number { return this.tasks[i]!.worker; }
  start(i: number): number { return this.tasks[i]!.start; }
  end(i: number): number { return this.tasks[i]!.end; }
  pickleSeconds(i: number): number { return this.tasks[i]!.pickleSeconds || 0; }
  failed(i: number): boolean { return this.tasks[i]!.ok === false; }
  record(i: number): TaskRecord { return this.tasks[i]!; }
  columns(): null { return null; }
}

class TaskTable implements TaskList {
  /** Records made so far: the same object each time for one task (the lanes keep focus by identity). */
  private readonly made = new Map<number, TaskRecord>();
  readonly length: number;
  constructor(private readonly tasks: TaskColumns) {
    const { worker, start, end, pickleSeconds, ok } = tasks;
    this.length = Math.max(0, Math.min(tasks.length, worker.length, start.length, end.length, pickleSeconds.length, ok.length));
  }
  worker(i: number): number { return this.tasks.worker[i]!; }
  start(i: number): number { return this.tasks.start[i]!; }
  end(i: number): number { return this.tasks.end[i]!; }
  pickleSeconds(i: number): number { return this.tasks.pickleSeconds[i] || 0; }
  failed(i: number): boolean { return this.tasks.ok[i] === 0; }
  record(i: number): TaskRecord {
    let record = this.made.get(i);
    if (!record) this.made.set(i, record = taskRecord(this.tasks, i));
    return record;
  }
  columns(): TaskColumns { return this.tasks; }
}

/** The task list of a report's or a live run's tasks (anything else: none). */
export function taskList(tasks: unknown): TaskList {
  if (isTaskColumns(tasks)) return new TaskTable(tasks);
  return new TaskRecords(Array.isArray(tasks) ? tasks : []);
}

export function fromReport(report: WireReport): RunData {
  const t = array(report.sampleTimes);
  const tasks = taskList(report.tasks);
  return {
    live: false,
    script: String(report.script ?? ''),
    python: report.python ?? null,
    pool: report.pool,
    cpuCount: report.cpuCount,
    usableCpus: report.usableCpus,
    sampleIntervalMs: report.sampleIntervalMs,
    t,
    coresUsed: array(report.coresUsedSeries),
    cores: (Array.isArray(report.cores) ? report.cores : []).map((core) => ({
      busy: array(core?.busy), workload: array(core?.workload), steal: array(core?.steal),
    })),
    appended: t.length,
    workers: Array.isArray(report.workers) ? report.workers : [],
    tasks,
    tasksAppended: tasks.length,
    splitsWorkload: report.sampler?.kind !== 'os.cpus',
    elapsed: Number.isFinite(report.wallSeconds) ? report.wallSeconds : t[t.length - 1] ?? 0,
    report,
  };
}

export function fromLive(live: LiveRunState, appended: number, tasksAppended: number): RunData {
  const { header, samples } = live;
  const t = samples.t;
  const lastTask = live.tasks.length ? live.tasks[live.tasks.length - 1]?.end ?? 0 : 0;
  return {
    live: true,
    script: header.script,
    python: header.python,
    pool: header.pool,
    cpuCount: header.cpuCount,
    usableCpus: header.usableCpus,
    sampleIntervalMs: header.sampleIntervalMs,
    t,
    coresUsed: samples.coresUsed,
    cores: samples.busy.map((busy, c) => ({ busy, workload: samples.workload[c] ?? [], steal: samples.steal[c] ?? [] })),
    appended: Math.max(appended, t.length),
    workers: live.workers,
    tasks: taskList(live.tasks),
    tasksAppended: Math.max(tasksAppended, live.tasks.length),
    splitsWorkload: header.sampler?.kind !== 'os.cpus',
    elapsed: Math.max(t[t.length - 1] ?? 0, lastTask),
    report: null,
  };
}

/**
 * The time span every chart of the run shows, in seconds. A finished run: all of it. A live run:
 * from the first retained sample, over a span that doubles as the run goes on (30 s, 1 min,
 * 2 min…) and a start that moves in sixteenths of it once old samples are dropped — so the axes
 * stay put between those steps and a live update only draws what is new.
 */
export function timeDomain(data: RunData): [number, number] {
  const dt = data.sampleIntervalMs > 0 ? data.sampleIntervalMs / 1000 : 0.1;
  const last = Math.max(data.t[data.t.length - 1] ?? 0, data.elapsed);
  const first = data.t.length ? Math.max(0, data.t[0]! - dt) : 0;
  if (!data.live) return [Math.min(first, 0), Math.max(last, dt)];
  let span = 30;
  while (span < last - first) span *= 2;
  let from = Math.floor(first / (span / 16)) * (span / 16);
  while (from + span < last) {
    span *= 2;
    from = Math.floor(first / (span / 16)) * (span / 16);
  }
  return [from, from + span];
}

/** Mean of a column (0 when empty). */
export function mean(values: NumberColumn): number {
  let sum = 0;
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v - v === 0) { sum += v; n++; } // finite (NaN and ±Infinity give NaN)
  }
  return n ? sum / n : 0;
}

export function max(values: NumberColumn): number {
  let m = 0;
  for (let i = 0; i < values.length; i++) if (values[i]! > m) m = values[i]!;
  return m;
}
