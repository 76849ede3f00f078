/**
 * The one contract between the extension host (src/panel) and the webview (src/webview).
 *
 * Every message is a plain object with a `type` discriminant. The webview starts with
 * `ReadyRequest`; the host answers with `InitResponse` carrying the whole state it keeps
 * (history lives on the host, so a panel that was hidden, closed or restored after a reload
 * is rebuilt from it). While a run is live the host sends batched, columnar updates at most
 * ten times a second.
 *
 * Messages from the webview are untrusted input: the host validates them with
 * `parseFromWebview` before acting on them.
 */
import type { PoolSummary, PythonInfo, Report, SweepPoint, SweepReport, TaskRecord, WorkerSummary } from './core/report/model';

export const PROTOCOL_VERSION = 1;

// ---------------------------------------------------------------------------------------------
// Host → webview

/** Header of a run that is starting; the charts size themselves from it. */
export interface LiveRunHeader {
  runId: string;
  script: string;
  python: PythonInfo | null;
  pool: PoolSummary;
  cpuCount: number;
  usableCpus: number;
  sampleIntervalMs: number;
  startedAt: string;
  /**
   * The sampler in use. The portable `os.cpus` one cannot tell the workload from other programs
   * (its `workload` columns are zero), so the heatmap then draws busy time in one colour.
   */
  sampler?: { kind: 'procfs' | 'os.cpus'; coarse: boolean };
}

/** A batch of samples, columnar: `busy[c][i]` is core c at time `t[i]`. */
export interface SampleBatch {
  t: number[];
  coresUsed: number[];
  busy: number[][];
  workload: number[][];
  steal: number[][];
}

/** What a live run has produced so far (replayed to a panel that (re)connects). */
export interface LiveRunState {
  header: LiveRunHeader;
  samples: SampleBatch;
  workers: WorkerSummary[];
  tasks: TaskRecord[];
}

export interface SweepProgress {
  sweepId: string;
  script: string;
  planned: number;
  done: number;
  points: SweepPoint[];
  current: string | null;
}

export interface PanelState {
  protocolVersion: number;
  live: LiveRunState | null;
  report: Report | null;
  sweep: SweepReport | null;
  sweepProgress: SweepProgress | null;
  /** The machine the panel describes, known before any run. */
  machine: { cpuCount: number; platform: string };
  /**
   * True in the self-contained HTML report: there is no host, so the webview hides the
   * commands only a host can carry out (Stop, Export, Run again). Absent in VS Code.
   */
  standalone?: boolean;
}

/** Answer to `ReadyRequest`: everything the host holds. */
export interface InitResponse { type: 'init'; state: PanelState }
/** A run started; clears the live views. */
export interface RunStartedNotification { type: 'runStarted'; header: LiveRunHeader }
/** New samples of the live run (≤ 10 per second). */
export interface RunSamplesNotification { type: 'runSamples'; runId: string; batch: SampleBatch }
/** Workers seen and tasks finished since the last update. */
export interface RunTasksNotification { type: 'runTasks'; runId: string; workers: WorkerSummary[]; tasks: TaskRecord[] }
/** The run ended; the report replaces the live state. */
export interface RunFinishedNotification { type: 'runFinished'; runId: string; report: Report }
/** Sweep progress: a point finished or the next one started. */
export interface SweepProgressNotification { type: 'sweepProgress'; progress: SweepProgress }
/** The sweep ended. */
export interface SweepFinishedNotification { type: 'sweepFinished'; sweep: SweepReport }

export type ToWebviewMessage =
  | InitResponse
  | RunStartedNotification
  | RunSamplesNotification
  | RunTasksNotification
  | RunFinishedNotification
  | SweepProgressNotification
  | SweepFinishedNotification;

// ---------------------------------------------------------------------------------------------
// Webview → host

/** The webview has loaded and wants the state. */
export interface ReadyRequest { type: 'ready' }
/** Open a file at a line (a finding, a task's submitting line). */
export interface OpenLocationCommand { type: 'openLocation'; file: string; line: number }
/** Stop the live run. */
export interface StopRunCommand { type: 'stopRun' }
/** Export the shown report: the run (the default) or, from the Sweep tab, the sweep. */
export interface ExportReportCommand { type: 'exportReport'; format: ExportFormat; target?: ExportTarget }
/** Run the last sweep again. */
export interface RerunSweepCommand { type: 'rerunSweep' }

export type ExportFormat = 'json' | 'html' | 'trace';
export const EXPORT_FORMATS: readonly ExportFormat[] = ['json', 'html', 'trace'];
export type ExportTarget = 'run' | 'sweep';
export const EXPORT_TARGETS: readonly ExportTarget[] = ['run', 'sweep'];

export type FromWebviewMessage =
  | ReadyRequest
  | OpenLocationCommand
  | StopRunCommand
  | ExportReportCommand
  | RerunSweepCommand;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Validates a message from the webview. Returns the typed message, or `undefined` for anything
 * malformed (unknown type, wrong field types, absurd values) — the caller ignores those.
 */
export function parseFromWebview(value: unknown): FromWebviewMessage | undefined {
  if (!isRecord(value) || typeof value.type !== 'string') return undefined;
  switch (value.type) {
    case 'ready':
    case 'stopRun':
    case 'rerunSweep':
      return { type: value.type };
    case 'openLocation': {
      const { file, line } = value;
      if (typeof file !== 'string' || file.length === 0 || file.length > 4096 || file.includes('\0')) return undefined;
      if (typeof line !== 'number' || !Number.isInteger(line) || line < 1 || line > 10_000_000) return undefined;
      return { type: 'openLocation', file, line };
    }
    case 'exportReport': {
      const { format, target } = value;
      if (typeof format !== 'string' || !(EXPORT_FORMATS as readonly string[]).includes(format)) return undefined;
      if (target === undefined) return { type: 'exportReport', format: format as ExportFormat };
      if (typeof target !== 'string' || !(EXPORT_TARGETS as readonly string[]).includes(target)) return undefined;
      return { type: 'exportReport', format: format as ExportFormat, target: target as ExportTarget };
    }
    default:
      return undefined;
  }
}

/** Cheap structural check on the webview side: the host is trusted, but a stale panel is not. */
export function isToWebviewMessage(value: unknown): value is ToWebviewMessage {
  if (!isRecord(value) || typeof value.type !== 'string') return false;
  switch (value.type) {
    case 'init': return isRecord(value.state);
    case 'runStarted': return isRecord(value.header);
    case 'runSamples': return typeof value.runId === 'string' && isRecord(value.batch);
    case 'runTasks': return typeof value.runId === 'string' && Array.isArray(value.workers) && Array.isArray(value.tasks);
    case 'runFinished': return typeof value.runId === 'string' && isRecord(value.report);
    case 'sweepProgress': return isRecord(value.progress);
    case 'sweepFinished': return isRecord(value.sweep);
    default: return false;
  }
}
