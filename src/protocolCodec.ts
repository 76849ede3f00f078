/**
 * The compact transport of sample columns and tasks in host → webview messages ("Sample columns
 * on the wire" in protocol.ts). Shared: the host encodes (`encodeMessage`, just before
 * `webview.postMessage`); the webview reads what arrives — encoded, or plain as the
 * self-contained HTML report posts it from JSON — through `fractionScale` and its task list,
 * without decoding whole columns first.
 *
 * One ArrayBuffer per report and per batch of samples: every encoded column is a view into it
 * (the 8-byte columns first, then the 4-byte, then the bytes), so VS Code transfers a single
 * block and structured clone copies it as memory, however many columns there are (64 cores: 192
 * fraction columns; a report's tasks: 10 columns instead of thousands of objects).
 *
 * - Times, cores used and the tasks' times and sizes stay exact (`Float64Array`).
 * - Fractions become bytes, round(v × 255): within 0.2 % of the value, finer than the heatmap's
 *   pixels and the whole percentages the panel prints. Encoded busy and workload are normalised
 *   as the heatmap reads them: workload ≤ busy in every sample (a workload above busy counts as
 *   busy; a core reported idle with workload counts that workload as busy). So a bucket's share of
 *   other programs is Σbusy − Σworkload: the webview folds bytes by plain sums.
 * - A byte column that is 0 throughout (steal outside a VM, an idle core) is sent empty: a
 *   report's empty byte column reads as zeros for every sample.
 *
 * Plain `number[]` columns and task records stay the report's schema (`parascope.report/1`):
 * exports never see this form.
 */
import type { Report, SourceSite, TaskRecord } from './core/report/model';
import type { FractionColumn, NumberColumn, SampleColumns, TaskColumns, WireCoreSeries, WireMessage, WireReport } from './protocol';

/** A fraction 0–1 is sent as round(v × FRACTION_STEPS) in a byte. */
export const FRACTION_STEPS = 255;

/** A column: a plain array or a typed array (never a DataView). */
export function isColumn(value: unknown): value is readonly number[] {
  return Array.isArray(value) || (ArrayBuffer.isView(value) && !(value instanceof DataView));
}

/** What a column's values are multiplied by to read fractions 0–1: 1 / 255 for bytes, else 1. */
export function fractionScale(column: FractionColumn): number {
  return column instanceof Uint8Array ? 1 / FRACTION_STEPS : 1;
}

/** Value `i` of a fraction column, as a fraction (unclamped; NaN when missing). */
export function fractionAt(column: FractionColumn, i: number): number {
  const v = column[i];
  return v === undefined ? NaN : v * fractionScale(column);
}

/** A fraction as its byte: clamped to 0–1 (NaN and missing values count as 0). */
export function quantize(value: number): number {
  return value > 0 ? (value < 1 ? Math.round(value * FRACTION_STEPS) : FRACTION_STEPS) : 0;
}

/**
 * Busy and workload of one sample as the heatmap reads them, as bytes, written to `out[at]`:
 * workload ≤ busy (see the module's comment). Plain values are clamped to 0–1 first.
 */
export function quantizePair(busy: number, workload: number, busyOut: Uint8Array, workloadOut: Uint8Array, at: number): void {
  const b = quantize(busy);
  const w = quantize(workload);
  if (b === 0) {
    busyOut[at] = w;
    workloadOut[at] = w;
  } else {
    busyOut[at] = b;
    workloadOut[at] = w < b ? w : b;
  }
}

/**
 * A whole fraction column as plain fractions (tests, and anything that needs `number[]`); an
 * empty byte column is `samples` zeros (see the module's comment).
 */
export function decodeFractions(column: FractionColumn, samples = 0): number[] {
  if (!(column instanceof Uint8Array)) return Array.from(column);
  return column.length === 0 ? new Array<number>(samples).fill(0) : Array.from(column, (v) => v / FRACTION_STEPS);
}

/** A report's tasks in either form, as columns or not (records). */
export function isTaskColumns(tasks: unknown): tasks is TaskColumns {
  return typeof tasks === 'object' && tasks !== null && !Array.isArray(tasks) && (tasks as TaskColumns).start instanceof Float64Array;
}

type Packable = Float64Array | Int32Array | Uint8Array;

/**
 * The arrays as views of one new ArrayBuffer, in the same order: 8-byte elements first, then
 * 4-byte, then bytes, so every view is aligned. The arrays' contents are copied.
 */
function pack<T extends Packable[]>(arrays: T): T {
  let size = 0;
  for (const width of [8, 4, 1]) for (const a of arrays) if (a.BYTES_PER_ELEMENT === width) size += a.byteLength;
  const buffer = new ArrayBuffer(size);
  const views: Packable[] = new Array(arrays.length);
  let at = 0;
  for (const width of [8, 4, 1]) {
    arrays.forEach((a, k) => {
      if (a.BYTES_PER_ELEMENT !== width) return;
      const view = new (a.constructor as new (buffer: ArrayBuffer, offset: number, length: number) => Packable)(buffer, at, a.length);
      view.set(a);
      views[k] = view;
      at += a.byteLength;
    });
  }
  return views as T;
}

const NO_BYTES = new Uint8Array(0);
const column = <T>(value: T): T | [] => (isColumn(value) ? value : []);
/** A column of bytes, or an empty one when every byte is 0 (see the module's comment). */
function orEmpty(bytes: Uint8Array): Uint8Array {
  for (let i = 0; i < bytes.length; i++) if (bytes[i] !== 0) return bytes;
  return NO_BYTES;
}

function numbers(source: ArrayLike<number>): Float64Array {
  return source instanceof Float64Array ? source : Float64Array.from(source, (v) => (typeof v === 'number' ? v : NaN));
}

function fractions(source: FractionColumn): Uint8Array {
  if (source instanceof Uint8Array) return source; // bytes already (this module's or SampleHistory's)
  const bytes = new Uint8Array(source.length);
  for (let i = 0; i < source.length; i++) bytes[i] = quantize(source[i]!);
  return orEmpty(bytes);
}

/** Busy and workload of one core as bytes, normalised together (see the module's comment). */
function fractionPair(busy: FractionColumn, workload: FractionColumn): [Uint8Array, Uint8Array] {
  if (busy instanceof Uint8Array && workload instanceof Uint8Array) return [busy, workload]; // normalised already
  const b = new Uint8Array(busy.length);
  const w = new Uint8Array(workload.length);
  const both = Math.min(busy.length, workload.length);
  const scaleB = fractionScale(busy), scaleW = fractionScale(workload);
  for (let i = 0; i < both; i++) {
    // quantizePair, inlined: this runs for every sample of every core of a report.
    const vb = busy[i]! * scaleB, vw = workload[i]! * scaleW;
    const qb = vb > 0 ? (vb < 1 ? Math.round(vb * FRACTION_STEPS) : FRACTION_STEPS) : 0;
    const qw = vw > 0 ? (vw < 1 ? Math.round(vw * FRACTION_STEPS) : FRACTION_STEPS) : 0;
    b[i] = qb === 0 ? qw : qb;
    w[i] = qb === 0 || qw < qb ? qw : qb;
  }
  for (let i = both; i < busy.length; i++) b[i] = quantize(busy[i]! * scaleB);
  for (let i = both; i < workload.length; i++) w[i] = quantize(workload[i]! * scaleW);
  return [orEmpty(b), orEmpty(w)];
}

/** Samples as bytes and numbers, not packed yet. */
function samplesEncoded(samples: SampleColumns): SampleColumns & { t: Float64Array; coresUsed: Float64Array; busy: Uint8Array[]; workload: Uint8Array[]; steal: Uint8Array[] } {
  const list = (columns: FractionColumn[]) => (Array.isArray(columns) ? columns : []).map((values) => column(values));
  const busy = list(samples.busy), workload = list(samples.workload);
  const encodedBusy: Uint8Array[] = [], encodedWorkload: Uint8Array[] = [];
  for (let c = 0; c < Math.max(busy.length, workload.length); c++) {
    if (c < busy.length && c < workload.length) {
      const [b, w] = fractionPair(busy[c]!, workload[c]!);
      encodedBusy.push(b);
      encodedWorkload.push(w);
    } else if (c < busy.length) encodedBusy.push(fractions(busy[c]!));
    else encodedWorkload.push(fractions(workload[c]!));
  }
  return {
    t: numbers(column(samples.t)), coresUsed: numbers(column(samples.coresUsed)),
    busy: encodedBusy, workload: encodedWorkload, steal: list(samples.steal).map((values) => fractions(values)),
  };
}

const isPackable = (v: unknown): v is Packable => v instanceof Float64Array || v instanceof Int32Array || v instanceof Uint8Array;

/** Where an encoded column sits: in `object[key]`. */
type Field = [object: object, key: string | number];

/**
 * Replaces the typed arrays at `fields` by their views in one packed buffer. The objects are this
 * module's own copies, never the caller's.
 */
function packFields(fields: Field[]): void {
  const slot = (object: object) => object as Record<string | number, unknown>;
  const found = fields.filter(([object, key]) => isPackable(slot(object)[key]));
  const views = pack(found.map(([object, key]) => slot(object)[key] as Packable));
  found.forEach(([object, key], k) => { slot(object)[key] = views[k]; });
}

/**
 * `encode(value)` for a column; anything else (a damaged report's missing or mistyped field) is
 * passed on as it is, so the webview sees the same damage and says what is missing.
 */
const ifColumn = <T, U>(value: T, encode: (value: T) => U): U | T => (isColumn(value) ? encode(value) : value);
const isCore = (core: unknown): core is WireCoreSeries => typeof core === 'object' && core !== null;

/** The report's columns encoded (not packed yet); the rest shared. */
function reportEncoded(report: WireReport): WireReport {
  return {
    ...report,
    sampleTimes: ifColumn(report.sampleTimes, numbers),
    coresUsedSeries: ifColumn(report.coresUsedSeries, numbers),
    cores: ifColumn(report.cores, (cores) => cores.map((core): WireCoreSeries => {
      if (!isCore(core)) return core;
      let busy: FractionColumn = core.busy, workload: FractionColumn = core.workload;
      if (isColumn(busy) && isColumn(workload)) [busy, workload] = fractionPair(busy, workload);
      else {
        busy = ifColumn(busy, fractions);
        workload = ifColumn(workload, fractions);
      }
      return { ...core, busy, workload, steal: ifColumn(core.steal, fractions) };
    })),
    // Tasks that are not all records (a damaged report) are passed on as they are, like damaged columns.
    tasks: Array.isArray(report.tasks) && report.tasks.every((task) => typeof task === 'object' && task !== null) ? taskColumns(report.tasks) : report.tasks,
  };
}

const TASK_COLUMNS = ['start', 'end', 'cpuSeconds', 'argBytes', 'resultBytes', 'pickleSeconds', 'worker', 'pool', 'site', 'ok'] as const;

function taskColumns(tasks: readonly TaskRecord[]): TaskColumns {
  const n = tasks.length;
  const columns: TaskColumns = {
    length: n,
    start: new Float64Array(n), end: new Float64Array(n), cpuSeconds: new Float64Array(n),
    argBytes: new Float64Array(n), resultBytes: new Float64Array(n), pickleSeconds: new Float64Array(n),
    worker: new Int32Array(n), pool: new Int32Array(n), site: new Int32Array(n),
    ok: new Uint8Array(n),
    pools: [], sites: [], errors: {},
  };
  const pools = new Map<string, number>();
  const sites = new Map<unknown, number>();
  const siteKeys = new Map<string, number>();
  const num = (v: unknown) => (typeof v === 'number' ? v : NaN);
  let lastSite: SourceSite | null = null;
  let lastSiteIndex = -1;
  for (let i = 0; i < n; i++) {
    const task = tasks[i]!;
    columns.worker[i] = Number.isInteger(task.worker) ? task.worker : -1;
    columns.start[i] = num(task.start);
    columns.end[i] = num(task.end);
    columns.cpuSeconds[i] = num(task.cpuSeconds);
    columns.argBytes[i] = num(task.argBytes);
    columns.resultBytes[i] = num(task.resultBytes);
    columns.pickleSeconds[i] = num(task.pickleSeconds);
    columns.ok[i] = task.ok === false ? 0 : 1;
    if (typeof task.error === 'string') columns.errors[i] = task.error;
    let pool = -1;
    if (typeof task.poolId === 'string') {
      pool = pools.get(task.poolId) ?? -1;
      if (pool < 0) {
        pool = columns.pools.push(task.poolId) - 1;
        pools.set(task.poolId, pool);
      }
    }
    columns.pool[i] = pool;
    // Tasks submitted from one line usually share one site object; equal sites made apart (as
    // parsed from the harness's events) are merged too. Most tasks have their neighbour's site.
    let site = -1;
    const at = task.site;
    if (at && typeof at === 'object' && lastSite && at.line === lastSite.line && at.file === lastSite.file && at.function === lastSite.function) {
      site = lastSiteIndex;
    } else if (at && typeof at === 'object') {
      site = sites.get(at) ?? -1;
      if (site < 0) {
        const key = `${at.file}\0${at.line}\0${at.function ?? ''}`;
        site = siteKeys.get(key) ?? -1;
        if (site < 0) {
          site = columns.sites.push(at) - 1;
          siteKeys.set(key, site);
        }
        sites.set(at, site);
      }
      lastSite = at;
      lastSiteIndex = site;
    }
    columns.site[i] = site;
  }
  return columns;
}

/** Task `i` of columnar tasks as a record again. */
export function taskRecord(tasks: TaskColumns, i: number): TaskRecord {
  const record: TaskRecord = {
    worker: tasks.worker[i]!, poolId: tasks.pools[tasks.pool[i]!] ?? null,
    start: tasks.start[i]!, end: tasks.end[i]!, cpuSeconds: tasks.cpuSeconds[i]!,
    argBytes: tasks.argBytes[i]!, resultBytes: tasks.resultBytes[i]!, pickleSeconds: tasks.pickleSeconds[i]!,
    site: tasks.sites[tasks.site[i]!] ?? null, ok: tasks.ok[i] !== 0,
  };
  const error = tasks.errors[i];
  if (error !== undefined) record.error = error;
  return record;
}

/** Columnar tasks as records again (the schema's form). */
export function decodeTasks(tasks: TaskColumns): TaskRecord[] {
  return Array.from({ length: tasks.length }, (_, i) => taskRecord(tasks, i));
}

/**
 * Encoded reports, by the report they came from: a report is posted when its run finishes and
 * again in every `init` (a panel that reconnects), and host code never changes a posted report.
 */
const encodedReports = new WeakMap<object, WireReport>();

/** The report with its sample columns and tasks encoded in one buffer (cached per report object). */
export function encodeReport(report: WireReport): WireReport {
  let encoded = encodedReports.get(report);
  if (!encoded) {
    encoded = reportEncoded(report);
    const fields: Field[] = [[encoded, 'sampleTimes'], [encoded, 'coresUsedSeries']];
    if (Array.isArray(encoded.cores)) {
      for (const core of encoded.cores) if (isCore(core)) fields.push([core, 'busy'], [core, 'workload'], [core, 'steal']);
    }
    if (isTaskColumns(encoded.tasks)) {
      const tasks = encoded.tasks = { ...encoded.tasks };
      for (const key of TASK_COLUMNS) fields.push([tasks, key]);
    }
    packFields(fields);
    encodedReports.set(report, encoded);
  }
  return encoded;
}

/** Samples encoded in one buffer of their own. */
export function encodeSamples(samples: SampleColumns): SampleColumns {
  const encoded = samplesEncoded(samples);
  const fields: Field[] = [[encoded, 't'], [encoded, 'coresUsed']];
  for (const key of ['busy', 'workload', 'steal'] as const) encoded[key].forEach((_, c, list) => fields.push([list, c]));
  packFields(fields);
  return encoded;
}

/**
 * The message as the host posts it to the webview: sample columns and a report's tasks encoded
 * (see above), the rest unchanged (and shared, not copied). Messages without either are returned
 * as they are.
 */
export function encodeMessage(message: WireMessage): WireMessage {
  switch (message.type) {
    case 'runSamples':
      return { ...message, batch: encodeSamples(message.batch) };
    case 'runFinished':
      return { ...message, report: encodeReport(message.report) };
    case 'init': {
      const { live, report } = message.state;
      return {
        ...message,
        state: {
          ...message.state,
          live: live ? { ...live, samples: encodeSamples(live.samples) } : null,
          report: report ? encodeReport(report) : null,
        },
      };
    }
    default:
      return message;
  }
}

const length = (column: unknown): number => (isColumn(column) ? column.length : 0);

/** Plain numbers from a column of either form. */
function plainNumbers(values: NumberColumn): number[] {
  return Array.from(values);
}

/** A received report in the schema's form again: plain `number[]` columns and task records. */
export function decodeReport(report: WireReport): Report {
  return {
    ...report,
    sampleTimes: plainNumbers(column(report.sampleTimes)),
    coresUsedSeries: plainNumbers(column(report.coresUsedSeries)),
    cores: (Array.isArray(report.cores) ? report.cores : []).map((core) => (isCore(core) ? {
      ...core,
      busy: decodeFractions(column(core.busy), length(report.sampleTimes)),
      workload: decodeFractions(column(core.workload), length(report.sampleTimes)),
      steal: decodeFractions(column(core.steal), length(report.sampleTimes)),
    } : core) as Report['cores'][number]),
    tasks: isTaskColumns(report.tasks) ? decodeTasks(report.tasks) : Array.isArray(report.tasks) ? report.tasks : [],
  };
}

