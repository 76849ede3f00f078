/**
 * `parascope sweep`: the same workload at several pool kinds and sizes, one run at a time.
 * Progress goes to stderr as each run starts and each point finishes; the script's own output
 * is not shown (a sweep runs it many times). Ends with the table of points and the
 * recommendation. Exit 0 with a recommendation, 1 when no point succeeded, 130 when cancelled.
 */
import { resolve } from 'node:path';
import type { SweepOptions } from '../args';
import type { CliIO } from '../io';
import { runSweep } from '../../core/sweep/run';
import { sweepSummary } from '../../core/sweep/summary';
import { writeText } from '../../core/report/json';
import { loadWebviewAssets, sweepToHtml } from '../../core/report/html';

export async function sweepCommand(options: SweepOptions, io: CliIO): Promise<number> {
  const script = resolve(io.cwd, options.script);
  let lastDone = -1;
  const sweep = await runSweep(
    {
      script, args: options.scriptArgs, cwd: io.cwd, python: options.python, workers: options.workers, pools: options.pools,
      repeat: options.repeat, signal: io.signal,
    },
    {
      onProgress: (progress) => {
        if (progress.done !== lastDone && progress.points.length > 0) {
          const point = progress.points[progress.points.length - 1];
          const name = point.pool === 'serial' ? 'serial' : `${point.pool} × ${point.workers}`;
          io.err(`sweep: ${name}: ${point.failure ? `failed — ${point.failure.message}` : `median ${point.median.toFixed(2)} s`}\n`);
          lastDone = progress.done;
        }
        if (progress.current) io.err(`sweep: [${progress.done + 1}/${progress.planned}] ${progress.current}…\n`);
      },
    },
  );
  io.err(`\n${sweepSummary(sweep)}\n`);
  if (options.json) {
    await writeText(resolve(io.cwd, options.json), `${JSON.stringify(sweep, null, 2)}\n`);
    io.err(`sweep: JSON written to ${options.json}\n`);
  }
  if (options.html) {
    await writeText(resolve(io.cwd, options.html), sweepToHtml(sweep, loadWebviewAssets()));
    io.err(`sweep: HTML written to ${options.html}\n`);
  }
  if (sweep.cancelled) return 130;
  return sweep.recommendation ? 0 : 1;
}
