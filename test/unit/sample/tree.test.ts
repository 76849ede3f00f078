import * as assert from 'node:assert/strict';
import { procKey, selectWorkload, type ProcEntry } from '../../../src/core/sample/tree';

const p = (pid: number, ppid: number, startTime: number, pgrp = pid, session = pgrp): ProcEntry => ({ pid, ppid, pgrp, session, startTime });

describe('workload tree (pid + start time)', () => {
  const root = { pid: 100, startTime: 5000 };

  it('finds the root, its descendants by ppid and its group, not strangers', () => {
    const table = [
      p(1, 0, 1), p(50, 1, 10), // init and an unrelated daemon
      p(100, 50, 5000, 100, 100), // the root leads its group and session
      p(101, 100, 5001, 100, 100), p(102, 101, 5002, 100, 100), // pool worker and its child
      p(200, 1, 6000), // someone else's process
    ];
    const pids = selectWorkload(table, root).map((e) => e.pid).sort((a, b) => a - b);
    assert.deepEqual(pids, [100, 101, 102]);
  });

  it('keeps a worker that called setsid() through its parent, and after the parent died through the known set', () => {
    const alive = [p(100, 50, 5000, 100, 100), p(101, 100, 5001, 100, 100), p(103, 101, 5003, 103, 103)];
    const seen = selectWorkload(alive, root);
    assert.ok(seen.some((e) => e.pid === 103), 'setsid child found by ppid');
    const known = new Set(seen.map(procKey));
    // The parent died: the setsid'd worker was reparented to init, and the root exited too.
    const later = [p(1, 0, 1), p(103, 1, 5003, 103, 103)];
    assert.deepEqual(selectWorkload(later, root, known).map((e) => e.pid), [103]);
  });

  it('does not take a reused pid for a known process', () => {
    const known = new Set([procKey({ pid: 103, startTime: 5003 })]);
    const reused = [p(103, 1, 9999, 103, 103)];
    assert.deepEqual(selectWorkload(reused, root, known), []);
  });

  it('ignores a "child" that started before its parent (a reused parent pid)', () => {
    const table = [p(100, 50, 5000, 100, 100), p(300, 100, 4000, 300, 300)];
    assert.deepEqual(selectWorkload(table, root).map((e) => e.pid), [100]);
  });

  it('finds orphans left in the group after the root exited', () => {
    const table = [p(1, 0, 1), p(104, 1, 5004, 100, 100)];
    assert.deepEqual(selectWorkload(table, root).map((e) => e.pid), [104]);
  });
});
