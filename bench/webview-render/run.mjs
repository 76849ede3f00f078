#!/usr/bin/env node
// bench/webview-render — the panel's webview in headless chromium, inside the real shell (CSP,
// nonce, stylesheet) with 64 cores × 6,000 samples:
//
//   1. first render of a finished report (64 cores × 6,000 samples, 64 workers' tasks), the
//      message as the host posted it before (arrays of numbers, task records) and as it posts it
//      now (encoded by src/protocolCodec.ts), side by side on fresh pages; wall time from the
//      message's delivery (the structured clone postMessage performs) to the painted frame, and
//      the page's main-thread CPU time over the same span (Chrome's ThreadTime)
//      target ≤ 100 ms wall
//   2. one live update (a 1-sample batch for 64 cores + the tasks that ended, encoded as the host
//      sends them), median of many
//      target ≤ 8 ms
//   3. memory over a simulated stream at 10 Hz, fed as fast as the page takes it: JS heap plus
//      ArrayBuffers after a forced GC every 3 simulated minutes, through 30 minutes (the store's
//      bound) and 30 more
//      target: flat once the bounded history is full
//
// Prints figures and whether each target is met; asserts nothing (timings are not tests).
// Needs the build: `npm run build && node bench/webview-render/run.mjs [--quick]`.
// The functions passed to page.evaluate() run in the page, with the browser's globals:
/* global requestAnimationFrame, dispatchEvent, MessageEvent, performance, structuredClone, document */
import { createRequire } from 'node:module';
import * as esbuild from 'esbuild';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

const require = createRequire(import.meta.url);
const quick = process.argv.includes('--quick');
for (const file of ['media/webview.js', 'out/test/webview/support/page.js']) {
  if (!existsSync(resolve(file))) {
    console.error(`bench/webview-render: ${file} is missing — run \`npm run build\` first.`);
    process.exit(2);
  }
}
const { WebviewPage, EMPTY_STATE } = require(resolve('out/test/webview/support/page.js'));
const { encodeMessage } = require(resolve('out/src/protocolCodec.js'));
const { bigReport } = require(resolve('out/test/webview/support/synthetic.js'));

const CORES = 64;
const SAMPLES = 6_000;
const WORKERS = 64;
const VIEWPORT = { width: 1400, height: 1000 };
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s.length ? s[Math.floor((s.length - 1) / 2)] : NaN; };
const pct = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return s.length ? s[Math.min(s.length - 1, Math.floor(p * s.length))] : NaN; };
const ms = (v) => `${v.toFixed(1)} ms`;
const mb = (v) => `${(v / 1024 / 1024).toFixed(1)} MB`;
const verdict = (ok) => (ok ? 'MET' : 'NOT MET');

/**
 * The host's codec (src/protocolCodec.ts) built for the page, so the simulated host there encodes
 * its live messages exactly as src/panel/panel.ts does before `postMessage`.
 */
const CODEC = esbuild.buildSync({ entryPoints: ['src/protocolCodec.ts'], bundle: true, format: 'iife', globalName: '__codec', write: false, target: 'es2022' }).outputFiles[0].text;

/** Installs, in the page, a generator of the host's live messages for 64 cores and 64 workers. */
async function installStream(page) {
  await page.evaluate(`${CODEC}; globalThis.__codec = __codec;`);
  await page.evaluate(({ cores, workers }) => {
    const g = globalThis;
    const TASK = 0.5;
    const round = (v, d) => Number(v.toFixed(d));
    g.__liveHeader = {
      runId: 'bench', script: '/bench/workload.py', python: null,
      pool: { kind: 'process', workers, startMethod: 'spawn', chunksize: null, instances: [] },
      cpuCount: cores, usableCpus: cores, sampleIntervalMs: 100, startedAt: '2026-01-01T00:00:00Z',
    };
    g.__workerList = Array.from({ length: workers }, (_, w) => ({
      pid: 50000 + w, tid: 50000 + w, kind: 'process', poolId: 'pool-1', cpuSeconds: 0, tasks: 0, busyShare: 0.9,
    }));
    /** Samples [from, from + n) at 10 Hz, columnar. */
    g.__samples = (from, n) => {
      const t = [], coresUsed = [], busy = [], workload = [], steal = [];
      for (let c = 0; c < cores; c++) { busy.push([]); workload.push([]); steal.push([]); }
      for (let i = from; i < from + n; i++) {
        t.push(round((i + 1) / 10, 3));
        let used = 0;
        for (let c = 0; c < cores; c++) {
          const w = Math.min(1, Math.max(0, 0.7 + 0.25 * Math.sin(i / 50 + c) + 0.05 * ((i * 7 + c * 13) % 10) / 10));
          workload[c].push(round(w, 3));
          busy[c].push(round(Math.min(1, w + 0.02), 3));
          steal[c].push(c % 16 === 0 ? 0.01 : 0);
          used += w;
        }
        coresUsed.push(round(used, 2));
      }
      return { t, coresUsed, busy, workload, steal };
    };
    /** The tasks that ended in (from/10, to/10] seconds: each worker runs back-to-back 0.5 s tasks. */
    g.__tasks = (from, to) => {
      const tasks = [];
      for (let w = 0; w < workers; w++) {
        const offset = (w / workers) * TASK;
        const first = Math.floor((from / 10 - offset) / TASK); // the task running at from / 10
        for (let k = Math.max(0, first); ; k++) {
          const end = offset + (k + 1) * TASK;
          if (end > to / 10) break;
          if (end <= from / 10) continue;
          tasks.push({
            worker: w, poolId: 'pool-1', start: round(end - TASK + 0.01, 4), end: round(end, 4), cpuSeconds: 0.48,
            argBytes: 512, resultBytes: 64, pickleSeconds: 0.002, site: { file: '/bench/workload.py', line: 27 }, ok: true,
          });
        }
      }
      return tasks;
    };
    g.__frame = () => new Promise((r) => requestAnimationFrame(() => r()));
    /** Samples as the host posts them: encoded. */
    g.__batch = (from, n) => g.__codec.encodeMessage({ type: 'runSamples', runId: 'bench', batch: g.__samples(from, n) });
    /** Delivers `n` one-sample batches (plus their tasks) from sample `from`, a frame every `every`. */
    g.__feed = async (from, n, every) => {
      for (let i = from; i < from + n; i++) {
        dispatchEvent(new MessageEvent('message', { data: g.__batch(i, 1) }));
        const tasks = g.__tasks(i, i + 1);
        if (tasks.length) dispatchEvent(new MessageEvent('message', { data: { type: 'runTasks', runId: 'bench', workers: g.__workerList, tasks } }));
        if ((i - from) % every === every - 1) await g.__frame();
      }
      await g.__frame();
    };
  }, { cores: CORES, workers: WORKERS });
}

/** Starts the live run and loads `samples` samples (and their tasks) in 100-sample batches. */
async function startLive(view, samples) {
  await view.init({ ...EMPTY_STATE, machine: { cpuCount: CORES, platform: 'linux' } });
  await installStream(view.page);
  await view.page.evaluate(async (n) => {
    const g = globalThis;
    dispatchEvent(new MessageEvent('message', { data: { type: 'runStarted', header: g.__liveHeader } }));
    for (let i = 0; i < n; i += 100) {
      dispatchEvent(new MessageEvent('message', { data: g.__batch(i, 100) }));
      dispatchEvent(new MessageEvent('message', { data: { type: 'runTasks', runId: 'bench', workers: g.__workerList, tasks: g.__tasks(i, i + 100) } }));
    }
    await g.__frame();
    await g.__frame();
  }, samples);
}

/** One measured live update (encoded as the host posts it): structured clone as postMessage does, apply, render. */
async function liveUpdates(view, from, count) {
  return view.page.evaluate(async ({ from, count }) => {
    const g = globalThis;
    const out = [];
    for (let i = from; i < from + count; i++) {
      const messages = [
        g.__batch(i, 1),
        { type: 'runTasks', runId: 'bench', workers: g.__workerList, tasks: g.__tasks(i, i + 1) },
      ];
      await g.__frame();
      g.__parascopeTimings.clear();
      const t0 = performance.now();
      for (const m of messages) dispatchEvent(new MessageEvent('message', { data: structuredClone(m) }));
      const dispatched = performance.now() - t0;
      await g.__frame(); // runs after the panel's own frame callback
      const render = g.__parascopeTimings.render().reduce((a, b) => a + b, 0);
      out.push(dispatched + render);
    }
    return out;
  }, { from, count });
}

/**
 * A message as VS Code's extension host serialises it for `webview.postMessage` (engines ≥ 1.57):
 * JSON, with every ArrayBuffer (and typed array: its whole buffer) sent aside as a block.
 */
function vscodeSerialise(message) {
  const buffers = [];
  const index = (buffer) => { let i = buffers.indexOf(buffer); if (i < 0) { i = buffers.length; buffers.push(buffer); } return i; };
  const json = JSON.stringify(message, (_key, value) => {
    if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
      return { $$vscode_array_buffer_reference$$: true, index: index(value.buffer), view: { type: value.constructor.name, byteOffset: value.byteOffset, byteLength: value.byteLength } };
    }
    return value;
  });
  return { json, buffers: buffers.map((b) => new Uint8Array(b)) };
}

/** Host-side cost of one `init`: encoding (new style) and VS Code's serialisation, median of 5. */
function hostCost(report, encoded) {
  const time = (fn) => { const xs = []; let out; for (let i = 0; i < 5; i++) { const t0 = performance.now(); out = fn(); xs.push(performance.now() - t0); } return { ms: median(xs), out }; };
  const state = { protocolVersion: 1, live: null, report, sweep: null, sweepProgress: null, machine: { cpuCount: CORES, platform: 'linux' } };
  // Each encode is of a fresh report object: the codec caches per report, the first post pays.
  const encode = encoded ? time(() => encodeMessage({ type: 'init', state: { ...state, report: { ...report } } })) : { ms: 0, out: { type: 'init', state } };
  const serialise = time(() => vscodeSerialise(encode.out));
  const bytes = serialise.out.json.length + serialise.out.buffers.reduce((n, b) => n + b.byteLength, 0);
  return { encode: encode.ms, serialise: serialise.ms, bytes };
}

/**
 * One first render on a fresh page: the `init` message arrives as the panel's frame receives it
 * (old style: sample columns as arrays of numbers; new style: encoded by protocolCodec, the views
 * of one buffer rebuilt as VS Code's webview side rebuilds them), then the timed part: the
 * structured clone postMessage performs, the panel's handler, its frame, the painted frame.
 */
async function firstRender(report, encoded) {
  const view = await WebviewPage.open('vscode-dark', VIEWPORT);
  try {
    await view.init({ ...EMPTY_STATE, machine: { cpuCount: CORES, platform: 'linux' } });
    const message = { type: 'init', state: { protocolVersion: 1, live: null, report, sweep: null, sweepProgress: null, machine: { cpuCount: CORES, platform: 'linux' } } };
    if (encoded) {
      const { json, buffers } = vscodeSerialise(encodeMessage(message));
      await view.page.evaluate(({ json, buffers }) => {
        globalThis.__message = JSON.parse(json, (_key, value) => {
          if (!value || value.$$vscode_array_buffer_reference$$ !== true) return value;
          const bytes = buffers[value.index];
          const Type = globalThis[value.view.type];
          return new Type(bytes.buffer, bytes.byteOffset + value.view.byteOffset, value.view.byteLength / Type.BYTES_PER_ELEMENT);
        });
      }, { json, buffers });
    } else {
      await view.page.evaluate((m) => { globalThis.__message = m; }, message);
    }
    // The page's main thread CPU time (Chrome's ThreadTime) read at the page's own marks
    // (delivery starts, frame painted); what two reads cost on their own is subtracted.
    const cdp = await view.page.context().newCDPSession(view.page);
    await cdp.send('Performance.enable');
    await view.page.exposeFunction('__cpu', async () => {
      const { metrics } = await cdp.send('Performance.getMetrics');
      return (metrics.find((m) => m.name === 'ThreadTime')?.value ?? NaN) * 1000;
    });
    await view.page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 50))));
    const result = await view.page.evaluate(async () => {
      const g = globalThis;
      const c = await g.__cpu();
      const idle = (await g.__cpu()) - c;
      g.__parascopeTimings.clear();
      const c0 = await g.__cpu();
      const t0 = performance.now();
      const data = structuredClone(g.__message); // what postMessage does before the panel's code runs
      const delivered = performance.now() - t0;
      dispatchEvent(new MessageEvent('message', { data }));
      await new Promise((r) => requestAnimationFrame(() => r())); // after the panel's frame: DOM built, charts drawn
      const framed = performance.now() - t0;
      await new Promise((r) => setTimeout(r, 0)); // after that frame was painted
      const painted = performance.now() - t0;
      const cpu = (await g.__cpu()) - c0 - idle;
      const apply = g.__parascopeTimings.apply().reduce((a, b) => a + b, 0);
      const render = g.__parascopeTimings.render().reduce((a, b) => a + b, 0);
      return { apply, render, delivered, framed, painted, cpu, canvases: document.querySelectorAll('canvas').length };
    });
    if (view.errors.length) console.log(`  page errors: ${view.errors.join(' | ')}`);
    const cores = await view.page.getAttribute('figure.heatmap', 'data-cores');
    const lanes = await view.page.getAttribute('figure.lanes', 'data-lanes');
    const label = await view.page.getAttribute('.heatmap-canvas', 'aria-label');
    return { ...result, cores, lanes, label };
  } finally {
    await view.close();
  }
}

/** JS heap after GC plus ArrayBuffer backing stores (typed arrays live outside the JS heap). */
async function heap(cdp) {
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize, backingStorageSize } = await cdp.send('Runtime.getHeapUsage');
  return usedSize + (backingStorageSize ?? 0);
}

const { loadavg, cpus } = await import('node:os');
console.log(`bench/webview-render: ${CORES} cores × ${SAMPLES.toLocaleString('en')} samples, ${WORKERS} workers, viewport ${VIEWPORT.width}×${VIEWPORT.height}, chromium headless`);
console.log(`machine: ${cpus().length} CPUs, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} at start (timings stretch on a busy machine)\n`);

// 1. First render --------------------------------------------------------------------------
// Two task loads on the same 64 × 6,000 samples: 5-s tasks (~8,400) and 0.5-s tasks (~83,000).
// Each, side by side in this run, alternating on fresh pages: the old style (sample columns as
// arrays of numbers, as the host posted them before) and the new (encoded by protocolCodec: one
// buffer, fractions as bytes). "Wall" runs from the message's delivery (the structured clone
// postMessage performs) to the painted frame; CPU is the renderer main thread's over that span,
// which does not stretch when other programs keep the machine busy.
const summary = [];
for (const taskSeconds of [5, 0.5]) {
  const report = bigReport(CORES, SAMPLES, WORKERS, taskSeconds);
  console.log(`1. First render of a finished report: ${CORES} × ${SAMPLES.toLocaleString('en')} samples, ${report.tasks.length.toLocaleString('en')} tasks (${taskSeconds} s each); a fresh page each time:`);
  const runs = { old: [], new: [] };
  for (let i = 0; i < (quick ? 2 : 5); i++) {
    for (const style of ['old', 'new']) {
      const r = await firstRender(report, style === 'new');
      runs[style].push(r);
      console.log(`   ${style} style, run ${i + 1}: ${ms(r.painted)} wall to the painted frame (delivery ${ms(r.delivered)}, panel frame ${ms(r.render)}), ${ms(r.cpu)} renderer CPU — ${r.cores} heatmap rows, ${r.lanes} lanes, ${r.canvases} canvases`);
    }
  }
  const labels = new Set([...runs.old, ...runs.new].map((r) => r.label));
  if (labels.size !== 1) console.log(`   the two styles describe the heatmap differently: ${[...labels].join(' | ')}`);
  const figures = {};
  for (const style of ['old', 'new']) {
    const host = hostCost(report, style === 'new');
    const f = figures[style] = {
      painted: median(runs[style].map((r) => r.painted)), cpu: median(runs[style].map((r) => r.cpu)),
      delivered: median(runs[style].map((r) => r.delivered)), render: median(runs[style].map((r) => r.render)), host,
    };
    console.log(`   ${style === 'old' ? 'old style (arrays of numbers)' : 'new style (protocolCodec)   '}: median ${ms(f.painted)} wall (delivery ${ms(f.delivered)}, panel frame ${ms(f.render)}, the rest waiting for vsync and painting), ${ms(f.cpu)} CPU; ` +
      `host: ${style === 'new' ? `encode ${ms(host.encode)}, ` : ''}VS Code's serialisation ${ms(host.serialise)}, ${mb(host.bytes)}`);
  }
  const { old: o, new: n } = figures;
  console.log(`   target ≤ 100 ms (message delivered → frame painted): new style ${verdict(n.painted <= 100)} (ratio ${(n.painted / 100).toFixed(2)}; CPU ${(n.cpu / 100).toFixed(2)}), ` +
    `old style ${verdict(o.painted <= 100)} (ratio ${(o.painted / 100).toFixed(2)}; CPU ${(o.cpu / 100).toFixed(2)}); new ÷ old: wall ${(n.painted / o.painted).toFixed(2)}, CPU ${(n.cpu / o.cpu).toFixed(2)}\n`);
  summary.push(`first render, ${report.tasks.length.toLocaleString('en')} tasks: new style ${ms(n.painted)} wall / ${ms(n.cpu)} CPU (${verdict(n.painted <= 100)}, ratio ${(n.painted / 100).toFixed(2)}), ` +
    `old style ${ms(o.painted)} / ${ms(o.cpu)} (ratio ${(o.painted / 100).toFixed(2)})`);
}

// 2. Live update ---------------------------------------------------------------------------
{
  const view = await WebviewPage.open('vscode-dark', VIEWPORT);
  try {
    console.log('2. One live update (a 1-sample batch for 64 cores + the tasks that ended in those 100 ms, structured-cloned as postMessage does):');
    await startLive(view, SAMPLES);
    await liveUpdates(view, SAMPLES, 20); // warm-up
    const at6k = await liveUpdates(view, SAMPLES + 20, quick ? 60 : 300);
    console.log(`   with ${SAMPLES.toLocaleString('en')} samples shown: median ${ms(median(at6k))}, p95 ${ms(pct(at6k, 0.95))}, max ${ms(Math.max(...at6k))} over ${at6k.length} updates`);
    // Steady state of a long run: the store's 18,000-sample history full, oldest dropped each update.
    await view.page.evaluate(async (from) => globalThis.__feed(from, 18_000 - from, 200), SAMPLES + 400);
    const atFull = await liveUpdates(view, 18_000, quick ? 60 : 300);
    const tasks = await view.page.evaluate(() => document.querySelector('.lanes-canvas')?.getAttribute('aria-label'));
    console.log(`   with 18,000 samples shown (history full, oldest dropped each update): median ${ms(median(atFull))}, p95 ${ms(pct(atFull, 0.95))}, max ${ms(Math.max(...atFull))}`);
    console.log(`   (${tasks})`);
    const live = median(at6k);
    summary.push(`live update: median ${ms(live)} at 6,000 samples (${verdict(live <= 8)}, ratio ${(live / 8).toFixed(2)}), ${ms(median(atFull))} at 18,000 (ratio ${(median(atFull) / 8).toFixed(2)})`);
    console.log(`   target ≤ 8 ms (median, ${SAMPLES.toLocaleString('en')} samples): ${verdict(live <= 8)} (ratio ${(live / 8).toFixed(2)}); at 18,000: ${verdict(median(atFull) <= 8)} (ratio ${(median(atFull) / 8).toFixed(2)})`);
    if (view.errors.length) console.log(`   page errors: ${view.errors.join(' | ')}`);
    console.log('');
  } finally {
    await view.close();
  }
}

// 3. Memory over a long stream -------------------------------------------------------------
{
  const view = await WebviewPage.open('vscode-dark', VIEWPORT);
  try {
    const minutes = quick ? 36 : 60;
    console.log(`3. Memory over a simulated ${minutes}-minute stream at 10 Hz (64 cores, 64 workers, ~128 tasks/s), JS heap after GC + ArrayBuffers:`);
    const cdp = await view.page.context().newCDPSession(view.page);
    await startLive(view, 0);
    const base = await heap(cdp);
    console.log(`   start (panel live, no samples): ${mb(base)}`);
    const points = [];
    const step = 1_800; // 3 minutes
    const started = Date.now();
    for (let from = 0; from < minutes * 600; from += step) {
      await view.page.evaluate(async (a) => globalThis.__feed(a.from, a.n, 25), { from, n: step });
      const used = await heap(cdp);
      points.push({ minute: (from + step) / 600, used });
      console.log(`   ${String((from + step) / 600).padStart(3)} min: ${mb(used).padStart(8)}  (+${mb(used - base)})`);
    }
    const fed = minutes * 600;
    const rate = fed / ((Date.now() - started) / 1000);
    // What the bounded history itself holds once full: 18,000 samples of t and coresUsed (8 B each) and
    // 3 × 64 fraction columns (1 B each; 1.5× that allocated, see SampleHistory), plus 50,000 tasks (~0.25 kB each as JS objects).
    const history = 18_000 * (2 * 8 + 3 * CORES);
    const at30 = points.find((p) => p.minute === 30)?.used ?? NaN;
    const last = points[points.length - 1].used;
    const after = points.filter((p) => p.minute >= 30).map((p) => p.used);
    const spread = Math.max(...after) - Math.min(...after);
    console.log(`   fed ${fed.toLocaleString('en')} batches at ${Math.round(rate).toLocaleString('en')} per second (${(rate / 10).toFixed(0)}× real time)`);
    console.log(`   growth to 30 min: ${mb(at30 - base)} — the bounded history itself is ${mb(history)} of samples plus up to 50,000 tasks`);
    console.log(`   from 30 to ${minutes} min (history full): ${mb(at30)} → ${mb(last)}, spread ${mb(spread)} (${((spread / at30) * 100).toFixed(1)} %)`);
    console.log(`   target flat once the history is full (spread ≤ 5 %): ${verdict(spread / at30 <= 0.05)}`);
    summary.push(`memory: +${mb(at30 - base)} by 30 min (bounded history), then ${mb(at30)} → ${mb(last)} to ${minutes} min, spread ${((spread / at30) * 100).toFixed(1)} % (${verdict(spread / at30 <= 0.05)})`);
    if (view.errors.length) console.log(`   page errors: ${view.errors.join(' | ')}`);
  } finally {
    await view.close();
  }
}

console.log(`\nsummary (load average now ${loadavg().map((l) => l.toFixed(1)).join(' ')}):`);
for (const line of summary) console.log(`  ${line}`);
