#!/usr/bin/env node
// `npm test`: every tier, each printing what it ran, then a summary. A tier fails when any test
// fails or when it ran nothing — no tier passes by skipping.
//
//   node test/run-tiers.mjs                 all tiers (unit, python, webview, host)
//   node test/run-tiers.mjs unit webview    only these
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { findInterpreters } from './support/python.mjs';

const TIERS = ['unit', 'python', 'webview', 'host'];
const requested = process.argv.slice(2);
const unknown = requested.filter((t) => !TIERS.includes(t));
if (unknown.length) {
  console.error(`unknown tier(s): ${unknown.join(', ')} (tiers: ${TIERS.join(', ')})`);
  process.exit(2);
}
if (!existsSync('out/test') || !existsSync('dist/extension.js')) {
  console.error('The build output is missing: run `npm run build` first (`npm test` does it for you).');
  process.exit(2);
}

/** Runs a command, echoing its output; resolves with its exit code and the tail of its output. */
function run(command, args, options = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let tail = '';
    const echo = (stream) => (chunk) => {
      stream.write(chunk);
      tail = (tail + chunk.toString()).slice(-20_000);
    };
    child.stdout.on('data', echo(process.stdout));
    child.stderr.on('data', echo(process.stderr));
    child.on('error', (error) => resolve({ code: 127, tail: String(error) }));
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), tail }));
  });
}

const mocha = ['node_modules/mocha/bin/mocha.js', '--fail-zero', '--forbid-only', '--forbid-pending', '--reporter', 'spec'];

/** Mocha's spec reporter ends with "N passing"; returns that count (0 when absent). */
const passing = (tail) => Number(/(\d+) passing/.exec(tail)?.[1] ?? 0);

/**
 * What a mocha tier ran, for the summary — with the failing tests by name and the first line of
 * each one's error, since a CI log may keep only the end of the output.
 */
function mochaDetail(tail, where) {
  const failing = Number(/(\d+) failing/.exec(tail)?.[1] ?? 0);
  if (failing === 0) return `${passing(tail)} tests ${where}`;
  // The spec reporter lists each failure as "  1) suite", the nested titles indented below it
  // (the test's own ending with ":"), then the error.
  const report = tail.slice(tail.lastIndexOf(`${failing} failing`));
  const failures = report.split(/^ {2}\d+\) /m).slice(1).map((block) => {
    const lines = block.split('\n');
    const last = lines.findIndex((line) => line.endsWith(':'));
    const titles = lines.slice(0, last + 1).map((line) => line.trim().replace(/:$/, ''));
    const error = lines.slice(last + 1).find((line) => line.trim() !== '')?.trim() ?? '';
    return `${titles.join(' › ')} — ${error}`;
  });
  return `${passing(tail)} passing, ${failing} failing ${where}${failures.map((f) => `\n          ✗ ${f}`).join('')}`;
}

const tiers = {
  async unit() {
    const { code, tail } = await run('node', [...mocha, '--timeout', '20000', 'out/test/unit/**/*.test.js']);
    return { ok: code === 0, detail: mochaDetail(tail, 'in plain Node') };
  },
  async python() {
    const interpreters = findInterpreters();
    if (interpreters.length === 0) return { ok: false, detail: 'no CPython ≥ 3.8 found (pyenv versions or python3)' };
    console.log(`python tier: ${interpreters.length} interpreter(s): ${interpreters.map((i) => `${i.version} (${i.executable})`).join(', ')}`);
    const results = [];
    for (const interpreter of interpreters) {
      console.log(`\n── unittest on CPython ${interpreter.version} ──`);
      const started = Date.now();
      const { code, tail } = await run(interpreter.executable, ['-m', 'unittest', 'discover', '-s', 'test/python', '-t', '.', '-v'], {
        env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' },
      });
      const ran = Number(/Ran (\d+) tests?/.exec(tail)?.[1] ?? 0);
      const skipped = Number(/skipped=(\d+)/.exec(tail)?.[1] ?? 0);
      const ok = code === 0 && ran > 0 && skipped < ran;
      // unittest names each failure as "FAIL: test_x (module.Class)" or "ERROR: …" above its traceback.
      const failed = [...tail.matchAll(/^(?:FAIL|ERROR): (.+)$/gm)].map((m) => m[1]);
      results.push({ version: interpreter.version, ok, ran, skipped, failed, seconds: (Date.now() - started) / 1000 });
    }
    const detail = results.map((r) => `${r.version}: ${r.ran} tests${r.skipped ? ` (${r.skipped} skipped)` : ''}${r.ok ? '' : ' FAILED'} in ${r.seconds.toFixed(0)} s${r.failed.map((f) => `\n          ✗ ${r.version}: ${f}`).join('')}`).join('; ');
    return { ok: results.every((r) => r.ok), detail };
  },
  async webview() {
    const { code, tail } = await run('node', [...mocha, '--timeout', '60000', 'out/test/webview/**/*.test.js']);
    return { ok: code === 0, detail: mochaDetail(tail, 'in headless chromium') };
  },
  async host() {
    const { code, tail } = await run('node', ['test/host/run-code-server.mjs']);
    const summary = /host tier: (.*)/.exec(tail)?.[1] ?? 'see the output above';
    return { ok: code === 0, detail: summary };
  },
};

const selected = requested.length ? TIERS.filter((t) => requested.includes(t)) : TIERS;
const summary = [];
for (const tier of selected) {
  console.log(`\n════ ${tier} tier ════`);
  const started = Date.now();
  let result;
  try {
    result = await tiers[tier]();
  } catch (error) {
    result = { ok: false, detail: error instanceof Error ? error.message : String(error) };
  }
  summary.push({ tier, ...result, seconds: (Date.now() - started) / 1000 });
}

console.log('\n════ summary ════');
for (const { tier, ok, detail, seconds } of summary) {
  console.log(`${ok ? 'PASS' : 'FAIL'}  ${tier.padEnd(8)} ${detail} (${seconds.toFixed(0)} s)`);
}
process.exit(summary.every((s) => s.ok) ? 0 : 1);
