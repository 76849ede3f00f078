import * as assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fitWorkload, ProcfsSampler, procfsAvailable } from '../../../src/core/sample/procfsSampler';
import { OsCpusSampler, osCoreBusy } from '../../../src/core/sample/osCpusSampler';
import { readCpuQuota } from '../../../src/core/sample/cgroup';
import { FdCache } from '../../../src/core/sample/read';
import { parseSchedstat } from '../../../src/core/sample/procfs';

interface Task {
  pid: number; comm?: string; state?: string; ppid?: number; pgrp?: number; session?: number;
  utime?: number; stime?: number; cutime?: number; cstime?: number; threads?: number; start?: number; processor?: number;
}

function statLine(t: Task): string {
  const f = [
    t.state ?? 'S', t.ppid ?? 1, t.pgrp ?? t.pid, t.session ?? t.pgrp ?? t.pid, 0, -1, 0, 0, 0, 0, 0,
    t.utime ?? 0, t.stime ?? 0, t.cutime ?? 0, t.cstime ?? 0, 20, 0, t.threads ?? 1, 0, t.start ?? 1000,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 17, t.processor ?? 0, 0, 0, 0, 0, 0,
  ];
  return `${t.pid} (${t.comm ?? 'python3'}) ${f.join(' ')}\n`;
}

/** A procfs stand-in on disk, rewritten between samples. */
class FakeProc {
  readonly root = mkdtempSync(join(tmpdir(), 'parascope-fakeproc-'));
  stat(cores: [number, number][], forks: number): void {
    const lines = cores.map(([busy, idle], i) => `cpu${i} ${busy} 0 0 ${idle} 0 0 0 0 0 0`);
    writeFileSync(join(this.root, 'stat'), `cpu  0 0 0 0 0 0 0 0 0 0\n${lines.join('\n')}\nprocesses ${forks}\n`);
  }
  process(t: Task): void {
    mkdirSync(join(this.root, String(t.pid), 'task'), { recursive: true });
    writeFileSync(join(this.root, String(t.pid), 'stat'), statLine(t));
  }
  thread(pid: number, t: Task & { runNs: number; waitNs?: number; syscall?: string }): void {
    const dir = join(this.root, String(pid), 'task', String(t.pid));
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'stat'), statLine(t));
    writeFileSync(join(dir, 'schedstat'), `${t.runNs} ${t.waitNs ?? 0} 1\n`);
    writeFileSync(join(dir, 'syscall'), `${t.syscall ?? 'running'}\n`);
  }
  remove(pid: number): void {
    rmSync(join(this.root, String(pid)), { recursive: true, force: true });
  }
  dispose(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}

const MS = 1e6;

describe('procfs sampler (recorded tree on disk, driven clock)', () => {
  let fake: FakeProc;
  let now = 0;
  beforeEach(() => {
    fake = new FakeProc();
    now = 0;
  });
  afterEach(() => fake.dispose());

  function sampler() {
    // Files are rewritten and removed under the sampler: no open files kept (procfs would fail them with ESRCH).
    return new ProcfsSampler({ rootPid: 100, intervalMs: 100, startMs: 0, procRoot: fake.root, now: () => now, arch: 'x64', keepFilesOpen: false });
  }

  it('measures cores used from thread schedstat, attributes them to cores, folds reaped children in once', () => {
    fake.stat([[0, 0], [0, 0]], 10);
    fake.process({ pid: 100, ppid: 1, pgrp: 100, session: 100, threads: 3, start: 1000 });
    fake.thread(100, { pid: 100, runNs: 0 });
    fake.thread(100, { pid: 101, runNs: 0, processor: 0 });
    fake.thread(100, { pid: 102, runNs: 0, processor: 1 });
    fake.process({ pid: 500, ppid: 1, start: 10 }); // someone else's
    fake.thread(500, { pid: 500, runNs: 0 });
    const s = sampler();
    s.start();

    // 100 ms: both workers ran 50 ms; 102 is blocked on a futex while 101 runs.
    now = 100;
    fake.stat([[10, 0], [5, 5]], 10);
    fake.process({ pid: 100, ppid: 1, pgrp: 100, session: 100, threads: 3, start: 1000, utime: 10 });
    fake.thread(100, { pid: 101, runNs: 50 * MS, waitNs: 10 * MS, state: 'R', processor: 0 });
    fake.thread(100, { pid: 102, runNs: 50 * MS, state: 'S', processor: 1, syscall: '202 0x7f 0x80 0x2' });
    fake.thread(500, { pid: 500, runNs: 90 * MS });
    s.tick();

    // 200 ms: a pool worker (pid 110) appeared and ran 30 ms; the fork counter moved.
    now = 200;
    fake.stat([[20, 0], [15, 5]], 11);
    fake.process({ pid: 100, ppid: 1, pgrp: 100, session: 100, threads: 3, start: 1000, utime: 20 });
    fake.thread(100, { pid: 101, runNs: 100 * MS, waitNs: 10 * MS, state: 'R', processor: 0 });
    fake.thread(100, { pid: 102, runNs: 100 * MS, state: 'S', processor: 1, syscall: '202 0x7f 0x80 0x2' });
    fake.process({ pid: 110, ppid: 100, pgrp: 100, session: 100, threads: 1, start: 1015, utime: 3 });
    fake.thread(110, { pid: 110, runNs: 30 * MS, state: 'R', processor: 1 });
    s.tick();

    // 300 ms: 110 finished and was reaped (5 ticks in all: 20 ms since the last sample); 101 moved to core 1.
    now = 300;
    fake.stat([[30, 0], [25, 5]], 11);
    fake.remove(110);
    fake.process({ pid: 100, ppid: 1, pgrp: 100, session: 100, threads: 3, start: 1000, utime: 30, cutime: 5 });
    fake.thread(100, { pid: 101, runNs: 150 * MS, waitNs: 10 * MS, state: 'R', processor: 1 });
    fake.thread(100, { pid: 102, runNs: 150 * MS, state: 'S', processor: 1, syscall: '202 0x7f 0x80 0x2' });
    s.tick();
    s.stop(false);

    const r = s.result();
    assert.equal(r.kind, 'procfs');
    assert.deepEqual(r.coreIds, [0, 1]);
    assert.deepEqual(r.samples.map((x) => x.t), [0.1, 0.2, 0.3]);
    const cores = r.samples.map((x) => Number(x.coresUsed.toFixed(3)));
    assert.deepEqual(cores, [1, 1.3, 1.2]);
    assert.ok(Math.abs(r.cpuSeconds - 0.35) < 1e-9, `cpu ${r.cpuSeconds}`);
    // First interval: core 0 fully busy, half of it the workload; core 1 half busy, all of it the workload.
    assert.deepEqual(r.samples[0].busy, [1, 0.5]);
    assert.deepEqual(r.samples[0].workload, [0.5, 0.5]);
    assert.deepEqual(r.processes.map((p) => p.pid).sort(), [100, 110]);
    const worker = r.processes.find((p) => p.pid === 110);
    assert.ok(worker && worker.cpuStart === 1 && Math.abs(worker.cpuSeconds - 0.03) < 1e-9);
    const t101 = r.threads.find((t) => t.tid === 101);
    const t102 = r.threads.find((t) => t.tid === 102);
    assert.ok(t101 && t102);
    assert.ok(Math.abs(t101.cpuSeconds - 0.15) < 1e-9);
    assert.equal(t101.migrations, 1);
    assert.ok(Math.abs(t101.runDelaySeconds - 0.01) < 1e-9);
    assert.equal(t102.futexWaits, 3, 'blocked on the futex at every sample while 101 ran');
    assert.equal(t102.gilProbes, 3);
    assert.equal(t101.futexWaits, 0);
    assert.equal(t101.gilProbes, 3, 'the running thread is probed too: the share is of all task time');
    assert.equal(r.threads.filter((t) => t.pid === 500).length, 0, 'other programs are not sampled');
  });

  it('reads a bounded number of threads per sample, round-robin, and takes totals from the process', () => {
    const threads = 40;
    const write = (tick: number) => {
      fake.stat([[tick * 10, 0], [tick * 10, 0]], 5);
      // 40 threads × 10 ms each per 100 ms: 4 cores' worth (a fake machine), 40 ticks per sample.
      fake.process({ pid: 100, ppid: 1, pgrp: 100, session: 100, threads, start: 1000, utime: tick * 40 });
      for (let i = 0; i < threads; i++) fake.thread(100, { pid: 1000 + i, runNs: tick * 10 * MS, state: 'S', processor: i % 2 });
    };
    write(0);
    const s = sampler();
    s.start();
    for (let tick = 1; tick <= 6; tick++) {
      now = tick * 100;
      write(tick);
      s.tick();
    }
    s.stop(false);
    const r = s.result();
    assert.deepEqual(r.samples.map((x) => Number(x.coresUsed.toFixed(3))), [4, 4, 4, 4, 4, 4], 'from the process stat');
    const seen = r.threads.map((t) => Number(t.cpuSeconds.toFixed(3)));
    assert.equal(seen.length, threads);
    // 6 samples × 16 threads = 96 reads ≥ 2 per thread: every thread's cumulative counter was caught up.
    assert.ok(seen.every((cpu) => cpu >= 0.03), `per-thread CPU ${seen.join(' ')}`);
    assert.ok(Math.abs(seen.reduce((a, b) => a + b, 0) - 2.4) <= 0.4 + 1e-9, 'no thread is read twice for the same time');
    assert.deepEqual(r.samples[5].workload, [1, 1], 'spread over the cores as the threads ran, capped by busy time');
  });

  it('finds a worker created between pid scans even when nothing else is created afterwards', () => {
    fake.stat([[0, 0]], 10);
    fake.process({ pid: 100, ppid: 1, pgrp: 100, session: 100, start: 1000 });
    fake.thread(100, { pid: 100, runNs: 0 });
    const s = sampler();
    s.start();
    now = 100;
    fake.stat([[10, 0]], 11); // something forked: /proc is scanned now
    s.tick();
    now = 200;
    fake.stat([[20, 0]], 12); // the worker appears, too soon after the last scan
    fake.process({ pid: 110, ppid: 100, pgrp: 100, session: 100, start: 1015, utime: 5 });
    fake.thread(110, { pid: 110, runNs: 50 * MS });
    s.tick();
    for (let tick = 3; tick <= 7; tick++) {
      now = tick * 100;
      fake.stat([[tick * 10, 0]], 12); // no fork since
      s.tick();
    }
    s.stop(false);
    const worker = s.result().processes.find((p) => p.pid === 110);
    assert.ok(worker, 'the worker was found');
    assert.equal(worker.cpuStart, 5, 'at the first scan 500 ms after the previous one');
    assert.ok(Math.abs(worker.cpuSeconds - 0.05) < 1e-9);
  });

  it('keeps finding a setsid() worker after its parent died (cancellation relies on it)', () => {
    fake.stat([[0, 0]], 1);
    fake.process({ pid: 100, ppid: 1, pgrp: 100, session: 100, start: 1000 });
    fake.thread(100, { pid: 100, runNs: 0 });
    fake.process({ pid: 120, ppid: 100, pgrp: 120, session: 120, start: 1020 });
    fake.thread(120, { pid: 120, runNs: 0 });
    const s = sampler();
    s.start();
    assert.deepEqual(s.scanTree().map((t) => t.pid).sort(), [100, 120]);
    fake.remove(100);
    fake.process({ pid: 120, ppid: 1, pgrp: 120, session: 120, start: 1020 });
    assert.deepEqual(s.scanTree().map((t) => t.pid), [120]);
    fake.process({ pid: 120, ppid: 1, pgrp: 120, session: 120, start: 1020, state: 'Z' });
    assert.deepEqual(s.scanTree(), [], 'a zombie is already dead');
    s.stop(false);
  });

  it('never samples faster than every 100 ms', () => {
    const s = new ProcfsSampler({ rootPid: 1, intervalMs: 10, startMs: 0, procRoot: fake.root });
    assert.equal(s.result().intervalMs, 100);
  });
});

describe('os.cpus() sampler (the coarse fallback)', () => {
  it('computes busy shares from os.cpus() ticks and says it is coarse', () => {
    let now = 0;
    let reading = [{ times: { user: 0, nice: 0, sys: 0, idle: 0, irq: 0 } }];
    const s = new OsCpusSampler({ intervalMs: 100, startMs: 0, now: () => now, readCpus: () => reading });
    s.start();
    now = 100;
    reading = [{ times: { user: 30, nice: 0, sys: 10, idle: 60, irq: 0 } }];
    s.tick();
    s.stop(false);
    const r = s.result();
    assert.equal(r.kind, 'os.cpus');
    assert.equal(r.coarse, true);
    assert.deepEqual(r.samples.map((x) => x.busy), [[0.4]]);
    assert.equal(osCoreBusy({ user: 0, nice: 0, sys: 0, idle: 0, irq: 0 }, { user: 0, nice: 0, sys: 0, idle: 0, irq: 0 }), 0);
  });
});

describe('cgroup quota', () => {
  it('reads the tightest cpu.max up the cgroup v2 tree', async () => {
    const root = mkdtempSync(join(tmpdir(), 'parascope-fakecg-'));
    try {
      mkdirSync(join(root, 'proc', 'self'), { recursive: true });
      writeFileSync(join(root, 'proc', 'self', 'cgroup'), '0::/app/job\n');
      mkdirSync(join(root, 'sys', 'fs', 'cgroup', 'app', 'job'), { recursive: true });
      writeFileSync(join(root, 'sys', 'fs', 'cgroup', 'app', 'job', 'cpu.max'), 'max 100000\n');
      writeFileSync(join(root, 'sys', 'fs', 'cgroup', 'app', 'cpu.max'), '150000 100000\n');
      const quota = await readCpuQuota(root);
      assert.equal(quota.cpus, 1.5);
      assert.match(quota.source ?? '', /app\/cpu\.max$/);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('procfs sampler on a real process', function () {
  this.timeout(20_000);
  it('measures the CPU time a busy child reports for itself, within one interval', async function () {
    if (!procfsAvailable()) throw new Error('this suite needs Linux procfs');
    const code = 'import time, sys\nt=time.time()\nwhile time.time()-t<0.8: pass\nsys.stdout.write("%f" % time.process_time())';
    // The interpreter itself, not a wrapper (a pyenv shim's helpers would add their own CPU time).
    const python = execFileSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).trim();
    const child = spawn(python, ['-c', code], { stdio: ['ignore', 'pipe', 'ignore'], detached: true });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    await new Promise((resolve) => child.once('spawn', resolve));
    const start = performance.now();
    const s = new ProcfsSampler({ rootPid: child.pid as number, intervalMs: 100, startMs: start });
    s.start();
    await new Promise((resolve) => child.once('close', resolve));
    s.stop(true);
    const r = s.result();
    const truth = Number(out);
    assert.ok(truth > 0, `the child reported ${out}`);
    assert.ok(r.samples.length >= 4, `${r.samples.length} samples`);
    // The interval in which the process exited is lost with it (≤ 100 ms of one core).
    assert.ok(r.cpuSeconds <= truth + 0.06 && r.cpuSeconds >= truth - 0.15, `sampled ${r.cpuSeconds} s, the child used ${truth} s`);
    const cores = r.cpuSeconds / (r.lastAt - r.startedAt);
    assert.ok(cores <= 1.1, `one thread cannot use ${cores} cores`);
    assert.ok(r.threads.some((t) => t.pid === child.pid && t.cpuSeconds > 0));
    assert.ok(r.samples.every((x) => x.busy.every((b) => b >= 0 && b <= 1) && x.workload.every((w, i) => w <= x.busy[i] + 1e-9)));
  });
});

describe('open procfs files (FdCache)', function () {
  this.timeout(20_000);
  it('re-reads fresh content with pread, and reports a task that is gone', async () => {
    const child = spawn('python3', ['-c', 'import time\nt=time.time()\nwhile time.time()-t<0.4: pass\ntime.sleep(30)'], { stdio: 'ignore' });
    await new Promise((resolve) => child.once('spawn', resolve));
    const files = new FdCache();
    const path = `/proc/${child.pid}/schedstat`;
    const first = parseSchedstat(files.read(path) ?? '');
    await new Promise((resolve) => setTimeout(resolve, 300));
    const second = parseSchedstat(files.read(path) ?? '');
    assert.ok(first && second && second.runNs > first.runNs, 'the counter moved on the same open file');
    assert.equal(files.size, 1);
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    assert.equal(files.read(path), null);
    assert.equal(files.size, 0, 'closed once the task is gone');
    files.closeAll();
  });
});

describe('per-core workload attribution', () => {
  it('caps each core at its busy share and moves the excess to cores with room', () => {
    const fitted = fitWorkload([0.9, 0.1], [0.5, 1]);
    assert.deepEqual(fitted.map((x) => Number(x.toFixed(6))), [0.5, 0.5]);
    assert.deepEqual(fitWorkload([0.3, 0.2], [1, 1]), [0.3, 0.2]);
    const saturated = fitWorkload([1.5, 0.5], [1, 0.8]);
    assert.deepEqual(saturated.map((x) => Number(x.toFixed(6))), [1, 0.8]);
  });
});
