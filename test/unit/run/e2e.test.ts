/**
 * End to end against the real harness (python/parascope_harness) and real Python processes:
 * cores used by processes vs threads, the GIL verdict, cancellation of whole trees, and
 * `parascope run` as a user runs it (exit codes, bytes, stdin, odd paths, bad interpreters).
 * Thresholds come from issue 4; timing bounds are generous (this machine is shared).
 */
import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startRun, type RunObserver, type RunRequest } from '../../../src/core/run/run';
import type { Report } from '../../../src/core/report/model';
import { parseTaskStat } from '../../../src/core/sample/procfs';
import { listNumeric, readSmall } from '../../../src/core/sample/read';

const SCRIPTS = resolve('test', 'fixtures', 'run', 'scripts');
const CLI = resolve('dist', 'cli.js');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { findPython2 } = require(resolve('test/support/python.mjs')) as { findPython2(): string | undefined };

function request(script: string, extra: Partial<RunRequest> = {}): RunRequest {
  return {
    script: join(SCRIPTS, script), args: [], cwd: SCRIPTS, python: null,
    pool: { kind: 'asis', workers: null, startMethod: null, chunksize: null }, intervalMs: 100, ...extra,
  };
}

async function run(req: RunRequest, observer: RunObserver = {}): Promise<{ report: Report; stdout: string }> {
  let stdout = '';
  const handle = await startRun(req, {
    ...observer,
    onOutput: (data, stream) => {
      if (stream === 'stdout') stdout += data.toString('utf8');
      observer.onOutput?.(data, stream);
    },
  });
  handle.endInput();
  return { report: await handle.done, stdout };
}

/** Cores the other programs used during the run (busy − workload, summed over cores, averaged). */
function otherCores(report: Report): number {
  const n = report.sampleTimes.length;
  if (n === 0) return 0;
  let sum = 0;
  for (const core of report.cores) for (let i = 0; i < n; i++) sum += Math.max(0, core.busy[i] - core.workload[i]);
  return sum / n;
}

function cli(args: string[], options: { cwd?: string; input?: string | Buffer } = {}) {
  return spawnSync(process.execPath, [CLI, ...args], {
    cwd: options.cwd ?? SCRIPTS, input: options.input ?? '', timeout: 60_000, maxBuffer: 64 * 1024 * 1024,
  });
}

/** Is this exact process (pid + start time) still alive (zombies count as gone)? */
function alive(pid: number, startTime: number): boolean {
  const text = readSmall(`/proc/${pid}/stat`);
  const stat = text === null ? null : parseTaskStat(text);
  return stat !== null && stat.startTime === startTime && stat.state !== 'Z' && stat.state !== 'X';
}

function startTimeOf(pid: number): number {
  const text = readSmall(`/proc/${pid}/stat`);
  const stat = text === null ? null : parseTaskStat(text);
  assert.ok(stat, `process ${pid} is running`);
  return stat.startTime;
}

async function waitFor(check: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('end to end: cores used, GIL verdicts (real harness)', function () {
  this.timeout(90_000);

  it('a CPU-bound run on 2 processes uses more than 1.3 cores; the same work on 2 threads is GIL-bound', async () => {
    const attempts: string[] = [];
    let passed = false;
    for (let attempt = 0; attempt < 3 && !passed; attempt++) {
      const { report } = await run(request('cpu_work.py', { pool: { kind: 'process', workers: 2, startMethod: null, chunksize: null } }));
      assert.equal(report.exitCode, 0);
      assert.equal(report.workers.filter((w) => w.kind === 'process').length, 2);
      const others = otherCores(report);
      attempts.push(`${report.coresUsed.toFixed(2)} cores with ${others.toFixed(2)} taken by other programs`);
      if (report.coresUsed > 1.3) passed = true;
      // A busy machine leaves less than 2 cores to the workload: the threshold holds on an idle
      // one (issue 4). Retry, and accept only what the other programs' load explains.
      else if (others < 0.5) break;
      else if (attempt === 2) passed = report.coresUsed + others > 1.3;
    }
    assert.ok(passed, `2 processes: ${attempts.join('; ')}`);
    assert.equal(attempts.length >= 1, true);

    const { report: threads } = await run(request('cpu_work.py', { pool: { kind: 'thread', workers: 2, startMethod: null, chunksize: null } }));
    assert.equal(threads.exitCode, 0);
    assert.equal(threads.metrics.gilBound, true, JSON.stringify(threads.metrics.gilProcesses));
    assert.ok(threads.coresUsed < 1.25, `threads used ${threads.coresUsed} cores`);
    const gil = threads.metrics.verdicts.find((v) => v.id === 'gil');
    assert.equal(gil?.level, 'problem');
    // Measured, and seen: on a busy machine the threads also wait for a core, so the share varies.
    assert.ok(threads.metrics.gilWaitShare !== null && threads.metrics.gilWaitShare > 0, `GIL wait ${threads.metrics.gilWaitShare}`);
    console.log(`      processes: ${attempts.join('; ')} · threads: ${threads.coresUsed.toFixed(2)} cores, GIL wait ${threads.metrics.gilWaitShare}`);
  });

  it('does not flag an I/O-bound thread pool', async () => {
    const { report } = await run(request('io_pool.py'));
    assert.equal(report.exitCode, 0);
    assert.equal(report.workers.filter((w) => w.kind === 'thread').length, 4);
    assert.equal(report.metrics.gilBound, false, JSON.stringify(report.metrics.gilProcesses));
    assert.ok(!report.metrics.verdicts.some((v) => v.id === 'gil' && v.level === 'problem'));
  });

  it('feeds the live observer: a header, sample batches at most 10 per second, workers and tasks', async () => {
    let header: unknown = null;
    const batches: number[] = [];
    let samples = 0;
    let tasks = 0;
    const started = Date.now();
    const { report } = await run(request('cpu_work.py', { args: ['600000'] }), {
      onStarted: (h) => { header = h; },
      onSamples: (b) => { batches.push(Date.now()); samples += b.t.length; assert.equal(b.busy.length, report_cores()); },
      onTasks: (_w, t) => { tasks += t.length; },
    });
    function report_cores() { return (header as { cpuCount: number }).cpuCount; }
    const seconds = (Date.now() - started) / 1000;
    assert.ok(header && (header as { sampler?: { kind: string } }).sampler?.kind === 'procfs');
    assert.ok(batches.length <= seconds * 10 + 2, `${batches.length} batches in ${seconds} s`);
    assert.equal(samples, report.sampleTimes.length, 'every sample reached the observer');
    assert.equal(tasks, report.tasks.length, 'every task reached the observer');
  });
});

describe('end to end: tasks that raise', function () {
  this.timeout(30_000);
  it('names the exception and the submitting line, and leaves the exit code to the program', async () => {
    const { report } = await run(request('task_errors.py'));
    assert.equal(report.exitCode, 0);
    assert.equal(report.tasks.filter((t) => t.ok === false).length, 2);
    const verdict = report.metrics.verdicts.find((v) => v.id === 'task-errors');
    assert.equal(verdict?.title, '2 of 6 tasks raised');
    // Two workers: either failing task may start first.
    assert.match(verdict?.detail ?? '', /^ValueError — 2 tasks, the first “bad input [25]” \(submitted at .*task_errors\.py:13\)\.$/);
  });
});

describe('end to end: a broken observer', function () {
  this.timeout(30_000);
  it('cannot break the run: the report still arrives, with the script\'s output and exit code', async () => {
    const boom = () => {
      throw new Error('observer bug');
    };
    const { report } = await run(request('exit3.py'), { onStarted: boom, onSamples: boom, onTasks: boom, onOutput: boom });
    assert.equal(report.exitCode, 3);
    assert.equal(report.cancelled, false);
  });
});

describe('end to end: cancellation leaves nothing running', function () {
  this.timeout(180_000);

  it('20 cancel cycles end the whole tree, setsid\'d workers included (checked through procfs)', async () => {
    const durations: number[] = [];
    for (let cycle = 0; cycle < 20; cycle++) {
      let out = '';
      const handle = await startRun(request('cancel_tree.py', { args: [cycle % 2 === 0 ? 'stubborn' : 'polite'] }), {
        onOutput: (data) => { out += data.toString('utf8'); },
      });
      const root = handle.pid as number;
      const cmdline = (readSmall(`/proc/${root}/cmdline`) ?? '').split('\0');
      const eventsDir = cmdline[cmdline.indexOf('--events-dir') + 1];
      assert.ok(eventsDir && existsSync(eventsDir), 'the events folder exists while running');
      await waitFor(() => /ready [\d ]+\n/.test(out), 20_000, `the tree of cycle ${cycle} (output: ${out})`);
      const pids = [root, ...(/ready ([\d ]+)\n/.exec(out)?.[1].trim().split(' ').map(Number) ?? [])];
      assert.ok(pids.length >= 5, `root, 2 pool workers, the escapee and its child: ${pids}`);
      const tree = pids.map((pid) => ({ pid, start: startTimeOf(pid) }));
      const started = Date.now();
      await handle.cancel();
      durations.push(Date.now() - started);
      const survivors = tree.filter((p) => alive(p.pid, p.start));
      assert.deepEqual(survivors, [], `cycle ${cycle}: still running after cancel()`);
      // Nothing else in the group or session either.
      const rootStart = tree[0].start;
      for (const pid of listNumeric('/proc')) {
        const text = readSmall(`/proc/${pid}/stat`);
        const stat = text === null ? null : parseTaskStat(text);
        if (stat && stat.startTime >= rootStart && (stat.pgrp === root || stat.session === root)) {
          assert.ok(stat.state === 'Z', `cycle ${cycle}: ${pid} (${stat.comm}) left in the group`);
        }
      }
      const report = await handle.done;
      assert.equal(report.cancelled, true);
      assert.ok(!existsSync(eventsDir), 'the events folder is removed');
    }
    durations.sort((a, b) => a - b);
    console.log(`      cancel took ${durations[0]}–${durations[durations.length - 1]} ms (median ${durations[10]} ms)`);
    assert.ok(durations[durations.length - 1] < 5000, `the slowest cancel took ${durations[durations.length - 1]} ms`);
  });
});

describe('end to end: the host process going away', function () {
  this.timeout(60_000);

  /** The tree `cancel_tree.py` reports, and the events folder its harness writes to. */
  async function treeOf(child: { stdout: NodeJS.ReadableStream }): Promise<{ tree: { pid: number; start: number }[]; eventsDir: string }> {
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
    await waitFor(() => /ready [\d ]+\n/.test(out), 30_000, `the tree (output: ${out})`);
    const pids = /ready ([\d ]+)\n/.exec(out)?.[1].trim().split(' ').map(Number) ?? [];
    const tree = pids.map((pid) => ({ pid, start: startTimeOf(pid) }));
    const root = parseTaskStat(readSmall(`/proc/${pids[0]}/stat`) ?? '')?.ppid as number; // the pool worker's parent: the script
    const cmdline = (readSmall(`/proc/${root}/cmdline`) ?? '').split('\0');
    const eventsDir = cmdline[cmdline.indexOf('--events-dir') + 1];
    assert.ok(eventsDir && existsSync(eventsDir), `the events folder of ${root}: ${cmdline.join(' ')}`);
    return { tree, eventsDir };
  }

  it('Ctrl+C on `parascope run` cancels the whole tree and exits non-zero with the summary', async () => {
    const child = spawn(process.execPath, [CLI, 'run', 'cancel_tree.py', '--', 'stubborn'], { cwd: SCRIPTS, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    const { tree, eventsDir } = await treeOf(child);
    const exited = new Promise<number | null>((ok) => child.once('exit', (code) => ok(code)));
    child.kill('SIGINT');
    const code = await exited;
    assert.ok(code !== 0 && code !== null, `exit code ${code}`);
    assert.deepEqual(tree.filter((p) => alive(p.pid, p.start)), []);
    assert.match(stdout, /\nparascope: cancel_tree\.py was cancelled after/, 'the summary comes last, on stdout');
    assert.ok(!existsSync(eventsDir), 'the events folder is removed');
  });

  /** A host process that starts `cancel_tree.py stubborn` and, once its tree is up, runs `end`. */
  function host(end: string) {
    const runModule = resolve('out', 'src', 'core', 'run', 'run.js');
    const code = `
      const { startRun } = require(${JSON.stringify(runModule)});
      startRun({ script: ${JSON.stringify(join(SCRIPTS, 'cancel_tree.py'))}, args: ['stubborn'], cwd: ${JSON.stringify(SCRIPTS)}, python: null,
        pool: { kind: 'asis', workers: null, startMethod: null, chunksize: null }, intervalMs: 100 },
        { onOutput: (d) => { process.stdout.write(d); if (/ready/.test(d.toString())) setTimeout(() => { ${end}; }, 300); } });`;
    return spawn(process.execPath, ['-e', code], { stdio: ['pipe', 'pipe', 'inherit'] });
  }

  it('a host process that exits mid-run takes the tree with it', async () => {
    const child = host('process.exit(0)');
    const { tree, eventsDir } = await treeOf(child);
    await new Promise((ok) => child.once('exit', ok));
    await waitFor(() => tree.every((p) => !alive(p.pid, p.start)), 3000, 'the tree to be gone');
    assert.ok(!existsSync(eventsDir), 'the events folder is removed');
  });

  it('a host process killed outright (SIGKILL: no exit handler runs) leaves nothing running either', async () => {
    const child = host("process.kill(process.pid, 'SIGKILL')");
    const { tree, eventsDir } = await treeOf(child);
    const signal = await new Promise((ok) => child.once('exit', (_code, sig) => ok(sig)));
    assert.equal(signal, 'SIGKILL');
    try {
      // The harness notices it was re-parented (it checks about every 200 ms) and ends the run itself.
      await waitFor(() => tree.every((p) => !alive(p.pid, p.start)), 10_000, 'the tree to be gone');
      await waitFor(() => !existsSync(eventsDir), 2000, 'the events folder to be removed');
    } finally {
      for (const p of tree) if (alive(p.pid, p.start)) process.kill(p.pid, 'SIGKILL'); // never leave them to the next tests
    }
  });
});

describe('end to end: parascope run on the command line', function () {
  this.timeout(90_000);
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'parascope e2e ünï '));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('exits with the script\'s exit code (3) and prints the summary on stdout after the program\'s output', () => {
    const result = cli(['run', 'exit3.py']);
    assert.equal(result.status, 3, result.stderr.toString());
    const stdout = result.stdout.toString();
    assert.ok(stdout.startsWith('about to exit with 3\n'), 'the program\'s output comes first, unchanged');
    assert.match(stdout.slice('about to exit with 3\n'.length), /^parascope: exit3\.py exited 3 after \d+\.\d\d s/);
  });

  it('passes binary garbage on stdout through untouched', () => {
    const result = cli(['run', 'binary.py']);
    assert.equal(result.status, 0, result.stderr.toString());
    const expected = Buffer.concat([Buffer.from(Array.from({ length: 64 }, () => [...Array(256).keys()]).flat()), Buffer.from([0xff, 0xfe, 0x00, 0xc3, 0x28, 0x0a])]);
    const program = result.stdout.subarray(0, expected.length);
    assert.ok(program.equals(expected), `the program's bytes differ: ${result.stdout.length} bytes, expected ${expected.length} then the summary`);
    assert.match(result.stdout.subarray(expected.length).toString(), /^parascope: binary\.py exited 0/);
    assert.match(result.stderr.toString(), /^done writing 16390 bytes$/m);
  });

  it('pipes stdin through to the script', () => {
    const result = cli(['run', 'echo_stdin.py'], { input: 'hello\nwörld\n' });
    assert.equal(result.status, 0, result.stderr.toString());
    const stdout = result.stdout.toString();
    assert.ok(stdout.startsWith('HELLO\nWÖRLD\nEOF\n'), stdout);
    assert.match(stdout.slice('HELLO\nWÖRLD\nEOF\n'.length), /^parascope: echo_stdin\.py exited 0/);
  });

  it('runs a script with spaces and non-ASCII in its name, its folder and its arguments, and writes all three reports there', () => {
    const folder = join(dir, 'dossier été', '目录 x');
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, 'mon script é.py'), 'import json, os, sys\nprint(json.dumps({"argv": sys.argv[1:], "cwd": os.getcwd(), "file": __file__}, ensure_ascii=False))\n');
    const result = cli(['run', 'mon script é.py', '--json', 'rapports/r é.json', '--html', 'rapports/r é.html', '--trace', 'rapports/r é.trace.json', '--', 'arg with space', 'ärg'], { cwd: folder });
    assert.equal(result.status, 0, result.stderr.toString());
    const said = JSON.parse(result.stdout.toString().split('\n')[0]) as { argv: string[]; cwd: string; file: string };
    assert.deepEqual(said.argv, ['arg with space', 'ärg']);
    assert.equal(said.cwd, folder);
    assert.equal(said.file, join(folder, 'mon script é.py'));
    const report = JSON.parse(readFileSync(join(folder, 'rapports', 'r é.json'), 'utf8')) as Report;
    assert.equal(report.schema, 'parascope.report/1');
    assert.equal(report.script, join(folder, 'mon script é.py'));
    assert.deepEqual(report.args, ['arg with space', 'ärg']);
    assert.match(readFileSync(join(folder, 'rapports', 'r é.html'), 'utf8'), /^<!DOCTYPE html>/);
    assert.ok(Array.isArray((JSON.parse(readFileSync(join(folder, 'rapports', 'r é.trace.json'), 'utf8')) as { traceEvents: unknown[] }).traceEvents));
  });

  it('explains Python 2 clearly (exit 2, no stack trace)', function () {
    const python2 = findPython2();
    if (!python2) throw new Error('this machine has no Python 2 (pyenv install 2.7.18)');
    const result = cli(['run', 'exit3.py', '--python', python2]);
    assert.equal(result.status, 2);
    const stderr = result.stderr.toString();
    assert.match(stderr, /^parascope run: .*python is Python 2\.7\.\d+; Parascope needs Python 3\.8 or later\. Choose a Python 3\.8\+ interpreter/);
    assert.doesNotMatch(stderr, /\n\s+at /);
    assert.equal(result.stdout.length, 0);
  });

  it('explains a missing interpreter and a missing script (exit 2)', () => {
    const missing = cli(['run', 'exit3.py', '--python', '/nonexistent/python3']);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr.toString(), /^parascope run: Python interpreter not found: \/nonexistent\/python3 does not exist\./);
    const noScript = cli(['run', 'no such script.py']);
    assert.equal(noScript.status, 2);
    assert.match(noScript.stderr.toString(), /^parascope run: Script not found: .*no such script\.py\./);
  });
});
