#!/usr/bin/env node
// The sampler's own cost: CPU per second at 10 Hz against a 64-thread Python workload.
//
//   npm run bench:sampler            (builds first; or `node bench/sampler-cost/run.mjs [--seconds 5] [--threads 64]`)
//
// A dedicated Node process runs the procfs sampler (from the test build in out/) against the
// workload's pid and measures its own CPU with process.cpuUsage() over the window; another
// dedicated Node process does the same with no sampler (the idle baseline: a Node process with a
// 100 ms timer). The two run side by side, at the same time, twice; the figure is the sampler's
// median minus the baseline's median. Target (product doc): ≤ 1 % of one core, i.e. ≤ 10 ms of
// CPU per second. Prints a ratio, never asserts a time.
//
// The window starts after a warm-up of 30 s: at 10 samples a second V8 takes 20–30 s to
// optimize the sampler's hot functions (its tiering counts calls), and until then the same
// work costs about twice as much (measured with --no-opt: 14 ms/s flat). That one-off cost,
// paid once per process (the extension host keeps the optimized code for later runs), is printed
// apart as the warm-up's CPU per second.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { clearInterval, setInterval } from 'node:timers';

const require = createRequire(import.meta.url);
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i === -1 ? fallback : args[i + 1];
};
const SECONDS = Number(option('--seconds', '10'));
const WARMUP = Number(option('--warmup', '30'));
const THREADS = Number(option('--threads', '64'));
const SAMPLER = resolve('out/src/core/sample/procfsSampler.js');
const TARGET_MS = 10;

// ---------------------------------------------------------------------------------------------
// Child mode: `--measure <pid> sampler|idle <seconds> <warm-up seconds>` prints one JSON line.
if (args[0] === '--measure') {
  const [, pidText, mode, secondsText, warmupText] = args;
  const seconds = Number(secondsText);
  const warmup = Number(warmupText ?? '0');
  let sampler;
  let timer;
  if (mode === 'sampler') {
    const { ProcfsSampler } = require(SAMPLER);
    sampler = new ProcfsSampler({ rootPid: Number(pidText), intervalMs: 100, startMs: performance.now() });
  }
  // Let the process settle (module loading) before anything is measured.
  await new Promise((r) => setTimeout(r, 300));
  const warm0 = process.cpuUsage();
  if (sampler) sampler.start();
  else timer = setInterval(() => undefined, 100); // the baseline wakes up as often, doing nothing
  await new Promise((r) => setTimeout(r, warmup * 1000));
  const warm = process.cpuUsage(warm0);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, seconds * 1000));
  if (sampler) sampler.stop(false);
  else clearInterval(timer);
  const cpu = process.cpuUsage(cpu0);
  const wall = (performance.now() - t0) / 1000;
  const result = sampler?.result();
  const threads = result ? result.threads.filter((t) => t.activeSamples > 0).length : 0;
  console.log(JSON.stringify({
    mode, wall, cpuMs: (cpu.user + cpu.system) / 1000, userMs: cpu.user / 1000, systemMs: cpu.system / 1000,
    warmupMs: (warm.user + warm.system) / 1000, ticks: result?.stats.ticks ?? 0, rescans: result?.stats.rescans ?? 0,
    reads: result?.stats.reads ?? 0, syscallReads: result?.stats.syscallReads ?? 0, threads, processes: result?.processes.length ?? 0,
  }));
  process.exit(0);
}

// ---------------------------------------------------------------------------------------------
// Orchestrator.
if (process.platform !== 'linux') {
  console.log('sampler-cost: the procfs sampler runs on Linux only; nothing to measure here.');
  process.exit(0);
}
if (!existsSync(SAMPLER)) {
  console.error('sampler-cost: out/ is missing — run `npm run build` first (npm run bench:sampler does).');
  process.exit(2);
}

const WORKLOAD = `
import threading, time, sys
def spin():
    x = 0
    while True:
        x += 1
threads = [threading.Thread(target=spin, daemon=True) for _ in range(${THREADS})]
for t in threads: t.start()
sys.stdout.write("ready\\n"); sys.stdout.flush()
time.sleep(3600)
`;

function python() {
  return new Promise((ok, fail) => {
    const child = spawn('python3', ['-c', 'import sys; print(sys.executable)'], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('close', (code) => (code === 0 ? ok(out.trim()) : fail(new Error('python3 not found'))));
  });
}

function measure(pid, mode) {
  return new Promise((ok, fail) => {
    const child = spawn(process.execPath, [import.meta.filename, '--measure', String(pid), mode, String(SECONDS), String(WARMUP)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('close', (code) => (code === 0 ? ok(JSON.parse(out)) : fail(new Error(`measuring ${mode} failed (${code})`))));
  });
}

const median = (xs) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

const executable = await python();
const workload = spawn(executable, ['-c', WORKLOAD], { stdio: ['ignore', 'pipe', 'inherit'], detached: true });
await new Promise((ok) => workload.stdout.once('data', ok));
const stop = () => {
  try {
    process.kill(-workload.pid, 'SIGKILL');
  } catch {
    // gone
  }
};
process.on('exit', stop);

try {
  const runs = { idle: [], sampler: [] };
  for (let round = 0; round < 2; round++) {
    // Side by side: both see the same machine over the same seconds.
    const results = await Promise.all([measure(workload.pid, 'idle'), measure(workload.pid, 'sampler')]);
    for (const result of results) {
      runs[result.mode].push(result);
      console.log(`  ${result.mode.padEnd(7)} ${(result.cpuMs / result.wall).toFixed(2)} ms CPU per second over ${result.wall.toFixed(1)} s` +
        ` (warm-up: ${(result.warmupMs / WARMUP).toFixed(2)} ms/s over ${WARMUP} s)` +
        (result.mode === 'sampler' ? `; ${result.ticks} samples, ${result.rescans} full scans, ${(result.reads / Math.max(1, result.ticks)).toFixed(0)} reads per sample, ${result.threads} threads seen running` : ''));
    }
  }
  const idle = median(runs.idle.map((r) => r.cpuMs / r.wall));
  const sampler = median(runs.sampler.map((r) => r.cpuMs / r.wall));
  const cost = Math.max(0, sampler - idle);
  const warmCost = Math.max(0, median(runs.sampler.map((r) => r.warmupMs / WARMUP)) - median(runs.idle.map((r) => r.warmupMs / WARMUP)));
  const load = (await import('node:os')).loadavg()[0];
  console.log(
    `sampler-cost: ${cost.toFixed(2)} ms CPU per second at 10 Hz with ${THREADS} workload threads = ${(cost / 10).toFixed(2)} % of one core ` +
      `(sampler process ${sampler.toFixed(2)} ms/s − idle Node baseline ${idle.toFixed(2)} ms/s; load average ${load.toFixed(1)} on ${(await import('node:os')).cpus().length} CPUs); target ≤ ${TARGET_MS} ms/s (1 %): ` +
      `${cost <= TARGET_MS ? 'within target' : 'OVER TARGET'}`,
  );
  console.log(
    `  during the first ${WARMUP} s (V8 still optimizing the sampler; once per process): ${warmCost.toFixed(2)} ms CPU per second = ${(warmCost / 10).toFixed(2)} % of one core`,
  );
} finally {
  stop();
}
