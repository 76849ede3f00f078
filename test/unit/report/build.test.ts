import * as assert from 'node:assert/strict';
import { usableCpus } from '../../../src/core/report/build';
import { fixtureReport, PYTHON } from './support';

describe('report builder', () => {
  it('fills every field the product doc names, with the documented names', async () => {
    const r = await fixtureReport();
    assert.equal(r.schema, 'parascope.report/1');
    for (const key of ['executable', 'version', 'gilEnabled']) assert.ok(key in r.python, `python.${key}`);
    for (const key of ['kind', 'workers', 'startMethod']) assert.ok(key in r.pool, `pool.${key}`);
    for (const key of ['exitCode', 'wallSeconds', 'cpuSeconds', 'coresUsed', 'cpuCount', 'usableCpus', 'sampleIntervalMs', 'cores', 'workers', 'tasks', 'metrics', 'findings']) {
      assert.ok(key in r, key);
    }
    for (const key of ['id', 'busy', 'workload']) assert.ok(key in r.cores[0], `cores[].${key}`);
    for (const key of ['pid', 'tid', 'kind', 'cpuSeconds', 'tasks']) assert.ok(key in r.workers[0], `workers[].${key}`);
    for (const key of ['worker', 'start', 'end', 'cpuSeconds', 'argBytes', 'resultBytes', 'pickleSeconds', 'site']) assert.ok(key in r.tasks[0], `tasks[].${key}`);
    for (const key of ['parallelEfficiency', 'gilBound', 'gilWaitShare', 'ipcShare', 'oversubscription', 'migrations', 'utilizationClass', 'idleShare', 'verdicts']) {
      assert.ok(key in r.metrics, `metrics.${key}`);
    }
    for (const key of ['rule', 'severity', 'message', 'file', 'line']) assert.ok(key in r.findings[0], `findings[].${key}`);
    assert.deepEqual(r.ingest, { corruptLines: 0, droppedEvents: 7, files: 2 });
  });

  it('derives cores used, pool workers, the GIL verdict and per-core shares', async () => {
    const r = await fixtureReport();
    assert.equal(r.coresUsed, 0.98);
    assert.equal(r.pool.workers, 2, 'from the pool the code created');
    assert.equal(r.pool.instances[0].api, 'concurrent.futures.ThreadPoolExecutor');
    assert.equal(r.metrics.gilBound, true);
    assert.equal(r.metrics.gilWaitShare, 0.45);
    assert.equal(r.workers[0].cpuSeconds, 0.61, 'thread CPU from the sampler');
    assert.equal(r.workers[3].cpuSeconds, 0.17, 'process CPU from the sampler');
    assert.deepEqual(r.cores[0].share, { busy: 0.54, workload: 0.49, other: 0.05, steal: 0 });
    assert.equal(r.sampleTimes.length, 17);
    assert.equal(r.cores[1].busy.length, 17);
    assert.equal(r.startedAt, '2023-11-14T22:13:20.000Z');
  });

  it('marks a hung run from the hang event or the harness exit code 123', async () => {
    const hung = await fixtureReport('corrupt');
    assert.equal(hung.hung, true);
    assert.deepEqual(hung.ingest, { corruptLines: 5, droppedEvents: 0, files: 3 });
    assert.ok(hung.metrics.verdicts.some((v) => v.id === 'hang'));
    assert.equal((await fixtureReport('basic', { exitCode: 123 })).hung, true);
    assert.equal((await fixtureReport('basic')).hung, false);
  });

  it('prefers what the running interpreter said about the GIL', async () => {
    const r = await fixtureReport('basic', { python: { ...PYTHON, gilEnabled: false, freeThreaded: true } });
    assert.equal(r.python.gilEnabled, true, 'the main process event says the GIL was on (PYTHON_GIL=1)');
    assert.equal(r.python.freeThreaded, true);
  });

  it('computes usable CPUs as min(count, affinity, quota)', () => {
    assert.equal(usableCpus(8, { affinity: 4, quota: null }), 4);
    assert.equal(usableCpus(8, { affinity: 4, quota: 2.5 }), 2.5);
    assert.equal(usableCpus(2, { affinity: null, quota: null }), 2);
  });
});
