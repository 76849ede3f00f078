/**
 * The `parascope.*` settings, typed; mirrors `contributes.configuration` in package.json (a unit
 * test checks that every key here is declared there with a default and a description, and the
 * reverse). vscode-free so the CLI and tests share the names; `src/host/settings.ts` reads them.
 */
import type { PoolKind, PoolOverrideKind, StartMethod } from './report/model';

export interface RunProfile {
  name: string;
  script: string;
  args?: string[];
  env?: Record<string, string>;
  cwd?: string;
  pool?: { kind?: PoolOverrideKind; workers?: number; startMethod?: StartMethod | 'default'; chunksize?: number };
}

export interface Settings {
  'python.interpreterPath': string;
  'pool.kind': PoolOverrideKind;
  'pool.workers': number;
  'pool.startMethod': StartMethod | 'default';
  'pool.chunksize': number;
  'sampling.intervalMs': number;
  'run.hangGraceSeconds': number;
  'sweep.workers': number[];
  'sweep.pools': PoolKind[];
  'sweep.repeats': number;
  'check.startMethod': StartMethod | 'auto';
  'check.pythonVersion': string;
  'check.enabled': boolean;
  profiles: RunProfile[];
}

export const SETTING_KEYS: readonly (keyof Settings)[] = [
  'python.interpreterPath', 'pool.kind', 'pool.workers', 'pool.startMethod', 'pool.chunksize',
  'sampling.intervalMs', 'run.hangGraceSeconds', 'sweep.workers', 'sweep.pools', 'sweep.repeats',
  'check.startMethod', 'check.pythonVersion', 'check.enabled', 'profiles',
];

