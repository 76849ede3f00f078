import * as assert from 'node:assert/strict';
import { PanelStore, SampleHistory } from '../../src/panelState';
import { decodeFractions, encodeMessage } from '../../src/protocolCodec';
import type { LiveRunHeader, SampleColumns, WireReport } from '../../src/protocol';

const header: LiveRunHeader = {
  runId: 'r1', script: '/w/a.py', python: null,
  pool: { kind: 'process', workers: 2, startMethod: null, chunksize: null, instances: [] },
  cpuCount: 2, usableCpus: 2, sampleIntervalMs: 100, startedAt: '2026-01-01T00:00:00Z',
};

/** One sample of one core: t = i, cores used = i, busy = workload = fraction i / 255. */
const sample = (i: number): SampleColumns => ({ t: [i], coresUsed: [i], busy: [[(i % 256) / 255]], workload: [[(i % 256) / 255]], steal: [[0]] });
const plain = (samples: SampleColumns) => ({
  t: Array.from(samples.t), coresUsed: Array.from(samples.coresUsed),
  busy: samples.busy.map((c) => decodeFractions(c)), workload: samples.workload.map((c) => decodeFractions(c)), steal: samples.steal.map((c) => decodeFractions(c)),
});

describe('PanelStore', () => {
  it('replays a live run to a panel that connects later', () => {
    const store = new PanelStore({ cpuCount: 2, platform: 'linux' });
    store.apply({ type: 'runStarted', header });
    store.apply({ type: 'runSamples', runId: 'r1', batch: { t: [0.1, 0.2], coresUsed: [1, 2], busy: [[1, 1], [0, 1]], workload: [[1, 1], [0, 1]], steal: [[0, 0], [0, 0]] } });
    store.apply({ type: 'runSamples', runId: 'other', batch: { t: [9], coresUsed: [9], busy: [[9], [9]], workload: [[9], [9]], steal: [[9], [9]] } });
    const snapshot = store.snapshot();
    assert.deepEqual(Array.from(snapshot.live?.samples.t ?? []), [0.1, 0.2]);
    assert.deepEqual(decodeFractions(snapshot.live!.samples.busy[1]!), [0, 1]);
    assert.equal(store.liveRunId, 'r1');
  });

  it('keeps the host\'s report as it was posted (exports read it), and the webview\'s as it came', () => {
    const report = { id: 'rep', sampleTimes: [0.1], coresUsedSeries: [0.5], cores: [{ id: 0, busy: [0.5], workload: [0.5], steal: [0] }] } as unknown as WireReport;
    const host = new PanelStore<WireReport>({ cpuCount: 1, platform: 'linux' });
    host.apply({ type: 'runFinished', runId: 'r', report });
    assert.equal(host.lastReport, report);
    const webview = new PanelStore<WireReport>({ cpuCount: 1, platform: 'linux' });
    const wire = encodeMessage({ type: 'runFinished', runId: 'r', report });
    webview.apply(wire);
    assert.ok(webview.lastReport?.cores[0]?.busy instanceof Uint8Array);
  });

  it('rebuilds a live run from an encoded init (a panel reconnecting mid-run)', () => {
    const host = new PanelStore({ cpuCount: 2, platform: 'linux' });
    host.apply({ type: 'runStarted', header });
    host.apply({ type: 'runSamples', runId: 'r1', batch: { t: [0.1, 0.2], coresUsed: [1, 1.25], busy: [[1, 0.5], [0, 0.2]], workload: [[1, 0.25], [0, 0.2]], steal: [[0, 0], [0, 0.01]] } });
    const webview = new PanelStore<WireReport>({ cpuCount: 2, platform: 'linux' });
    webview.apply(encodeMessage({ type: 'init', state: host.snapshot() }));
    webview.apply(encodeMessage({ type: 'runSamples', runId: 'r1', batch: { t: [0.3], coresUsed: [2], busy: [[1], [1]], workload: [[1], [1]], steal: [[0], [0]] } }));
    const samples = plain(webview.snapshot().live!.samples);
    assert.deepEqual(samples.t, [0.1, 0.2, 0.3]);
    assert.deepEqual(samples.coresUsed, [1, 1.25, 2]);
    assert.deepEqual(samples.busy[0], [1, 128 / 255, 1]);
    assert.deepEqual(samples.workload[0], [1, 64 / 255, 1]);
    assert.deepEqual(samples.steal[1], [0, 3 / 255, 0]);
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

describe('SampleHistory', () => {
  it('bounds live history: the oldest samples go first', () => {
    const history = new SampleHistory(1, 4);
    for (let i = 0; i < 10; i++) history.append(sample(i));
    const columns = plain(history.columns());
    assert.deepEqual(columns.t, [6, 7, 8, 9]);
    assert.deepEqual(columns.busy[0], [6 / 255, 7 / 255, 8 / 255, 9 / 255]);
  });

  it('matches a plain bounded list through growth, wrap-around and batches of every size', () => {
    for (const max of [1, 5, 100, 1_000]) {
      const history = new SampleHistory(1, max);
      const expected: number[] = [];
      let next = 0;
      for (const size of [1, 3, 1, 250, 7, 1, 2_000, 1, 64, 500, 1, 1, 900, 3]) {
        const batch: SampleColumns = { t: [], coresUsed: [], busy: [[]], workload: [[]], steal: [[]] };
        for (let k = 0; k < size; k++, next++) {
          (batch.t as number[]).push(next);
          (batch.coresUsed as number[]).push(next / 2);
          (batch.busy[0] as number[]).push((next % 256) / 255);
          (batch.workload[0] as number[]).push((next % 256) / 255);
          (batch.steal[0] as number[]).push(0);
          expected.push(next);
        }
        history.append(batch);
        const want = expected.slice(-max);
        const got = plain(history.columns());
        assert.equal(history.length, want.length, `max ${max}`);
        assert.deepEqual(got.t, want, `max ${max}, after ${next}`);
        assert.deepEqual(got.coresUsed, want.map((v) => v / 2));
        assert.deepEqual(got.busy[0], want.map((v) => (v % 256) / 255));
      }
    }
  });

  it('keeps memory bounded: the capacity stops at max + max / 2', () => {
    const history = new SampleHistory(8, 18_000);
    const batch = sample(1);
    const cores = { ...batch, busy: Array.from({ length: 8 }, () => [0.5]), workload: Array.from({ length: 8 }, () => [0.25]), steal: Array.from({ length: 8 }, () => [0]) };
    let largest = 0;
    for (let i = 0; i < 60_000; i++) {
      history.append({ ...cores, t: [i] });
      if (i % 500 === 0) largest = Math.max(largest, (history.columns().busy[0] as Uint8Array).buffer.byteLength);
    }
    assert.equal(history.length, 18_000);
    assert.equal(largest, 27_000);
    assert.equal(history.columns().t[0], 60_000 - 18_000);
  });

  it('reads plain, byte and damaged columns; more cores than announced', () => {
    const history = new SampleHistory(1, 10);
    history.append({ t: [1, 2], coresUsed: [1, 1], busy: [[0.5, 2], [NaN, -1]], workload: [new Uint8Array([255, 51])], steal: [] });
    const columns = plain(history.columns());
    assert.equal(history.cores, 2);
    assert.deepEqual(columns.busy, [[128 / 255, 1], [0, 0]]);
    assert.deepEqual(columns.workload, [[128 / 255, 0.2], [0, 0]], 'workload ≤ busy, as on the wire');
    assert.deepEqual(columns.steal, [[0, 0], [0, 0]]);
  });
});
