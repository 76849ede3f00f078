import * as assert from 'node:assert/strict';
import { busiestElsewhere, type Report, type SweepPoint, type SweepReport } from '../../../src/core/report/model';
import { busyElsewhere } from '../../../src/core/sweep/run';
import { sweepSummary } from '../../../src/core/sweep/summary';

function point(pool: SweepPoint['pool'], workers: number, median: number, speedup: number, extra: Partial<SweepPoint> = {}): SweepPoint {
  return {
    pool, workers, wallSeconds: [median], median, spread: 0, speedup, speedupVsSerial: null, efficiency: speedup / workers,
    coresUsed: speedup, busyElsewhere: 0.02, gilBound: false, failure: null, ...extra,
  };
}

function sweep(points: SweepPoint[], extra: Partial<SweepReport> = {}): SweepReport {
  return {
    schema: 'parascope.sweep/1', id: 's', script: '/w/cpu.py', args: [], startedAt: '2026-11-30T00:00:00.000Z',
    python: { executable: '/usr/bin/python3', version: '3.12.3', implementation: 'CPython', gilEnabled: true, freeThreaded: false },
    usableCpus: 2, repeat: 1, points, serialFraction: null, noisy: false, stoppedEarly: [],
    recommendation: { pool: 'process', workers: 2, reason: 'processes reach 1.90× with 2 workers' }, ...extra,
  } as SweepReport;
}

describe('cores busy elsewhere during a sweep', () => {
  it('adds other programs\' cores and the hypervisor\'s steal of every core', () => {
    const report = { metrics: { otherProgramsCores: 0.4 }, cores: [{ share: { busy: 1, workload: 0.6, other: 0.4, steal: 0.05 } }, { share: { busy: 1, workload: 1, other: 0, steal: 0.1 } }] };
    assert.ok(Math.abs((busyElsewhere(report as unknown as Report) ?? -1) - 0.55) < 1e-12);
    assert.equal(busyElsewhere({ metrics: {}, cores: [] } as unknown as Report), null, 'no per-process counters (os.cpus sampler)');
  });

  it('picks the most disturbed point from 0.25 cores on; older sweeps without the figure have none', () => {
    const quiet = point('process', 2, 1, 1.9);
    const busy = point('process', 4, 1.2, 1.5, { busyElsewhere: 0.61 });
    const busier = point('thread', 2, 2, 1, { busyElsewhere: 0.8 });
    assert.equal(busiestElsewhere([quiet, busy, busier]), busier);
    assert.equal(busiestElsewhere([quiet, point('process', 1, 2, 1, { busyElsewhere: 0.24 })]), null);
    const { busyElsewhere: _, ...saved } = busy;
    assert.equal(busiestElsewhere([saved, point('thread', 1, 2, 1, { busyElsewhere: null })]), null);
  });
});

describe('sweep summary (text)', () => {
  it('tabulates the points, with failures and GIL-bound notes, and ends with the recommendation', () => {
    const failure = { rule: 'PAR001', message: "Can't pickle <function <lambda>>", file: '/w/cpu.py', line: 9 };
    const text = sweepSummary(sweep([
      point('serial', 1, 2, 1),
      point('thread', 2, 2.1, 0.95, { gilBound: true }),
      point('process', 2, 0.2, 0, { failure }),
    ], { recommendation: { pool: 'thread', workers: 1, reason: 'processes cannot run this task' } }));
    const lines = text.split('\n');
    assert.match(lines[0], /^pool +workers +median +spread +speedup +vs serial +efficiency +notes$/);
    assert.match(lines[1], /^─+ +─+/);
    assert.match(text, /^thread +2 +2\.10 s +0 % +0\.95× +— +48 % +GIL-bound$/m);
    assert.match(text, /^process +2 +0\.20 s +0 % +— +— +— +failed: Can't pickle <function <lambda>> \(\/w\/cpu\.py:9\)$/m);
    assert.equal(lines[lines.length - 1], 'Recommendation: thread × 1 — processes cannot run this task');
    assert.doesNotMatch(text, /Busy machine|Noisy|Cancelled/);
  });

  it('notes a busy machine with the most disturbed point, noise, early stops and cancelling', () => {
    const text = sweepSummary(sweep([point('process', 1, 2, 1), point('process', 2, 1.4, 1.43, { busyElsewhere: 0.7 })], {
      noisy: true, cancelled: true, stoppedEarly: ['thread: stopped at 2 workers — gained less than 5 %'], recommendation: null,
    }));
    assert.match(text, /^Busy machine: other programs kept up to 0\.70 cores busy \(during process × 2\); speedups measured meanwhile are lower than on a quiet machine\.$/m);
    assert.match(text, /^Noisy: /m);
    assert.match(text, /^Stopped early — thread: stopped at 2 workers/m);
    assert.match(text, /^Cancelled: /m);
    assert.match(text, /No recommendation: no configuration ran successfully\.$/);
  });
});
