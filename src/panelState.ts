/**
 * What the panel shows, kept on the host (a hidden or reloaded webview is rebuilt from it).
 * Plain logic, no `vscode`: every host→webview message is applied here first, so a panel that
 * connects later receives the same picture through `snapshot()`.
 *
 * Live samples and tasks are bounded: past `maxSamples` / `maxTasks` the oldest are dropped
 * (the final report keeps the whole run at its own resolution).
 */
import type { LiveRunState, PanelState, SampleBatch, ToWebviewMessage } from './protocol';
import { PROTOCOL_VERSION } from './protocol';
import type { Report, SweepReport } from './core/report/model';

export const DEFAULT_MAX_LIVE_SAMPLES = 18_000; // 30 minutes at 10 Hz
/** Live tasks kept (oldest dropped): a long run of short tasks must not grow the panel forever. */
export const DEFAULT_MAX_LIVE_TASKS = 50_000;

export class PanelStore {
  private live: LiveRunState | null = null;
  private report: Report | null = null;
  private sweep: SweepReport | null = null;
  private sweepProgress: PanelState['sweepProgress'] = null;

  constructor(
    private readonly machine: PanelState['machine'],
    private readonly maxSamples = DEFAULT_MAX_LIVE_SAMPLES,
    private readonly maxTasks = DEFAULT_MAX_LIVE_TASKS,
  ) {}

  apply(message: ToWebviewMessage): void {
    switch (message.type) {
      case 'init':
        this.live = message.state.live;
        this.report = message.state.report;
        this.sweep = message.state.sweep;
        this.sweepProgress = message.state.sweepProgress;
        return;
      case 'runStarted':
        this.live = { header: message.header, samples: emptyBatch(message.header.cpuCount), workers: [], tasks: [] };
        return;
      case 'runSamples':
        if (this.live?.header.runId === message.runId) appendBatch(this.live.samples, message.batch, this.maxSamples);
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

  get lastReport(): Report | null {
    return this.report;
  }

  get lastSweep(): SweepReport | null {
    return this.sweep;
  }

  get liveRunId(): string | null {
    return this.live?.header.runId ?? null;
  }

  snapshot(): PanelState {
    return {
      protocolVersion: PROTOCOL_VERSION,
      live: this.live,
      report: this.report,
      sweep: this.sweep,
      sweepProgress: this.sweepProgress,
      machine: this.machine,
    };
  }
}

export function emptyBatch(cores: number): SampleBatch {
  const perCore = () => Array.from({ length: cores }, () => [] as number[]);
  return { t: [], coresUsed: [], busy: perCore(), workload: perCore(), steal: perCore() };
}

/** Appends `batch` to `into`, keeping at most `max` samples (oldest dropped). */
export function appendBatch(into: SampleBatch, batch: SampleBatch, max: number): void {
  const columns = (target: number[][], source: number[][]) => {
    source.forEach((values, core) => {
      (target[core] ??= []).push(...values);
    });
  };
  into.t.push(...batch.t);
  into.coresUsed.push(...batch.coresUsed);
  columns(into.busy, batch.busy);
  columns(into.workload, batch.workload);
  columns(into.steal, batch.steal);
  const excess = into.t.length - max;
  if (excess > 0) {
    for (const series of [into.t, into.coresUsed, ...into.busy, ...into.workload, ...into.steal]) series.splice(0, excess);
  }
}

function mergeWorkers(into: LiveRunState['workers'], updates: LiveRunState['workers']): void {
  for (const worker of updates) {
    const index = into.findIndex((w) => w.pid === worker.pid && w.tid === worker.tid);
    if (index === -1) into.push(worker);
    else into[index] = worker;
  }
}
