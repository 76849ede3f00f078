#!/usr/bin/env node
// Reliability bar: "cancel ends the whole tree within 1 s; zero orphans after 100 cancel cycles".
// Each cycle starts test/fixtures/run/scripts/cancel_tree.py (a process pool on endless tasks plus
// a worker that left the group with setsid — every other cycle it also ignores SIGINT/SIGTERM),
// waits until the whole tree runs, cancels, and checks every pid of the tree through procfs.
//   node bench/cancel-cycles/run.mjs [cycles]      (default 100; needs `npm run build`)
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';

const require = createRequire(import.meta.url);
const { startRun } = require(resolve('out/src/core/run/run.js'));
const cycles = Number(process.argv[2] ?? 100);
const cwd = resolve('test/fixtures/run/scripts');

function startTime(pid) {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')[19];
  } catch {
    return null;
  }
}

function alive(pid, start) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return fields[19] === start && fields[0] !== 'Z';
  } catch {
    return false;
  }
}

const durations = [];
let orphans = 0;
for (let cycle = 0; cycle < cycles; cycle++) {
  let out = '';
  const handle = await startRun(
    { script: 'cancel_tree.py', args: [cycle % 2 ? 'polite' : 'stubborn'], cwd, python: null, intervalMs: 100, pool: { kind: 'asis', workers: null, startMethod: null, chunksize: null } },
    { onOutput: (data) => { out += data.toString('utf8'); } },
  );
  const deadline = Date.now() + 30_000;
  while (!/ready [\d ]+\n/.test(out) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  const pids = [handle.pid, ...(/ready ([\d ]+)\n/.exec(out)?.[1].trim().split(' ').map(Number) ?? [])];
  const tree = pids.map((pid) => ({ pid, start: startTime(pid) }));
  const started = performance.now();
  await handle.cancel();
  durations.push(performance.now() - started);
  orphans += tree.filter((p) => p.start !== null && alive(p.pid, p.start)).length;
  await handle.done;
  if ((cycle + 1) % 10 === 0) process.stdout.write(`  ${cycle + 1} cycles, ${orphans} orphan(s) so far\n`);
}
durations.sort((a, b) => a - b);
const pick = (q) => durations[Math.min(durations.length - 1, Math.floor(q * durations.length))];
const within = durations.filter((d) => d <= 1000).length;
console.log(`cancel cycles: ${cycles}; orphans: ${orphans} (target 0)`);
console.log(`cancel time: median ${pick(0.5).toFixed(0)} ms, p95 ${pick(0.95).toFixed(0)} ms, max ${durations[durations.length - 1].toFixed(0)} ms; ${within}/${cycles} within 1 s (target: all)`);
process.exit(orphans === 0 ? 0 : 1);
