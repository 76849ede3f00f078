/**
 * The one contract between the extension host (src/panel) and the webview (src/webview).
 *
 * Every message is a plain object with a `type` discriminant. The webview starts with
 * `ReadyRequest`; the host answers with `InitResponse` carrying the whole state it keeps
 * (history lives on the host, so a panel that was hidden, closed or restored after a reload
 * is rebuilt from it). While a run is live the host sends batched, columnar updates at most
 * ten times a second.
 *
 * Sample columns travel compactly (see "Sample columns on the wire" below and
 * `protocolCodec.ts`): host code builds plain messages (`ToWebviewMessage`), the host encodes
 * them just before `webview.postMessage`, and the webview reads either form (`WireMessage`).
 *
 * Messages from the webview are untrusted input: the host validates them with
 * `parseFromWebview` before acting on them.
 */
import type { CoreSeries, PoolSummary, PythonInfo, Report, SourceSite, SweepPoint, SweepReport, TaskRecord, WorkerSummary } from './core/report/model';

export const PROTOCOL_VERSION = 1;

// ---------------------------------------------------------------------------------------------
// Sample columns on the wire
//
// Host code builds its messages with plain `number[]` columns, and the self-contained HTML report
// posts them from JSON. Just before `webview.postMessage` the host encodes the sample columns
// (`encodeMessage` in protocolCodec.ts): times and cores used as `Float64Array`, per-core
// fractions 0–1 as bytes in a `Uint8Array` (byte / 255), and a report's tasks as columns too
// (`TaskColumns`), all views of one ArrayBuffer per report or batch, which VS Code transfers as
// a single block and structured clone copies as memory. The webview reads the columns as they
// come, typed or plain, without decoding them first (`fractionScale`). This is a transport
// detail: the report JSON schema (`parascope.report/1`, exports, `--json`) keeps plain fractions
// and task records.

/** Numbers (seconds, cores used): plain, or a typed array. */
export type NumberColumn = readonly number[] | Float64Array | Float32Array;
/**
 * Fractions 0–1: plain, a `Float64Array`/`Float32Array` of fractions, or a `Uint8Array` of bytes
 * each standing for byte / 255 (see `fractionScale` in protocolCodec.ts).
 */
export type FractionColumn = readonly number[] | Float64Array | Float32Array | Uint8Array;

/** Samples, columnar: `busy[c][i]` is core c at time `t[i]`; plain or typed (see above). */
export interface SampleColumns {
  t: NumberColumn;
  coresUsed: NumberColumn;
  busy: FractionColumn[];
  workload: FractionColumn[];
  steal: FractionColumn[];
}

/**
 * A report's tasks, columnar: task i is `worker[i]`, `start[i]`… (what `encodeReport` makes of
 * `TaskRecord[]`; `decodeTasks` turns it back). Every column is `length` long.
 */
export interface TaskColumns {
  length: number;
  worker: Int32Array;
  start: Float64Array;
  end: Float64Array;
  cpuSeconds: Float64Array;
  argBytes: Float64Array;
  resultBytes: Float64Array;
  pickleSeconds: Float64Array;
  /** 1: the task succeeded, 0: it failed. */
  ok: Uint8Array;
  /** Index into `pools`, -1 for none. */
  pool: Int32Array;
  pools: string[];
  /** Index into `sites`, -1 for none. */
  site: Int32Array;
  sites: SourceSite[];
  /** Failed tasks' errors, by task index (only the tasks that have one). */
  errors: Record<number, string>;
}

/** A core's series as the webview may receive it: the fractions plain or typed. */
export type WireCoreSeries = Omit<CoreSeries, 'busy' | 'workload' | 'steal'> & { busy: FractionColumn; workload: FractionColumn; steal: FractionColumn };

/** A `Report` as the webview may receive it: its sample columns plain or typed, its tasks records or columns. */
export type WireReport = Omit<Report, 'sampleTimes' | 'coresUsedSeries' | 'cores' | 'tasks'> & {
  sampleTimes: NumberColumn;
  coresUsedSeries: NumberColumn;
  cores: WireCoreSeries[];
  tasks: TaskRecord[] | TaskColumns;
};

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

/** A batch of samples as the run produces it, columnar: `busy[c][i]` is core c at time `t[i]`. */
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
  /** The retained samples (`PanelStore` keeps them in typed arrays). */
  samples: SampleColumns;
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

/** `R`: the report as host code holds it (`Report`), or as the webview receives it (`WireReport`). */
export interface PanelState<R extends WireReport = Report> {
  protocolVersion: number;
  live: LiveRunState | null;
  report: R | null;
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
export interface InitResponse<R extends WireReport = Report> { type: 'init'; state: PanelState<R> }
/** A run started; clears the live views. */
export interface RunStartedNotification { type: 'runStarted'; header: LiveRunHeader }
/** New samples of the live run (≤ 10 per second). */
export interface RunSamplesNotification { type: 'runSamples'; runId: string; batch: SampleColumns }
/** Workers seen and tasks finished since the last update. */
export interface RunTasksNotification { type: 'runTasks'; runId: string; workers: WorkerSummary[]; tasks: TaskRecord[] }
/** The run ended; the report replaces the live state. */
export interface RunFinishedNotification<R extends WireReport = Report> { type: 'runFinished'; runId: string; report: R }
/** Sweep progress: a point finished or the next one started. */
export interface SweepProgressNotification { type: 'sweepProgress'; progress: SweepProgress }
/** The sweep ended. */
export interface SweepFinishedNotification { type: 'sweepFinished'; sweep: SweepReport }

/** What host code posts (plain columns); `R = WireReport`: what the webview receives. */
export type ToWebviewMessage<R extends WireReport = Report> =
  | InitResponse<R>
  | RunStartedNotification
  | RunSamplesNotification
  | RunTasksNotification
  | RunFinishedNotification<R>
  | SweepProgressNotification
  | SweepFinishedNotification;

/** A host message as the webview receives it: sample columns plain (JSON) or encoded. */
export type WireMessage = ToWebviewMessage<WireReport>;

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

/**
 * Cheap structural check on the webview side: the host is trusted, but a stale panel is not.
 * Sample columns may be plain or typed (`WireMessage`); the views check each column they read.
 */
export function isToWebviewMessage(value: unknown): value is WireMessage {
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
