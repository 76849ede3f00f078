import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  coreUsage, futexSyscallNumber, parseProcStat, parseSchedstat, parseSchedstatBytes, parseSyscall, parseTaskStat, parseTaskStatBytes,
} from '../../../src/core/sample/procfs';
import { parseCfsQuota, parseCpuMax, parseProcCgroup } from '../../../src/core/sample/cgroup';

const fixture = (name: string) => readFileSync(join('test', 'fixtures', 'procfs', name), 'utf8');

describe('procfs parsers (recorded procfs text)', () => {
  it('reads every core of /proc/stat and the fork counter, without the aggregate line', () => {
    const stat = parseProcStat(fixture('stat-1.txt'));
    assert.deepEqual([...stat.cores.keys()], [0, 1]);
    const cpu0 = stat.cores.get(0);
    assert.ok(cpu0 && cpu0.user > 0 && cpu0.idle > 0);
    assert.ok(stat.forks !== null && stat.forks > 0);
  });

  it('computes busy and steal shares between two readings, iowait as idle, guest not counted twice', () => {
    const prev = { user: 100, nice: 0, system: 50, idle: 800, iowait: 20, irq: 5, softirq: 5, steal: 20, guest: 30, guestNice: 0 };
    const cur = { user: 160, nice: 0, system: 70, idle: 880, iowait: 40, irq: 5, softirq: 5, steal: 40, guest: 60, guestNice: 0 };
    // Δ: user 60 (guest 30 is inside it), system 20, idle 80, iowait 20, steal 20 → total 200
    const usage = coreUsage(prev, cur);
    assert.equal(usage.ticks, 200);
    assert.equal(usage.busy, 0.4);
    assert.equal(usage.steal, 0.1);
  });

  it('gives nothing for counters that did not move', () => {
    const t = { user: 1, nice: 0, system: 1, idle: 1, iowait: 0, irq: 0, softirq: 0, steal: 0, guest: 0, guestNice: 0 };
    assert.deepEqual(coreUsage(t, t), { busy: 0, steal: 0, ticks: 0 });
  });

  it('shares of two recorded /proc/stat readings stay within 0–1', () => {
    const a = parseProcStat(fixture('stat-1.txt'));
    const b = parseProcStat(fixture('stat-2.txt'));
    for (const [id, cur] of b.cores) {
      const usage = coreUsage(a.cores.get(id) as typeof cur, cur);
      assert.ok(usage.busy >= 0 && usage.busy <= 1 && usage.steal >= 0 && usage.steal <= 1, `core ${id}`);
      assert.ok(usage.ticks > 0);
    }
  });

  it('parses /proc/<pid>/stat whose comm holds spaces and parentheses', () => {
    const stat = parseTaskStat(fixture('pid-stat-weird-comm.txt'));
    assert.ok(stat);
    assert.equal(stat.pid, 10326);
    assert.equal(stat.comm, 'w (x) 1 2) S 9');
    assert.equal(stat.state, 'R');
    assert.equal(stat.ppid, 10324);
    assert.equal(stat.pgrp, 10324);
    assert.equal(stat.session, 6463);
    assert.equal(stat.utime, 4);
    assert.equal(stat.stime, 2);
    assert.equal(stat.cutime, 4);
    assert.equal(stat.cstime, 2);
    assert.equal(stat.numThreads, 1);
    assert.equal(stat.startTime, 169244);
    assert.equal(stat.processor, 1);
  });

  it('parses a thread blocked on the GIL: state S, last core from field 39', () => {
    const stat = parseTaskStat(fixture('thread-stat-futex.txt'));
    assert.ok(stat);
    assert.equal(stat.comm, 'python3');
    assert.equal(stat.state, 'S');
    assert.equal(stat.numThreads, 4);
    assert.equal(stat.utime, 7);
    assert.equal(stat.processor, 0);
  });

  it('parses the same from raw bytes, in a buffer longer than the file', () => {
    for (const name of ['pid-stat-weird-comm.txt', 'pid-stat-bash.txt', 'thread-stat-futex.txt']) {
      const bytes = Buffer.alloc(4096, 0x7a);
      const length = bytes.write(fixture(name), 0, 'utf8');
      assert.deepEqual(parseTaskStatBytes(bytes, length), parseTaskStat(fixture(name)), name);
    }
    const sched = Buffer.from(fixture('schedstat.txt'));
    assert.deepEqual(parseSchedstatBytes(sched, sched.length), parseSchedstat(fixture('schedstat.txt')));
    assert.equal(parseSchedstatBytes(Buffer.from('1 2\n'), 4), null);
    assert.equal(parseSchedstatBytes(Buffer.from('x y z'), 5), null);
  });

  it('rejects text that is not a stat line', () => {
    assert.equal(parseTaskStat(''), null);
    assert.equal(parseTaskStat('garbage'), null);
    assert.equal(parseTaskStat('12 (short) S 1 2'), null);
  });

  it('parses schedstat, including the all-zero form of kernels without schedstats', () => {
    const sched = parseSchedstat(fixture('schedstat.txt'));
    assert.ok(sched && sched.runNs > 0 && sched.slices > 0);
    assert.deepEqual(parseSchedstat(fixture('schedstat-disabled.txt')), { runNs: 0, waitNs: 0, slices: 0 });
    assert.equal(parseSchedstat('1 2'), null);
    assert.equal(parseSchedstat('a b c'), null);
  });

  it('reads the syscall a thread is blocked in, per architecture', () => {
    assert.equal(parseSyscall(fixture('syscall-futex-x86_64.txt')), 202);
    assert.equal(parseSyscall(fixture('syscall-futex-x86_64.txt')), futexSyscallNumber('x64'));
    assert.equal(parseSyscall(fixture('syscall-futex-aarch64.txt')), futexSyscallNumber('arm64'));
    assert.equal(parseSyscall(fixture('syscall-running.txt')), 'running');
    assert.equal(parseSyscall(fixture('syscall-not-in-call.txt')), null);
    assert.equal(futexSyscallNumber('arm64'), 98);
    assert.equal(futexSyscallNumber('mips'), null);
  });

  it('finds the cgroup v2 path and the v1 cpu hierarchy', () => {
    assert.deepEqual(parseProcCgroup(fixture('cgroup-v2.txt')), { v2: '/user.slice/user-1000.slice/session-3.scope', v1Cpu: null });
    const hybrid = parseProcCgroup(fixture('cgroup-v1-hybrid.txt'));
    assert.equal(hybrid.v2, '/');
    assert.equal(hybrid.v1Cpu, '/');
  });

  it('turns cpu.max and the v1 quota into CPUs (null when unlimited)', () => {
    assert.equal(parseCpuMax(fixture('cpu.max-limited.txt')), 1.5);
    assert.equal(parseCpuMax(fixture('cpu.max-unlimited.txt')), null);
    assert.equal(parseCpuMax(''), null);
    assert.equal(parseCfsQuota('-1\n', '100000\n'), null);
    assert.equal(parseCfsQuota('50000\n', '100000\n'), 0.5);
  });
});
