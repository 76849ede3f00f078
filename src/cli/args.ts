/**
 * Argument parsing and validation for the `parascope` CLI, on Node's own `util.parseArgs`.
 * Every parser returns typed options or throws `UsageError` (→ exit 2 and a usage line).
 */
import { parseArgs } from 'node:util';
import type { PoolKind, PoolOverrideKind, StartMethod } from '../core/report/model';
import { USAGE } from './usage';

export type CommandName = keyof typeof USAGE;

export class UsageError extends Error {
  constructor(readonly command: CommandName | undefined, message: string) {
    super(message);
  }
}

export const POOL_OVERRIDES: readonly PoolOverrideKind[] = ['asis', 'serial', 'thread', 'process', 'interpreter'];
export const SWEEP_POOLS: readonly PoolKind[] = ['serial', 'thread', 'process', 'interpreter'];
export const START_METHODS: readonly StartMethod[] = ['fork', 'spawn', 'forkserver'];
export const CHECK_FORMATS = ['text', 'json', 'sarif'] as const;
export type CheckFormat = (typeof CHECK_FORMATS)[number];

export interface RunOptions {
  script: string;
  scriptArgs: string[];
  pool: PoolOverrideKind;
  workers: number | null;
  startMethod: StartMethod | null;
  chunksize: number | null;
  python: string | null;
  intervalMs: number;
  json: string | null;
  html: string | null;
  trace: string | null;
}

export interface SweepOptions {
  script: string;
  scriptArgs: string[];
  workers: number[] | null;
  pools: PoolKind[] | null;
  repeat: number;
  python: string | null;
  json: string | null;
  html: string | null;
}

export interface CheckOptions {
  paths: string[];
  format: CheckFormat;
  startMethod: StartMethod | null;
  pythonVersion: string | null;
}

export interface DemoOptions {
  python: string | null;
  out: string | null;
}

type Spec = Record<string, { type: 'string' | 'boolean'; short?: string }>;

/** parseArgs, with script arguments after `--` kept apart and errors turned into UsageError. */
function parse(command: CommandName, argv: string[], options: Spec) {
  const dash = argv.indexOf('--');
  const own = dash === -1 ? argv : argv.slice(0, dash);
  const rest = dash === -1 ? [] : argv.slice(dash + 1);
  try {
    const { values, positionals } = parseArgs({ args: own, options, allowPositionals: true, strict: true });
    return { values: values as Record<string, string | boolean | undefined>, positionals, rest };
  } catch (error) {
    throw new UsageError(command, (error as Error).message.replace(/\. To specify a positional.*$/s, '.'));
  }
}

function oneOf<T extends string>(command: CommandName, flag: string, value: string | undefined, allowed: readonly T[]): T | null {
  if (value === undefined) return null;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new UsageError(command, `${flag} must be one of ${allowed.join(', ')} (got '${value}').`);
  }
  return value as T;
}

function integer(command: CommandName, flag: string, value: string | undefined, min: number, max = 1_000_000): number | null {
  if (value === undefined) return null;
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new UsageError(command, `${flag} must be a whole number from ${min} to ${max} (got '${value}').`);
  }
  return Number(value);
}

function list<T>(command: CommandName, flag: string, value: string | undefined, item: (part: string) => T): T[] | null {
  if (value === undefined) return null;
  const parts = value.split(',').map((part) => part.trim());
  if (parts.some((part) => part === '')) throw new UsageError(command, `${flag} takes a comma-separated list (got '${value}').`);
  return parts.map(item);
}

function str(value: string | boolean | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function path(command: CommandName, flag: string, value: string | boolean | undefined): string | null {
  const text = str(value);
  if (text === undefined) return null;
  if (text.trim() === '') throw new UsageError(command, `${flag} needs a file path.`);
  return text;
}

function script(command: CommandName, positionals: string[]): string {
  if (positionals.length === 0) throw new UsageError(command, 'missing SCRIPT.');
  if (positionals.length > 1) {
    throw new UsageError(command, `unexpected argument '${positionals[1]}' (put the script's own arguments after --).`);
  }
  return positionals[0];
}

export function parseRun(argv: string[]): RunOptions {
  const c = 'run';
  const { values: v, positionals, rest } = parse(c, argv, {
    pool: { type: 'string' }, workers: { type: 'string' }, 'start-method': { type: 'string' },
    chunksize: { type: 'string' }, python: { type: 'string' }, 'interval-ms': { type: 'string' },
    json: { type: 'string' }, html: { type: 'string' }, trace: { type: 'string' },
  });
  return {
    script: script(c, positionals),
    scriptArgs: rest,
    pool: oneOf(c, '--pool', str(v.pool), POOL_OVERRIDES) ?? 'asis',
    workers: integer(c, '--workers', str(v.workers), 1, 4096),
    startMethod: oneOf(c, '--start-method', str(v['start-method']), START_METHODS),
    chunksize: integer(c, '--chunksize', str(v.chunksize), 1),
    python: path(c, '--python', v.python),
    intervalMs: integer(c, '--interval-ms', str(v['interval-ms']), 100, 60_000) ?? 100,
    json: path(c, '--json', v.json),
    html: path(c, '--html', v.html),
    trace: path(c, '--trace', v.trace),
  };
}

export function parseSweep(argv: string[]): SweepOptions {
  const c = 'sweep';
  const { values: v, positionals, rest } = parse(c, argv, {
    workers: { type: 'string' }, pools: { type: 'string' }, repeat: { type: 'string' },
    python: { type: 'string' }, json: { type: 'string' }, html: { type: 'string' },
  });
  const workers = list(c, '--workers', str(v.workers), (part) => integer(c, '--workers', part, 1, 4096) as number);
  const pools = list(c, '--pools', str(v.pools), (part) => oneOf(c, '--pools', part, SWEEP_POOLS) as PoolKind);
  return {
    script: script(c, positionals),
    scriptArgs: rest,
    workers: workers && [...new Set(workers)].sort((a, b) => a - b),
    pools: pools && [...new Set(pools)],
    repeat: integer(c, '--repeat', str(v.repeat), 1, 100) ?? 3,
    python: path(c, '--python', v.python),
    json: path(c, '--json', v.json),
    html: path(c, '--html', v.html),
  };
}

export function parseCheck(argv: string[]): CheckOptions {
  const c = 'check';
  const { values: v, positionals, rest } = parse(c, argv, {
    format: { type: 'string' }, 'start-method': { type: 'string' }, 'python-version': { type: 'string' },
  });
  const paths = [...positionals, ...rest];
  if (paths.length === 0) throw new UsageError(c, 'missing PATH (a file or a folder to check).');
  const version = str(v['python-version']);
  if (version !== undefined && !/^3\.\d{1,2}$/.test(version)) {
    throw new UsageError(c, `--python-version must look like 3.12 (got '${version}').`);
  }
  return {
    paths,
    format: oneOf(c, '--format', str(v.format), CHECK_FORMATS) ?? 'text',
    startMethod: oneOf(c, '--start-method', str(v['start-method']), START_METHODS),
    pythonVersion: version ?? null,
  };
}

export function parseDemo(argv: string[]): DemoOptions {
  const c = 'demo';
  const { values: v, positionals } = parse(c, argv, { python: { type: 'string' }, out: { type: 'string' } });
  if (positionals.length > 0) throw new UsageError(c, `unexpected argument '${positionals[0]}'.`);
  return { python: path(c, '--python', v.python), out: path(c, '--out', v.out) };
}
