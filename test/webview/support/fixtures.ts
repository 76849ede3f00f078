/** The recorded reports and sweeps under `test/fixtures/reports/`. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Report, SweepReport } from '../../../src/core/report/model';

function read<T>(name: string): T {
  return JSON.parse(readFileSync(resolve('test', 'fixtures', 'reports', name), 'utf8')) as T;
}

/** 2 cores, the override ran 2 spawned processes in place of ThreadPoolExecutor(4). */
export const processReport = (): Report => read('process-2.json');
/** 2 cores, the code's own 2-thread pool on CPU-bound Python: GIL-bound. */
export const threadReport = (): Report => read('thread-2-gil.json');
/** CPU-bound on 2 cores: recommends processes × 2. */
export const cpuSweep = (): SweepReport => read('sweep-cpu.json');
/** A lambda task: the process points fail to pickle, with the line. */
export const lambdaSweep = (): SweepReport => read('sweep-lambda.json');
