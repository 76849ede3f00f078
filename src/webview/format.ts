/** Numbers in words and units, the same way everywhere in the panel. */
import type { PoolKind, PoolOverrideKind, StartMethod } from '../core/report/model';

const finite = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

export function seconds(value: unknown): string {
  if (!finite(value)) return '—';
  if (value < 0.001) return `${(value * 1e6).toFixed(0)} µs`;
  if (value < 1) return `${(value * 1000).toFixed(value < 0.01 ? 2 : 0)} ms`;
  if (value < 60) return `${value.toFixed(value < 10 ? 2 : 1)} s`;
  const m = Math.floor(value / 60);
  const s = Math.round(value - m * 60);
  return `${m} min ${String(s).padStart(2, '0')} s`;
}

export function percent(value: unknown, digits = 0): string {
  return finite(value) ? `${(value * 100).toFixed(digits)} %` : '—';
}

export function fixed(value: unknown, digits = 2): string {
  return finite(value) ? value.toFixed(digits) : '—';
}

export function times(value: unknown): string {
  return finite(value) ? `${value.toFixed(value >= 10 ? 0 : 1)}×` : '—';
}

export function bytes(value: unknown): string {
  if (!finite(value)) return '—';
  if (value < 1024) return `${value} B`;
  if (value < 1024 * 1024) return `${(value / 1024).toFixed(1)} kB`;
  return `${(value / 1024 / 1024).toFixed(1)} MB`;
}

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** "threads", "processes"… as the user would say it. */
export function poolName(kind: PoolKind | PoolOverrideKind | string): string {
  switch (kind) {
    case 'thread': return 'threads';
    case 'process': return 'processes';
    case 'interpreter': return 'interpreters';
    case 'serial': return 'serial';
    case 'asis': return 'as written';
    default: return String(kind);
  }
}

/** "processes × 2 (spawn)". */
export function poolShape(kind: PoolKind | PoolOverrideKind, workers: number | null, startMethod: StartMethod | null): string {
  const count = workers ? ` × ${workers}` : '';
  const method = startMethod && kind === 'process' ? ` (${startMethod})` : '';
  return `${poolName(kind)}${count}${method}`;
}

/** The file's base name: a.py from /w/proj/a.py (both separators). */
export function baseName(file: string): string {
  return file.split(/[\\/]/).pop() || file;
}

export function site(location: { file: string; line: number } | null | undefined): string {
  return location ? `${baseName(location.file)}:${location.line}` : 'unknown line';
}
