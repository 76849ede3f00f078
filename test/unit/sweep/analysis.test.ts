import * as assert from 'node:assert/strict';
import { amdahlSerialFraction, amdahlSpeedup, median, spread } from '../../../src/core/sweep/stats';
import { defaultPools, defaultWorkerCounts, powersUpTo, stillPays, tasksMostlyWait, waitingExtension } from '../../../src/core/sweep/plan';
import { describePool, recommend } from '../../../src/core/sweep/recommend';
import type { SweepPoint } from '../../../src/core/report/model';

function point(pool: SweepPoint['pool'], workers: number, median: number, extra: Partial<SweepPoint> = {}): SweepPoint {
  return {
    pool, workers, wallSeconds: [median], median, spread: 0, speedup: 1, speedupVsSerial: null, efficiency: 1,
    coresUsed: workers, gilBound: false, failure: null, ...extra,
  };
}

describe('sweep statistics', () => {
  it('takes medians and spreads of repeats', () => {
    assert.equal(median([3, 1, 2]), 2);
    assert.equal(median([4, 1, 2, 3]), 2.5);
    assert.ok(Number.isNaN(median([])));
    assert.equal(spread([1]), 0);
    assert.equal(spread([1.0, 1.2, 1.1]), (1.2 - 1.0) / 1.1);
  });

  it('recovers the serial fraction of an exact Amdahl curve', () => {
    const s = 0.2;
    const points = [1, 2, 4, 8].map((workers) => ({ workers, speedup: amdahlSpeedup(s, workers) }));
    assert.ok(Math.abs((amdahlSerialFraction(points) ?? -1) - s) < 1e-12);
  });

  it('fits 1 for no speedup, 0 for perfect scaling, null without a multi-worker point', () => {
    assert.equal(amdahlSerialFraction([{ workers: 1, speedup: 1 }, { workers: 2, speedup: 1 }, { workers: 4, speedup: 1 }]), 1);
    assert.equal(amdahlSerialFraction([{ workers: 2, speedup: 2 }, { workers: 4, speedup: 4 }]), 0);
    assert.equal(amdahlSerialFraction([{ workers: 1, speedup: 1 }]), null);
    // Super-linear noise is clamped, not reported as a negative fraction.
    assert.equal(amdahlSerialFraction([{ workers: 2, speedup: 2.2 }]), 0);
  });
});

describe('sweep plan', () => {
  it('doubles up to the usable CPUs and includes the limit', () => {
    assert.deepEqual(powersUpTo(1), [1]);
    assert.deepEqual(defaultWorkerCounts(2), [1, 2]);
    assert.deepEqual(defaultWorkerCounts(6), [1, 2, 4, 6]);
    assert.deepEqual(defaultWorkerCounts(8), [1, 2, 4, 8]);
    assert.deepEqual(defaultWorkerCounts(2.5), [1, 2]);
  });

  it('extends waiting pools to twice the usable CPUs', () => {
    assert.deepEqual(waitingExtension(2, [1, 2]), [4]);
    assert.deepEqual(waitingExtension(4, [1, 2, 4]), [8]);
    assert.ok(tasksMostlyWait(0.2, 4));
    assert.ok(!tasksMostlyWait(1.9, 2));
    assert.ok(!tasksMostlyWait(0.1, 1));
  });

  it('compares interpreters only on 3.14+', () => {
    assert.deepEqual(defaultPools([3, 13, 0]), ['thread', 'process']);
    assert.deepEqual(defaultPools([3, 14, 0]), ['thread', 'process', 'interpreter']);
  });

  it('says adding workers pays only for a 5 % gain or more', () => {
    assert.ok(stillPays(2.0, 1.0));
    assert.ok(!stillPays(2.0, 1.97));
  });
});

describe('recommendation', () => {
  it('recommends processes for CPU work where threads are GIL-bound, with the reason in words', () => {
    const points = [
      point('serial', 1, 2.0),
      point('thread', 1, 2.0, { speedup: 1 }),
      point('thread', 2, 2.05, { speedup: 0.98, gilBound: true, coresUsed: 1 }),
      point('process', 1, 2.1, { speedup: 1 }),
      point('process', 2, 1.15, { speedup: 1.83, speedupVsSerial: 1.74 }),
    ];
    const best = recommend(points);
    assert.equal(best?.pool, 'process');
    assert.equal(best?.workers, 2);
    assert.equal(best?.reason, 'threads stay at 1.0× — GIL-bound; processes reach 1.8× with 2 workers (1.7× against serial)');
  });

  it('prefers fewer workers when more are within 5 % of the fastest', () => {
    const best = recommend([point('thread', 2, 1.0, { speedup: 3.9 }), point('thread', 4, 0.97, { speedup: 4.0 })]);
    assert.deepEqual([best?.pool, best?.workers], ['thread', 2]);
  });

  it('never recommends a failed point and explains the failure with its line', () => {
    const failure = { rule: 'PAR001', message: 'lambda functions cannot be pickled', file: '/w/work.py', line: 12 };
    const points = [point('serial', 1, 1.0), point('thread', 1, 1.0, { speedup: 1 }), point('thread', 2, 1.0, { speedup: 1, gilBound: true }),
      point('process', 1, 0.3, { failure, speedup: 0 })];
    const best = recommend(points);
    assert.notEqual(best?.pool, 'process');
    assert.equal(describePool('process', points), 'processes fail: lambda functions cannot be pickled (work.py:12)');
  });

  it('returns null when nothing succeeded', () => {
    const failure = { rule: 'exit', message: 'the script exited with code 1', file: 'a.py', line: 0 };
    assert.equal(recommend([point('serial', 1, 1, { failure })]), null);
  });
});
