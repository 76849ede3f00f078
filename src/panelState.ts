/**
 * What the panel shows, kept on the host (a hidden or reloaded webview is rebuilt from it).
 * Plain logic, no `vscode`: every host→webview message is applied here first, so a panel that
 * connects later receives the same picture through `snapshot()`. The webview keeps the same store,
 * fed with the messages as they arrive (`PanelStore<WireReport>`: sample columns plain or encoded).
 *
 * Live samples and tasks are bounded: past `maxSamples` / `maxTasks` the oldest are dropped
 * (the final report keeps the whole run at its own resolution). Samples live in typed arrays
 * (`SampleHistory`), the per-core fractions as bytes as on the wire (protocolCodec.ts).
 */
import type { LiveRunHeader, LiveRunState, PanelState, SampleColumns, ToWebviewMessage, WireReport } from './protocol';
import { PROTOCOL_VERSION } from './protocol';
import type { Report, SweepReport, TaskRecord, WorkerSummary } from './core/report/model';
import { fractionScale, isColumn, quantize, quantizePair } from './protocolCodec';

export const DEFAULT_MAX_LIVE_SAMPLES = 18_000; // 30 minutes at 10 Hz
/** Live tasks kept (oldest dropped): a long run of short tasks must not grow the panel forever. */
export const DEFAULT_MAX_LIVE_TASKS = 50_000;

interface LiveRun {
  header: LiveRunHeader;
  samples: SampleHistory;
  workers: WorkerSummary[];
  tasks: TaskRecord[];
}

/** `R`: the report as it is applied — `Report` on the host, `WireReport` in the webview. */
export class PanelStore<R extends WireReport = Report> {
  private live: LiveRun | null = null;
  private report: R | null = null;
  private sweep: SweepReport | null = null;
  private sweepProgress: PanelState['sweepProgress'] = null;

  constructor(
    private readonly machine: PanelState['machine'],
    private readonly maxSamples = DEFAULT_MAX_LIVE_SAMPLES,
    private readonly maxTasks = DEFAULT_MAX_LIVE_TASKS,
  ) {}

  apply(message: ToWebviewMessage<R>): void {
    switch (message.type) {
      case 'init': {
        const live = message.state.live;
        this.live = live ? { ...live, samples: SampleHistory.from(live.samples, live.header.cpuCount, this.maxSamples), workers: [...live.workers], tasks: [...live.tasks] } : null;
        this.report = message.state.report;
        this.sweep = message.state.sweep;
        this.sweepProgress = message.state.sweepProgress;
        return;
      }
      case 'runStarted':
        this.live = { header: message.header, samples: new SampleHistory(message.header.cpuCount, this.maxSamples), workers: [], tasks: [] };
        return;
      case 'runSamples':
        if (this.live?.header.runId === message.runId) this.live.samples.append(message.batch);
        return;
      case 'runTasks':
        if (this.live?.header.runId === message.runId) {
          mergeWorkers(this.live.workers, message.workers);
          for (const task of message.tasks) this.live.tasks.push(task);
          const excess = this.live.tasks.length - this.maxTasks;
          if (excess > 0) this.live.tasks.splice(0, excess);
        }
        return;
      case 'runFinished':
        this.report = message.report;
        if (this.live?.header.runId === message.runId) this.live = null;
        return;
      case 'sweepProgress':
        this.sweepProgress = message.progress;
        return;
      case 'sweepFinished':
        this.sweep = message.sweep;
        this.sweepProgress = null;
        return;
    }
  }

  get lastReport(): R | null {
    return this.report;
  }

  get lastSweep(): SweepReport | null {
    return this.sweep;
  }

  get liveRunId(): string | null {
    return this.live?.header.runId ?? null;
  }

  /** The whole state; live samples are views of the store's arrays, valid until the next message. */
  snapshot(): PanelState<R> {
    const live = this.live;
    return {
      protocolVersion: PROTOCOL_VERSION,
      live: live ? { header: live.header, samples: live.samples.columns(), workers: live.workers, tasks: live.tasks } satisfies LiveRunState : null,
      report: this.report,
      sweep: this.sweep,
      sweepProgress: this.sweepProgress,
      machine: this.machine,
    };
  }
}

type FractionKey = 'busy' | 'workload' | 'steal';
const FRACTIONS: readonly FractionKey[] = ['busy', 'workload', 'steal'];
const FIRST_CAPACITY = 512;

/**
 * A live run's retained samples, at most `max`, in typed arrays: times and cores used as
 * `Float64Array`, each core's fractions as bytes (round(v × 255), as on the wire). New samples
 * are written at the end; past `max` the oldest are dropped by moving the start. Only when the end
 * reaches the capacity (max + max / 2 once grown) are the retained samples moved to the front —
 * one copy per max / 2 samples, not a splice of every column on every update. `columns()` hands
 * out views, never copies.
 */
export class SampleHistory {
  private capacity: number;
  private readonly maxCapacity: number;
  private start = 0;
  private end = 0;
  private t: Float64Array;
  private used: Float64Array;
  private readonly fractions: Record<FractionKey, Uint8Array[]> = { busy: [], workload: [], steal: [] };
  private view: SampleColumns | undefined;

  constructor(cores: number, readonly max: number) {
    this.maxCapacity = Number.isFinite(max) ? Math.max(1, max) + Math.max(64, Math.ceil(max / 2)) : Infinity;
    this.capacity = Math.min(this.maxCapacity, FIRST_CAPACITY);
    this.t = new Float64Array(this.capacity);
    this.used = new Float64Array(this.capacity);
    this.addCores(Math.max(0, Math.floor(cores) || 0));
  }

  /** A history holding `samples` (the newest `max` of them). */
  static from(samples: SampleColumns, cores: number, max: number): SampleHistory {
    const history = new SampleHistory(cores, max);
    history.append(samples);
    return history;
  }

  /** Samples held. */
  get length(): number {
    return this.end - this.start;
  }

  get cores(): number {
    return this.fractions.busy.length;
  }

  /** Appends a batch (plain or encoded columns); missing or damaged values count as 0. */
  append(batch: SampleColumns): void {
    const n = isColumn(batch?.t) ? batch.t.length : 0;
    const count = Math.min(n, Number.isFinite(this.max) ? this.max : n);
    if (count <= 0) return;
    const skip = n - count; // a batch longer than the history: only its newest samples
    let cores = this.cores;
    for (const key of FRACTIONS) if (Array.isArray(batch[key])) cores = Math.max(cores, batch[key].length);
    this.addCores(cores - this.cores);
    this.reserve(count);
    const at = this.end;
    copyNumbers(this.t, at, batch.t, skip, count);
    copyNumbers(this.used, at, isColumn(batch.coresUsed) ? batch.coresUsed : [], skip, count);
    const sources = (key: FractionKey) => (Array.isArray(batch[key]) ? batch[key] : []);
    const busy = sources('busy'), workload = sources('workload'), steal = sources('steal');
    for (let c = 0; c < this.cores; c++) {
      copyPair(this.fractions.busy[c]!, this.fractions.workload[c]!, at, busy[c], workload[c], skip, count);
      copyFractions(this.fractions.steal[c]!, at, steal[c], skip, count);
    }
    this.end += count;
    if (this.end - this.start > this.max) this.start = this.end - this.max;
    this.view = undefined;
  }

  /** Views of the retained samples (valid until the next `append`). */
  columns(): SampleColumns {
    if (!this.view) {
      const { start, end } = this;
      const views = (key: FractionKey) => this.fractions[key].map((column) => column.subarray(start, end));
      this.view = { t: this.t.subarray(start, end), coresUsed: this.used.subarray(start, end), busy: views('busy'), workload: views('workload'), steal: views('steal') };
    }
    return this.view;
  }

  private addCores(count: number): void {
    for (let k = 0; k < count; k++) for (const key of FRACTIONS) this.fractions[key].push(new Uint8Array(this.capacity));
  }

  /** Makes room for `count` samples after the end: drops what they push out, then moves or grows. */
  private reserve(count: number): void {
    if (this.end + count <= this.capacity) return;
    const keep = Math.min(this.length, Number.isFinite(this.max) ? this.max - count : this.length);
    const from = this.end - keep;
    const needed = keep + count;
    if (needed * 2 > this.capacity && this.capacity < this.maxCapacity) {
      // Still growing: twice the room (up to max + max / 2), the retained samples copied across.
      const capacity = Math.min(this.maxCapacity, Math.max(this.capacity * 2, needed * 2));
      const grow = <T extends Float64Array | Uint8Array>(old: T, fresh: T): T => {
        fresh.set(old.subarray(from, this.end));
        return fresh;
      };
      this.t = grow(this.t, new Float64Array(capacity));
      this.used = grow(this.used, new Float64Array(capacity));
      for (const key of FRACTIONS) this.fractions[key] = this.fractions[key].map((column) => grow(column, new Uint8Array(capacity)));
      this.capacity = capacity;
    } else {
      for (const column of [this.t, this.used, ...this.fractions.busy, ...this.fractions.workload, ...this.fractions.steal]) {
        column.copyWithin(0, from, this.end);
      }
    }
    this.start = 0;
    this.end = keep;
  }
}

function copyNumbers(target: Float64Array, at: number, source: ArrayLike<number>, skip: number, count: number): void {
  if (source instanceof Float64Array && source.length >= skip + count) {
    target.set(source.subarray(skip, skip + count), at);
    return;
  }
  for (let k = 0; k < count; k++) {
    const v = source[skip + k];
    target[at + k] = typeof v === 'number' ? v : NaN;
  }
}

/** Busy and workload of one core, as the wire's normalised bytes (protocolCodec.ts). */
function copyPair(busyOut: Uint8Array, workloadOut: Uint8Array, at: number, busy: unknown, workload: unknown, skip: number, count: number): void {
  if (busy instanceof Uint8Array && workload instanceof Uint8Array) { // from the wire: normalised already
    copyFractions(busyOut, at, busy, skip, count);
    copyFractions(workloadOut, at, workload, skip, count);
    return;
  }
  const b: ArrayLike<number> = isColumn(busy) ? busy : [], w: ArrayLike<number> = isColumn(workload) ? workload : [];
  const scaleB = fractionScale(b as readonly number[]), scaleW = fractionScale(w as readonly number[]);
  for (let k = 0; k < count; k++) quantizePair((b[skip + k] ?? 0) * scaleB, (w[skip + k] ?? 0) * scaleW, busyOut, workloadOut, at + k);
}

function copyFractions(target: Uint8Array, at: number, source: unknown, skip: number, count: number): void {
  if (source instanceof Uint8Array) { // bytes already; a short column is padded with 0
    const available = Math.max(0, Math.min(count, source.length - skip));
    target.set(source.subarray(skip, skip + available), at);
    target.fill(0, at + available, at + count);
    return;
  }
  const values: ArrayLike<number> = isColumn(source) ? source : [];
  for (let k = 0; k < count; k++) target[at + k] = quantize(values[skip + k] ?? 0);
}

function mergeWorkers(into: WorkerSummary[], updates: readonly WorkerSummary[]): void {
  for (const worker of updates) {
    const index = into.findIndex((w) => w.pid === worker.pid && w.tid === worker.tid);
    if (index === -1) into.push(worker);
    else into[index] = worker;
  }
}
