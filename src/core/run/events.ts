/**
 * The harness's event lines (`python/parascope_harness`, one JSON object per line in
 * `<events-dir>/events-<pid>.jsonl`), typed and validated. Every line has `ev`, `t` (epoch
 * seconds, `time.time()`) and `pid`. A line that is not JSON, or lacks what its type needs, is
 * corrupt (counted, skipped); an unknown `ev` is ignored (a newer harness may add types).
 */
import type { PoolKind, Severity, StartMethod } from '../report/model';

export interface EventSite {
  file: string;
  line: number;
  function?: string;
}

interface Base {
  t: number;
  pid: number;
}

export interface PoolConfig {
  kind: PoolKind;
  workers: number | null;
  startMethod: StartMethod | null;
  chunksize: number | null;
}

export interface ProcessEvent extends Base {
  ev: 'process';
  ppid: number;
  role: 'main' | 'worker' | 'child';
  python: { executable: string; version: string; implementation: string; gilEnabled: boolean } | null;
  startMethod: string | null;
  argv: string[];
}

export interface PoolEvent extends Base {
  ev: 'pool';
  poolId: string;
  api: string;
  requested: PoolConfig;
  effective: PoolConfig;
  replaced: boolean;
  site: EventSite | null;
}

export interface PoolEndEvent extends Base {
  ev: 'pool_end';
  poolId: string;
}

export interface WorkerEvent extends Base {
  ev: 'worker_start' | 'worker_exit';
  poolId: string | null;
  tid: number;
  kind: string;
}

export interface TaskEvent extends Base {
  ev: 'task';
  poolId: string | null;
  taskId: string | number | null;
  tid: number;
  start: number;
  end: number;
  cpuSeconds: number;
  argBytes: number;
  resultBytes: number;
  pickleSeconds: number;
  site: EventSite | null;
  ok: boolean;
  error?: string;
  /** The kind of worker that ran it (`process`, `thread`, `serial`, `interpreter`). */
  kind?: string;
}

export interface LaneEvent extends Base {
  ev: 'lane';
  tid: number;
  kind: string;
  name: string;
  target: string | null;
  start: number;
  end: number | null;
  site: EventSite | null;
}

export interface FindingEvent extends Base {
  ev: 'finding';
  rule: string;
  severity: Severity;
  message: string;
  type: string | null;
  path: string | null;
  site: EventSite | null;
  phase: string | null;
}

export interface HangEvent extends Base {
  ev: 'hang';
  poolId: string | null;
  reason: string;
  site: EventSite | null;
  graceSeconds: number | null;
}

export interface DroppedEvent extends Base {
  ev: 'dropped';
  count: number;
}

export type HarnessEvent =
  | ProcessEvent | PoolEvent | PoolEndEvent | WorkerEvent | TaskEvent | LaneEvent
  | FindingEvent | HangEvent | DroppedEvent;

type Json = Record<string, unknown>;

const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const str = (v: unknown): v is string => typeof v === 'string';
const optNum = (v: unknown, fallback: number | null = null): number | null => (num(v) ? v : fallback);
const optStr = (v: unknown): string | null => (str(v) ? v : null);

const POOL_KINDS: readonly string[] = ['serial', 'thread', 'process', 'interpreter'];
const START_METHODS: readonly string[] = ['fork', 'spawn', 'forkserver'];
const SEVERITIES: readonly string[] = ['error', 'warning', 'info', 'hint'];

function site(v: unknown): EventSite | null {
  if (!isRecord(v) || !str(v.file) || !num(v.line)) return null;
  return str(v.function) ? { file: v.file, line: v.line, function: v.function } : { file: v.file, line: v.line };
}

function poolConfig(v: unknown): PoolConfig | null {
  if (!isRecord(v) || !str(v.kind) || !POOL_KINDS.includes(v.kind)) return null;
  const method = optStr(v.startMethod);
  return {
    kind: v.kind as PoolKind,
    workers: optNum(v.workers),
    startMethod: method !== null && START_METHODS.includes(method) ? (method as StartMethod) : null,
    chunksize: optNum(v.chunksize),
  };
}

/** Outcome of one line: an event, an ignorable line (unknown type, blank), or corrupt. */
export type LineResult = { event: HarnessEvent } | { ignored: true } | { corrupt: true };

export function parseEventLine(line: string): LineResult {
  const text = line.trim();
  if (text === '') return { ignored: true };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { corrupt: true };
  }
  const event = toEvent(value);
  if (event === undefined) return { ignored: true };
  return event === null ? { corrupt: true } : { event };
}

/** The typed event; null when it is malformed; undefined for an unknown type. */
export function toEvent(v: unknown): HarnessEvent | null | undefined {
  if (!isRecord(v) || !str(v.ev) || !num(v.t) || !num(v.pid)) return null;
  const base = { t: v.t, pid: v.pid };
  switch (v.ev) {
    case 'process': {
      const py = isRecord(v.python) && str(v.python.version)
        ? {
            executable: optStr(v.python.executable) ?? '',
            version: v.python.version,
            implementation: optStr(v.python.implementation) ?? 'CPython',
            gilEnabled: v.python.gilEnabled !== false,
          }
        : null;
      const role = v.role === 'worker' || v.role === 'child' ? v.role : 'main';
      return {
        ev: 'process', ...base, ppid: optNum(v.ppid, 0) as number, role, python: py,
        startMethod: optStr(v.startMethod), argv: Array.isArray(v.argv) ? v.argv.filter(str) : [],
      };
    }
    case 'pool': {
      const requested = poolConfig(v.requested);
      const effective = poolConfig(v.effective) ?? requested;
      if (!str(v.poolId) && !num(v.poolId)) return null;
      if (!requested || !effective) return null;
      return {
        ev: 'pool', ...base, poolId: String(v.poolId), api: optStr(v.api) ?? 'pool', requested, effective,
        replaced: v.replaced === true, site: site(v.site),
      };
    }
    case 'pool_end':
      if (!str(v.poolId) && !num(v.poolId)) return null;
      return { ev: 'pool_end', ...base, poolId: String(v.poolId) };
    case 'worker_start':
    case 'worker_exit':
      return {
        ev: v.ev, ...base, poolId: v.poolId == null ? null : String(v.poolId), tid: optNum(v.tid, v.pid) as number,
        kind: optStr(v.kind) ?? 'process',
      };
    case 'task': {
      if (!num(v.start) || !num(v.end)) return null;
      const event: TaskEvent = {
        ev: 'task', ...base, poolId: v.poolId == null ? null : String(v.poolId),
        taskId: str(v.taskId) || num(v.taskId) ? v.taskId : null, tid: optNum(v.tid, v.pid) as number,
        start: v.start, end: Math.max(v.start, v.end), cpuSeconds: optNum(v.cpuSeconds, 0) as number,
        argBytes: optNum(v.argBytes, 0) as number, resultBytes: optNum(v.resultBytes, 0) as number,
        pickleSeconds: optNum(v.pickleSeconds, 0) as number, site: site(v.site), ok: v.ok !== false,
      };
      if (str(v.error)) event.error = v.error;
      if (str(v.kind)) event.kind = v.kind;
      return event;
    }
    case 'lane':
      if (!num(v.start)) return null;
      return {
        ev: 'lane', ...base, tid: optNum(v.tid, v.pid) as number, kind: optStr(v.kind) ?? 'thread',
        name: optStr(v.name) ?? '', target: optStr(v.target), start: v.start, end: optNum(v.end), site: site(v.site),
      };
    case 'finding':
      if (!str(v.rule) || !str(v.message)) return null;
      return {
        ev: 'finding', ...base, rule: v.rule,
        severity: str(v.severity) && SEVERITIES.includes(v.severity) ? (v.severity as Severity) : 'error',
        message: v.message, type: optStr(v.type), path: optStr(v.path), site: site(v.site), phase: optStr(v.phase),
      };
    case 'hang':
      return {
        ev: 'hang', ...base, poolId: v.poolId == null ? null : String(v.poolId), reason: optStr(v.reason) ?? 'the pool can never finish',
        site: site(v.site), graceSeconds: optNum(v.graceSeconds),
      };
    case 'dropped':
      if (!num(v.count)) return null;
      return { ev: 'dropped', ...base, count: v.count };
    default:
      return undefined;
  }
}
