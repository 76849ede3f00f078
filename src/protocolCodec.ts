/**
 * The compact transport of sample columns in host → webview messages ("Sample columns on the
 * wire" in protocol.ts). Shared: the host encodes (`encodeMessage`, just before
 * `webview.postMessage`), the webview reads what arrives — encoded or plain, as the
 * self-contained HTML report posts it from JSON — through `fractionScale`/`fractionAt`, without
 * decoding whole columns first.
 *
 * One ArrayBuffer per report and per batch of samples: every encoded column is a view into it
 * (the 8-byte columns first, then the bytes), so VS Code transfers a single block and structured
 * clone copies it as memory, however many columns there are (64 cores: 192 fraction columns). Fractions become bytes,
 * round(v × 255): within 0.2 % of the value, finer than the heatmap's pixels and the whole
 * percentages the panel prints. Times and cores used stay exact (`Float64Array`).
 *
 * Plain `number[]` columns stay the report's schema (`parascope.report/1`): exports never see
 * this form.
 */
import type { Report } from './core/report/model';
import type { FractionColumn, NumberColumn, SampleColumns, WireCoreSeries, WireMessage, WireReport } from './protocol';

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

/** A whole fraction column as plain fractions (tests, and anything that needs `number[]`). */
export function decodeFractions(column: FractionColumn): number[] {
  return column instanceof Uint8Array ? Array.from(column, (v) => v / FRACTION_STEPS) : Array.from(column);
}

/** Carves aligned views out of one ArrayBuffer: reserve everything first, then `allocate`. */
class Packer {
  private wide = 0;
  private narrow = 0;
  private buffer: ArrayBuffer | undefined;
  private wideAt = 0;
  private narrowAt = 0;

  reserveNumbers(length: number): void {
    this.wide += length;
  }

  reserveBytes(length: number): void {
    this.narrow += length;
  }

  allocate(): void {
    this.buffer = new ArrayBuffer(this.wide * 8 + this.narrow);
    this.narrowAt = this.wide * 8;
  }

  numbers(source: ArrayLike<number>): Float64Array {
    const view = new Float64Array(this.buffer!, this.wideAt * 8, source.length);
    this.wideAt += source.length;
    for (let i = 0; i < source.length; i++) view[i] = source[i]!;
    return view;
  }

  fractions(source: FractionColumn): Uint8Array {
    const view = new Uint8Array(this.buffer!, this.narrowAt, source.length);
    this.narrowAt += source.length;
    if (source instanceof Uint8Array) view.set(source);
    else for (let i = 0; i < source.length; i++) view[i] = quantize(source[i]!);
    return view;
  }
}

const length = (column: unknown): number => (isColumn(column) ? column.length : 0);
const column = <T>(value: T): T | [] => (isColumn(value) ? value : []);
/**
 * `pack(value)` for a column; anything else (a damaged report's missing or mistyped field) is
 * passed on as it is, so the webview sees the same damage and says what is missing.
 */
const packed = <T, U>(value: T, pack: (value: T) => U): U | T => (isColumn(value) ? pack(value) : value);

function reserveSamples(packer: Packer, samples: SampleColumns): void {
  packer.reserveNumbers(length(samples.t) + length(samples.coresUsed));
  for (const key of ['busy', 'workload', 'steal'] as const) {
    for (const values of Array.isArray(samples[key]) ? samples[key] : []) packer.reserveBytes(length(values));
  }
}

function packSamples(packer: Packer, samples: SampleColumns): SampleColumns {
  const fractions = (columns: FractionColumn[]) => (Array.isArray(columns) ? columns : []).map((values) => packer.fractions(column(values)));
  return {
    t: packer.numbers(column(samples.t)),
    coresUsed: packer.numbers(column(samples.coresUsed)),
    busy: fractions(samples.busy),
    workload: fractions(samples.workload),
    steal: fractions(samples.steal),
  };
}

function reserveReport(packer: Packer, report: WireReport): void {
  packer.reserveNumbers(length(report.sampleTimes) + length(report.coresUsedSeries));
  for (const core of Array.isArray(report.cores) ? report.cores : []) {
    packer.reserveBytes(length(core?.busy) + length(core?.workload) + length(core?.steal));
  }
}

function packReport(packer: Packer, report: WireReport): WireReport {
  const numbers = (values: NumberColumn) => packed(values, (v) => packer.numbers(v));
  const fractions = (values: FractionColumn) => packed(values, (v) => packer.fractions(v));
  return {
    ...report,
    sampleTimes: numbers(report.sampleTimes),
    coresUsedSeries: numbers(report.coresUsedSeries),
    cores: packed(report.cores, (cores) => cores.map((core): WireCoreSeries => (typeof core === 'object' && core !== null ? {
      ...core,
      busy: fractions(core.busy),
      workload: fractions(core.workload),
      steal: fractions(core.steal),
    } : core))),
  };
}

/**
 * Encoded reports, by the report they came from: a report is posted when its run finishes and
 * again in every `init` (a panel that reconnects), and host code never changes a posted report.
 */
const encodedReports = new WeakMap<object, WireReport>();

/** The report with its sample columns encoded in one buffer (cached per report object). */
export function encodeReport(report: WireReport): WireReport {
  let encoded = encodedReports.get(report);
  if (!encoded) {
    const packer = new Packer();
    reserveReport(packer, report);
    packer.allocate();
    encoded = packReport(packer, report);
    encodedReports.set(report, encoded);
  }
  return encoded;
}

/** Samples encoded in one buffer of their own. */
export function encodeSamples(samples: SampleColumns): SampleColumns {
  const packer = new Packer();
  reserveSamples(packer, samples);
  packer.allocate();
  return packSamples(packer, samples);
}

/**
 * The message as the host posts it to the webview: sample columns encoded (see above), the rest
 * unchanged (and shared, not copied). Messages without sample columns are returned as they are.
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

/** Plain numbers from a column of either form. */
function plainNumbers(values: NumberColumn): number[] {
  return Array.from(values);
}

/** A received report with plain `number[]` columns again (the schema's form). */
export function decodeReport(report: WireReport): Report {
  return {
    ...report,
    sampleTimes: plainNumbers(column(report.sampleTimes)),
    coresUsedSeries: plainNumbers(column(report.coresUsedSeries)),
    cores: (Array.isArray(report.cores) ? report.cores : []).map((core) => ({
      ...core,
      busy: decodeFractions(column(core.busy)),
      workload: decodeFractions(column(core.workload)),
      steal: decodeFractions(column(core.steal)),
    })),
  };
}
