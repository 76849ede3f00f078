import * as assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { runSweep } from '../../../src/core/sweep/run';
import { BUSY_ELSEWHERE_NOTE, type SweepPoint, type SweepReport } from '../../../src/core/report/model';

const FIXTURES = resolve('test/fixtures/sweep');

function sweep(script: string, workers: number[] | null, repeat = 1): Promise<SweepReport> {
  return runSweep({ script: resolve(FIXTURES, script), args: [], cwd: FIXTURES, python: null, workers, pools: ['thread', 'process'], repeat, intervalMs: 100 });
}

function at(report: SweepReport, pool: SweepPoint['pool'], workers: number): SweepPoint {
  const point = report.points.find((p) => p.pool === pool && p.workers === workers);
  assert.ok(point, `no ${pool} × ${workers} point in ${JSON.stringify(report.points.map((p) => [p.pool, p.workers]))}`);
  return point;
}

describe('sweep end to end (real Python, 2 cores)', function () {
  this.timeout(240_000);

  it('CPU-bound: threads stay under 1.25× at 2 workers, processes pass 1.4×, processes recommended', async () => {
    const attempts: string[] = [];
    for (let attempt = 1; ; attempt++) {
      const report = await sweep('cpu_bound.py', [1, 2], 2);
      const threads = at(report, 'thread', 2);
      const processes = at(report, 'process', 2);
      assert.ok(threads.gilBound, 'threads at 2 workers should be flagged GIL-bound');
      assert.equal(report.schema, 'parascope.sweep/1');
      assert.ok(report.serialFraction !== null);
      assert.ok(report.points.every((p) => typeof p.busyElsewhere === 'number'), 'every point says what other programs took');
      const busy = Math.max(...report.points.map((p) => p.busyElsewhere ?? 0));
      attempts.push(`threads ${threads.speedup.toFixed(2)}×, processes ${processes.speedup.toFixed(2)}× ` +
        `(recommended ${report.recommendation?.pool}) with up to ${busy.toFixed(2)} cores busy elsewhere`);
      if (threads.speedup < 1.25 && processes.speedup > 1.4 && report.recommendation?.pool === 'process') {
        assert.match(report.recommendation.reason, /threads stay at .*GIL-bound; processes reach/);
        break;
      }
      // The thresholds hold on a quiet machine; a busy one leaves the workload less than 2 cores
      // (issue 4). Retry while other programs explain the shortfall, and on the last attempt accept
      // only what they explain.
      const explained = busy >= BUSY_ELSEWHERE_NOTE;
      if (explained && attempt < 3) continue;
      assert.ok(explained && processes.speedup + (processes.busyElsewhere ?? 0) > 1.4 && threads.speedup < 1.25 + busy,
        `CPU-bound sweep: ${attempts.join('; ')}`);
      break;
    }
    console.log(`      ${attempts.join('; ')}`);
  });

  it('sleep-bound: threads are recommended and the plan extends past the CPU count', async () => {
    const report = await sweep('sleep_bound.py', null);
    assert.equal(report.recommendation?.pool, 'thread');
    assert.ok(report.points.some((p) => p.pool === 'thread' && p.workers > report.usableCpus), 'threads were not tried beyond the usable CPUs');
  });

  it('a lambda task shows the pickling failure on the process points, with its line, and the sweep goes on', async () => {
    const report = await sweep('lambda_task.py', [1, 2]);
    const failed = report.points.filter((p) => p.pool === 'process');
    assert.equal(failed.length, 1, 'one failed point is enough for a payload that fails at every size');
    assert.equal(failed[0].failure?.rule, 'PAR001');
    assert.equal(failed[0].failure?.line, 6);
    assert.match(failed[0].failure?.file ?? '', /lambda_task\.py$/);
    assert.ok(report.points.some((p) => p.pool === 'thread' && !p.failure));
    assert.notEqual(report.recommendation?.pool, 'process');
  });
});
