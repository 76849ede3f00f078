import * as assert from 'node:assert/strict';
import { decodeFractions, decodeReport, encodeMessage, encodeReport, FRACTION_STEPS, fractionAt, fractionScale, quantize } from '../../src/protocolCodec';
import { isToWebviewMessage, PROTOCOL_VERSION, type SampleBatch, type WireReport } from '../../src/protocol';
import type { Report } from '../../src/core/report/model';
import { bigReport } from '../webview/support/synthetic';

const views = (report: WireReport) => [report.sampleTimes, report.coresUsedSeries, ...report.cores.flatMap((c) => [c.busy, c.workload, c.steal])] as ArrayBufferView[];

describe('protocolCodec', () => {
  it('encodes a report\'s sample columns as views of one buffer: exact times, fractions as bytes', () => {
    const report = bigReport(4, 300, 2, 1);
    const json = JSON.stringify(report);
    const wire = encodeReport(report);
    assert.equal(JSON.stringify(report), json, 'the report itself is left as it was (exports read it)');
    const all = views(wire);
    assert.ok(all.every((v) => v.buffer === all[0]!.buffer), 'one ArrayBuffer for every column');
    assert.equal(all[0]!.buffer.byteLength, 300 * 8 * 2 + 4 * 3 * 300);
    assert.ok(wire.sampleTimes instanceof Float64Array && wire.coresUsedSeries instanceof Float64Array);
    assert.deepEqual(Array.from(wire.sampleTimes), report.sampleTimes);
    assert.deepEqual(Array.from(wire.coresUsedSeries), report.coresUsedSeries);
    report.cores.forEach((core, c) => {
      const encoded = wire.cores[c]!;
      assert.ok(encoded.busy instanceof Uint8Array);
      for (const key of ['busy', 'workload', 'steal'] as const) {
        core[key].forEach((v, i) => assert.ok(Math.abs(fractionAt(encoded[key], i) - v) <= 0.5 / FRACTION_STEPS + 1e-12, `${key}[${i}]`));
      }
    });
    assert.equal(wire.tasks, report.tasks, 'everything else is shared, not copied');
    assert.equal(wire.metrics, report.metrics);
  });

  it('decodes back to the schema\'s plain arrays, within half a step', () => {
    const report = bigReport(2, 50, 1, 1);
    const back = decodeReport(encodeReport(report));
    assert.deepEqual(back.sampleTimes, report.sampleTimes);
    assert.ok(Array.isArray(back.cores[0]!.busy));
    back.cores.forEach((core, c) => core.workload.forEach((v, i) => assert.ok(Math.abs(v - report.cores[c]!.workload[i]!) <= 0.5 / 255 + 1e-12)));
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
    const columns = [wire.batch.t, wire.batch.coresUsed, ...wire.batch.busy, ...wire.batch.workload, ...wire.batch.steal] as ArrayBufferView[];
    assert.ok(columns.every((v) => v.buffer === columns[0]!.buffer));
    assert.equal(columns[0]!.buffer.byteLength, 2 * 8 * 2 + 6 * 2);
    assert.deepEqual(Array.from(wire.batch.busy[0]!), [255, 128]);
    assert.deepEqual(Array.from(wire.batch.steal[0]!), [0, 3]);
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
    const noCores = encodeReport({ ...damaged, cores: 'none' } as unknown as Report);
    assert.equal(noCores.cores, 'none');
    assert.deepEqual([quantize(0.5), quantize(Infinity), quantize(-0), quantize(NaN)], [128, 255, 0, 0]);
  });
});
