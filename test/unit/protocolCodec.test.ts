import * as assert from 'node:assert/strict';
import { decodeFractions, decodeReport, decodeTasks, encodeMessage, encodeReport, FRACTION_STEPS, fractionAt, fractionScale, isTaskColumns, quantize, taskRecord } from '../../src/protocolCodec';
import { isToWebviewMessage, PROTOCOL_VERSION, type SampleBatch, type TaskColumns, type WireReport } from '../../src/protocol';
import type { Report, TaskRecord } from '../../src/core/report/model';
import { bigReport } from '../webview/support/synthetic';

const HALF_STEP = 0.5 / FRACTION_STEPS + 1e-12;
const near = (a: number, b: number) => Math.abs(a - b) <= HALF_STEP;
const columns = (report: WireReport): ArrayBufferView[] => [
  report.sampleTimes, report.coresUsedSeries, ...report.cores.flatMap((c) => [c.busy, c.workload, c.steal]),
  ...(isTaskColumns(report.tasks) ? [report.tasks.start, report.tasks.worker, report.tasks.ok] : []),
] as ArrayBufferView[];

describe('protocolCodec', () => {
  it('encodes a report\'s columns and tasks as views of one buffer: exact times, fractions as bytes', () => {
    const report = bigReport(4, 300, 2, 1);
    const json = JSON.stringify(report);
    const wire = encodeReport(report);
    assert.equal(JSON.stringify(report), json, 'the report itself is left as it was (exports read it)');
    const all = columns(wire);
    assert.ok(all.every((v) => v.buffer === all[0]!.buffer), 'one ArrayBuffer for every column');
    const bytes = wire.cores.reduce((n, c) => n + c.busy.length + c.workload.length + c.steal.length, 0);
    assert.equal(all[0]!.buffer.byteLength, 300 * 8 * 2 + report.tasks.length * (6 * 8 + 3 * 4 + 1) + bytes);
    assert.ok(wire.sampleTimes instanceof Float64Array && wire.coresUsedSeries instanceof Float64Array);
    assert.deepEqual(Array.from(wire.sampleTimes), report.sampleTimes);
    assert.deepEqual(Array.from(wire.coresUsedSeries), report.coresUsedSeries);
    report.cores.forEach((core, c) => {
      const encoded = wire.cores[c]!;
      assert.ok(encoded.busy instanceof Uint8Array);
      core.busy.forEach((v, i) => assert.ok(near(fractionAt(encoded.busy, i), v), `busy[${i}]`));
      core.workload.forEach((v, i) => assert.ok(near(fractionAt(encoded.workload, i), Math.min(v, core.busy[i]!)), `workload[${i}]`));
      const steal = decodeFractions(encoded.steal, 300);
      core.steal.forEach((v, i) => assert.ok(near(steal[i]!, v), `steal[${i}]`));
    });
    assert.equal(wire.metrics, report.metrics, 'everything else is shared, not copied');
    assert.equal(wire.workers, report.workers);
  });

  it('sends busy and workload as the heatmap reads them: workload ≤ busy in every sample', () => {
    const report = { ...bigReport(1, 4, 1, 1), cores: [{ id: 0, busy: [0.5, 0, 0.8, 1], workload: [0.7, 0.3, 0.2, 1], steal: [0, 0, 0, 0] }] } as Report;
    const core = encodeReport(report).cores[0]!;
    assert.deepEqual(Array.from(core.busy), [128, 77, 204, 255], 'an idle core with workload: the workload counts as busy');
    assert.deepEqual(Array.from(core.workload), [128, 77, 51, 255], 'a workload above busy: busy');
  });

  it('sends a byte column that is 0 throughout empty; decoding gives the zeros back', () => {
    const report = { ...bigReport(1, 3, 1, 1), cores: [{ id: 0, busy: [0, 0, 0], workload: [0, 0.001, 0], steal: [0, 0, 0] }] } as Report;
    const core = encodeReport(report).cores[0]!;
    assert.deepEqual([core.busy.length, core.workload.length, core.steal.length], [0, 0, 0]);
    assert.deepEqual(decodeReport(encodeReport(report)).cores[0]!.steal, [0, 0, 0]);
  });

  it('sends tasks as columns and gives back the same records', () => {
    const site = { file: '/w/a.py', line: 3 };
    const tasks: TaskRecord[] = [
      { worker: 0, poolId: 'p1', start: 0.125, end: 1.5, cpuSeconds: 1.25, argBytes: 512, resultBytes: 64, pickleSeconds: 0.001, site, ok: true },
      { worker: 1, poolId: null, start: 0.2, end: 0.3, cpuSeconds: 0, argBytes: 0, resultBytes: 0, pickleSeconds: 0, site: { ...site }, ok: false, error: 'ValueError: x' },
      { worker: 0, poolId: 'p1', start: 1.5, end: 2, cpuSeconds: 0.5, argBytes: 1, resultBytes: 2, pickleSeconds: 0, site: null, ok: true },
    ];
    const wire = encodeReport({ ...bigReport(1, 2, 2, 1), tasks });
    assert.ok(isTaskColumns(wire.tasks));
    const columnar: TaskColumns = wire.tasks;
    assert.equal(columnar.length, 3);
    assert.deepEqual(columnar.sites, [site], 'equal sites are sent once');
    assert.deepEqual(columnar.pools, ['p1']);
    assert.deepEqual(columnar.errors, { 1: 'ValueError: x' });
    assert.deepEqual(decodeTasks(columnar), tasks);
    assert.deepEqual(taskRecord(columnar, 1), tasks[1]);
    assert.deepEqual(decodeReport(wire).tasks, tasks);
  });

  it('decodes a report back to the schema\'s plain arrays, within half a step', () => {
    const report = bigReport(2, 50, 1, 1);
    const back = decodeReport(encodeReport(report));
    assert.deepEqual(back.sampleTimes, report.sampleTimes);
    assert.deepEqual(back.tasks, report.tasks);
    assert.ok(Array.isArray(back.cores[0]!.busy));
    back.cores.forEach((core, c) => core.busy.forEach((v, i) => assert.ok(near(v, report.cores[c]!.busy[i]!))));
    // Plain columns read the same through the same helpers (the HTML report posts JSON).
    assert.equal(fractionScale(report.cores[0]!.busy), 1);
    assert.equal(fractionAt(report.cores[0]!.busy, 3), report.cores[0]!.busy[3]);
    assert.deepEqual(decodeFractions(report.cores[0]!.busy), report.cores[0]!.busy);
  });

  it('encodes a report once, however often it is posted', () => {
    const report = bigReport(2, 20, 1, 1);
    const finished = encodeMessage({ type: 'runFinished', runId: 'r', report });
    const init = encodeMessage({ type: 'init', state: { protocolVersion: PROTOCOL_VERSION, live: null, report, sweep: null, sweepProgress: null, machine: { cpuCount: 2, platform: 'linux' } } });
    assert.ok(finished.type === 'runFinished' && init.type === 'init');
    assert.equal(init.state.report, finished.report);
  });

  it('encodes a live batch in one buffer and leaves messages without samples alone', () => {
    const batch: SampleBatch = { t: [0.1, 0.2], coresUsed: [1.5, 2], busy: [[1, 0.5], [0.25, 0]], workload: [[0.9, 0.5], [0.2, 0]], steal: [[0, 0.01], [0, 0]] };
    const wire = encodeMessage({ type: 'runSamples', runId: 'r', batch });
    assert.ok(wire.type === 'runSamples');
    const all = [wire.batch.t, wire.batch.coresUsed, ...wire.batch.busy, ...wire.batch.workload, ...wire.batch.steal] as ArrayBufferView[];
    assert.ok(all.every((v) => v.buffer === all[0]!.buffer));
    assert.equal(all[0]!.buffer.byteLength, 2 * 8 * 2 + 5 * 2, 'cpu1\'s steal is 0 throughout: sent empty');
    assert.deepEqual(Array.from(wire.batch.busy[0]!), [255, 128]);
    assert.deepEqual(Array.from(wire.batch.steal[0]!), [0, 3]);
    assert.equal(wire.batch.steal[1]!.length, 0);
    assert.ok(isToWebviewMessage(wire));
    const tasks = { type: 'runTasks' as const, runId: 'r', workers: [], tasks: [] };
    assert.equal(encodeMessage(tasks), tasks);
  });

  it('clamps out-of-range fractions; passes damaged fields on as they are (the webview says what is missing)', () => {
    const damaged = { ...bigReport(1, 3, 1, 1), sampleTimes: null, cores: [{ id: 0, busy: [2, -1, NaN], workload: 'x', steal: undefined }, null] } as unknown as Report;
    const wire = encodeReport(damaged);
    assert.equal(wire.sampleTimes, null);
    assert.deepEqual(Array.from(wire.cores[0]!.busy), [255, 0, 0]);
    assert.equal(wire.cores[0]!.workload, 'x');
    assert.equal(wire.cores[1], null);
    const tasks = [null, ...damaged.tasks];
    assert.equal(encodeReport({ ...damaged, tasks } as unknown as Report).tasks, tasks);
    const noCores = encodeReport({ ...damaged, cores: 'none', tasks: 'none' } as unknown as Report);
    assert.equal(noCores.cores, 'none');
    assert.equal(noCores.tasks, 'none');
    assert.deepEqual([quantize(0.5), quantize(Infinity), quantize(-0), quantize(NaN)], [128, 255, 0, 0]);
  });
});
