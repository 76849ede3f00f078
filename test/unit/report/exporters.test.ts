import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { parseReportJson, reportToJson } from '../../../src/core/report/json';
import { embedJson, reportToHtml, STAND_IN } from '../../../src/core/report/html';
import { MACHINE_PID, reportToTrace, traceToJson, type TraceEvent } from '../../../src/core/report/trace';
import { formatSummary } from '../../../src/core/report/summary';
import { fixtureReport } from './support';

const ASSETS = {
  script: 'console.log("webview"); var s = "</script>";',
  style: 'body { color: red; }',
};

function inlineScripts(html: string): { attrs: string; body: string }[] {
  return [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)].map((m) => ({ attrs: m[1], body: m[2] }));
}

describe('JSON report', () => {
  it('round-trips, keeps number arrays on one line, and rejects other JSON', async () => {
    const report = await fixtureReport();
    const text = reportToJson(report);
    assert.deepEqual(parseReportJson(text), JSON.parse(JSON.stringify(report)));
    assert.match(text, /"busy": \[[\d.,]+\]/);
    assert.throws(() => parseReportJson('{"schema":"other"}'), /not a Parascope report/);
  });
});

describe('self-contained HTML report', () => {
  it('inlines the bundle and the report, allows exactly those scripts and styles by hash, loads nothing remote', async () => {
    const report = await fixtureReport();
    const html = reportToHtml(report, ASSETS);
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1] ?? '';
    assert.match(csp, /default-src 'none'/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|https?:/);
    const executable = inlineScripts(html).filter((s) => !/type="application\/json"/.test(s.attrs));
    assert.equal(executable.length, 2, 'the stand-in and the webview bundle');
    for (const script of executable) {
      const hash = createHash('sha256').update(script.body, 'utf8').digest('base64');
      assert.ok(csp.includes(`'sha256-${hash}'`), 'every inline script is allowed by its hash');
    }
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)?.[1] ?? '';
    assert.ok(csp.includes(`'sha256-${createHash('sha256').update(style, 'utf8').digest('base64')}'`));
    assert.ok(style.includes('body { color: red; }') && style.includes('--vscode-foreground'));
    assert.doesNotMatch(html, /\b(src|href)="(https?:)?\/\//);
    assert.ok(executable[0].body === STAND_IN);
  });

  it('escapes </script> in the embedded JSON and the bundle, and the data reads back intact', async () => {
    const report = await fixtureReport();
    const html = reportToHtml(report, ASSETS);
    const scripts = inlineScripts(html);
    assert.equal(scripts.length, 3, 'no script element was cut short');
    const data = scripts.find((s) => /id="parascope-data"/.test(s.attrs));
    assert.ok(data);
    const parsed = JSON.parse(data.body) as { report: typeof report; machine: unknown; protocolVersion: number };
    assert.deepEqual(parsed.report.args, ['--fast', '</script><script>alert(1)</script>']);
    assert.deepEqual(parsed.report, JSON.parse(JSON.stringify(report)));
    assert.doesNotMatch(data.body, /<\/script/i);
    assert.equal(embedJson({ a: '\u2028</script>&' }), '{"a":"\\u2028\\u003c/script\\u003e\\u0026"}');
  });

  it('answers the webview\'s ready with the init state, standalone, like the extension host', async () => {
    const report = await fixtureReport();
    const html = reportToHtml(report, ASSETS);
    const data = JSON.parse(inlineScripts(html).find((s) => /id="parascope-data"/.test(s.attrs))?.body ?? '{}');
    const posted: unknown[] = [];
    const fakeWindow: Record<string, unknown> = {
      postMessage: (message: unknown) => posted.push(message),
    };
    const fakeDocument = { getElementById: () => ({ textContent: JSON.stringify(data) }), body: { classList: { add() {}, remove() {} } } };
    // Run the stand-in against a fake window; timers run synchronously here.
    const run = new Function('window', 'document', 'setTimeout', STAND_IN);
    run(fakeWindow, fakeDocument, (fn: () => void) => fn());
    const api = (fakeWindow.acquireVsCodeApi as () => { postMessage(m: unknown): void; setState(s: unknown): void; getState(): unknown })();
    api.postMessage({ type: 'stopRun' });
    assert.equal(posted.length, 0);
    api.postMessage({ type: 'ready' });
    assert.equal(posted.length, 1);
    const init = posted[0] as { type: string; state: Record<string, unknown> };
    assert.equal(init.type, 'init');
    assert.equal(init.state.protocolVersion, 1);
    assert.equal(init.state.live, null);
    assert.equal(init.state.standalone, true);
    assert.deepEqual((init.state.report as { id: string }).id, report.id);
    assert.deepEqual(init.state.machine, { cpuCount: 2, platform: 'linux' });
    api.setState({ tab: 'run' });
    assert.deepEqual(api.getState(), { tab: 'run' });
  });
});

describe('Chrome trace export', () => {
  it('is valid trace-event JSON: metadata, one track per worker with X events, per-core counters', async () => {
    const report = await fixtureReport();
    const trace = JSON.parse(traceToJson(reportToTrace(report))) as { traceEvents: TraceEvent[]; displayTimeUnit: string };
    assert.equal(trace.displayTimeUnit, 'ms');
    const events = trace.traceEvents;
    for (const e of events) {
      assert.ok(['X', 'C', 'M', 'i'].includes(e.ph), `phase ${e.ph}`);
      assert.equal(typeof e.name, 'string');
      assert.ok(Number.isInteger(e.pid));
      if (e.ph !== 'M') assert.ok(Number.isInteger(e.ts) && (e.ts as number) >= 0, 'µs timestamps');
      if (e.ph === 'X') assert.ok(Number.isInteger(e.dur) && (e.dur as number) >= 0 && Number.isInteger(e.tid));
      if (e.ph === 'C') assert.ok(Object.values(e.args ?? {}).every((v) => typeof v === 'number' && Number.isFinite(v)));
    }
    const tracks = new Set(events.filter((e) => e.ph === 'X').map((e) => `${e.pid}/${e.tid}`));
    assert.equal(tracks.size, report.workers.length, 'one track per worker');
    const named = new Set(events.filter((e) => e.ph === 'M' && e.name === 'thread_name').map((e) => `${e.pid}/${e.tid}`));
    for (const track of tracks) assert.ok(named.has(track), `thread ${track} is named`);
    for (const pid of new Set(events.map((e) => e.pid))) {
      assert.ok(events.some((e) => e.ph === 'M' && e.name === 'process_name' && e.pid === pid), `process ${pid} is named`);
    }
    const tasks = events.filter((e) => e.ph === 'X' && e.cat?.startsWith('task'));
    assert.equal(tasks.length, 5);
    const processTask = tasks.find((e) => e.pid === 1010);
    assert.deepEqual(processTask?.args, { site: '/src/work.py:27', argBytes: 4096, resultBytes: 128, pickleMs: 20, cpuMs: 170, ok: true, poolId: '1000-2' });
    assert.equal(processTask?.dur, 180_000);
    assert.ok(tasks.some((e) => e.cat === 'task,failed' && e.args?.error === 'ValueError: bad input'));
    const counters = events.filter((e) => e.ph === 'C' && e.pid === MACHINE_PID);
    assert.equal(counters.filter((e) => e.name === 'core 0 %').length, report.sampleTimes.length);
    assert.equal(counters.filter((e) => e.name === 'cores used').length, report.sampleTimes.length);
    assert.deepEqual(Object.keys(counters.find((e) => e.name === 'core 1 %')?.args ?? {}), ['workload', 'other', 'steal']);
  });
});

describe('CLI summary', () => {
  it('says wall, CPU, cores used of usable, efficiency and the verdicts in words, findings with file:line', async () => {
    const report = await fixtureReport();
    const text = formatSummary(report, { color: false });
    const lines = text.trimEnd().split('\n');
    assert.match(lines[0], /^parascope: work\.py exited 0 after 1\.70 s · CPU \d+\.\d\d s · 0\.98 cores used \(2 usable\) · efficiency 49 %$/);
    assert.ok(lines.some((l) => /✗ GIL-bound: 2 threads busy but 0\.98 cores used \(waiting for the GIL 45 % of the time\) — try --pool process/.test(l)));
    assert.ok(lines.some((l) => /work\.py:25 PAR005: cannot pickle '_thread\.lock' object \(at args\[0\]\.lock\)/.test(l)));
    assert.ok(lines.some((l) => /7 events dropped by the harness/.test(l)));
    assert.ok(lines.length <= 10, 'a few lines');
    assert.ok(!text.includes('\u001b['), 'no colours unless asked');
    assert.ok(formatSummary(report, { color: true }).includes('\u001b[31m✗'));
  });

  it('leaves efficiency out for a run that never fanned out (only its main process)', async () => {
    const base = await fixtureReport();
    assert.match(formatSummary(base).split('\n')[0], / · efficiency 49 %$/);
    for (const workers of [[], [{ ...base.workers[0], kind: 'main' as const }]]) {
      assert.match(formatSummary({ ...base, workers }).split('\n')[0], /0\.98 cores used \(2 usable\)$/);
    }
  });

  it('tells a cancelled, a hung and a signalled run apart', async () => {
    const base = await fixtureReport();
    assert.match(formatSummary({ ...base, cancelled: true }), /work\.py was cancelled after/);
    assert.match(formatSummary({ ...base, hung: true, exitCode: 123 }), /was ended: a pool could never finish/);
    assert.match(formatSummary({ ...base, exitCode: null, signal: 'SIGKILL' }), /was killed by SIGKILL/);
  });
});
