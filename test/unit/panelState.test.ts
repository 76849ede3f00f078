import * as assert from 'node:assert/strict';
import { appendBatch, emptyBatch, PanelStore } from '../../src/panelState';
import type { LiveRunHeader } from '../../src/protocol';

const header: LiveRunHeader = {
  runId: 'r1', script: '/w/a.py', python: null,
  pool: { kind: 'process', workers: 2, startMethod: null, chunksize: null, instances: [] },
  cpuCount: 2, usableCpus: 2, sampleIntervalMs: 100, startedAt: '2026-01-01T00:00:00Z',
};

describe('PanelStore', () => {
  it('replays a live run to a panel that connects later', () => {
    const store = new PanelStore({ cpuCount: 2, platform: 'linux' });
    store.apply({ type: 'runStarted', header });
    store.apply({ type: 'runSamples', runId: 'r1', batch: { t: [0.1, 0.2], coresUsed: [1, 2], busy: [[1, 1], [0, 1]], workload: [[1, 1], [0, 1]], steal: [[0, 0], [0, 0]] } });
    store.apply({ type: 'runSamples', runId: 'other', batch: { t: [9], coresUsed: [9], busy: [[9], [9]], workload: [[9], [9]], steal: [[9], [9]] } });
    const snapshot = store.snapshot();
    assert.deepEqual(snapshot.live?.samples.t, [0.1, 0.2]);
    assert.deepEqual(snapshot.live?.samples.busy[1], [0, 1]);
    assert.equal(store.liveRunId, 'r1');
  });

  it('bounds live history: the oldest samples go first', () => {
    const batch = emptyBatch(1);
    for (let i = 0; i < 10; i++) {
      appendBatch(batch, { t: [i], coresUsed: [i], busy: [[i]], workload: [[i]], steal: [[0]] }, 4);
    }
    assert.deepEqual(batch.t, [6, 7, 8, 9]);
    assert.deepEqual(batch.busy[0], [6, 7, 8, 9]);
  });

  it('bounds live tasks: the oldest go first', () => {
    const store = new PanelStore({ cpuCount: 2, platform: 'linux' }, 100, 3);
    store.apply({ type: 'runStarted', header });
    const task = (start: number) => ({ worker: 0, poolId: null, start, end: start + 1, cpuSeconds: 1, argBytes: 0, resultBytes: 0, pickleSeconds: 0, site: null, ok: true });
    store.apply({ type: 'runTasks', runId: 'r1', workers: [], tasks: [task(1), task(2)] });
    store.apply({ type: 'runTasks', runId: 'r1', workers: [], tasks: [task(3), task(4)] });
    assert.deepEqual(store.snapshot().live?.tasks.map((t) => t.start), [2, 3, 4]);
  });

  it('keeps workers stable by pid and tid so task indices stay valid', () => {
    const store = new PanelStore({ cpuCount: 2, platform: 'linux' });
    store.apply({ type: 'runStarted', header });
    const worker = { pid: 10, tid: 10, kind: 'process' as const, poolId: 'p', cpuSeconds: 0, tasks: 0, busyShare: 0 };
    store.apply({ type: 'runTasks', runId: 'r1', workers: [worker, { ...worker, pid: 11, tid: 11 }], tasks: [] });
    store.apply({ type: 'runTasks', runId: 'r1', workers: [{ ...worker, tasks: 3 }], tasks: [] });
    const workers = store.snapshot().live?.workers ?? [];
    assert.deepEqual(workers.map((w) => [w.pid, w.tasks]), [[10, 3], [11, 0]]);
  });
});
