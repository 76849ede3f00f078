import * as assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseEventLine, toEvent, type HarnessEvent } from '../../../src/core/run/events';
import { EventTailer } from '../../../src/core/run/tail';
import { RunCollector } from '../../../src/core/run/collect';

const FIXTURES = join('test', 'fixtures', 'run');

async function tailAll(dir: string) {
  const events: HarnessEvent[] = [];
  const tailer = new EventTailer(dir, (e) => events.push(e));
  await tailer.poll();
  await tailer.finish();
  return { events, stats: tailer.stats };
}

describe('harness event lines', () => {
  it('types a task line and fills defaults for optional fields', () => {
    const result = parseEventLine('{"ev":"task","t":5,"pid":7,"start":1,"end":2,"site":{"file":"a.py","line":3}}');
    assert.ok('event' in result);
    const event = result.event;
    assert.equal(event.ev, 'task');
    if (event.ev !== 'task') return;
    assert.equal(event.tid, 7, 'tid defaults to the pid');
    assert.equal(event.cpuSeconds, 0);
    assert.deepEqual(event.site, { file: 'a.py', line: 3 });
    assert.equal(event.ok, true);
  });

  it('calls non-JSON, non-objects and lines missing what their type needs corrupt', () => {
    assert.ok('corrupt' in parseEventLine('{"ev":"task",'));
    assert.ok('corrupt' in parseEventLine('[1,2]'));
    assert.ok('corrupt' in parseEventLine('{"ev":"task","t":1,"pid":2,"start":"x","end":1}'));
    assert.ok('corrupt' in parseEventLine('{"t":1,"pid":2}'));
    assert.ok('corrupt' in parseEventLine('{"ev":"pool","t":1,"pid":2,"poolId":"p","requested":{"kind":"banana"}}'));
  });

  it('ignores unknown event types and blank lines (a newer harness may add types)', () => {
    assert.ok('ignored' in parseEventLine('{"ev":"future_thing","t":1,"pid":2}'));
    assert.ok('ignored' in parseEventLine('   '));
    assert.equal(toEvent({ ev: 'future_thing', t: 1, pid: 2 }), undefined);
  });
});

describe('event tailing', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'parascope-tail-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads the recorded files of a run', async () => {
    const { events, stats } = await tailAll(join(FIXTURES, 'basic'));
    assert.equal(stats.files, 2);
    assert.equal(stats.corruptLines, 0);
    assert.equal(stats.events, events.length);
    assert.equal(stats.droppedEvents, 7);
    assert.deepEqual([...new Set(events.map((e) => e.ev))].sort(), ['dropped', 'finding', 'lane', 'pool', 'pool_end', 'process', 'task', 'worker_exit', 'worker_start']);
  });

  it('counts and skips corrupt, wrong-typed and truncated lines, never throws', async () => {
    const { events, stats } = await tailAll(join(FIXTURES, 'corrupt'));
    assert.equal(stats.files, 3, 'events-*.jsonl only');
    assert.equal(stats.corruptLines, 5);
    assert.deepEqual(events.map((e) => e.ev), ['process', 'task', 'hang', 'worker_start']);
  });

  it('reads only new bytes, keeps a partial line (even a split UTF-8 character) until it completes', async () => {
    const file = join(dir, 'events-42.jsonl');
    const events: HarnessEvent[] = [];
    const tailer = new EventTailer(dir, (e) => events.push(e));
    await tailer.poll(); // nothing yet: no error
    const line = Buffer.from('{"ev":"finding","t":1,"pid":42,"rule":"PAR005","message":"verrou é 🔒","site":{"file":"/tmp/ünï.py","line":3}}\n', 'utf8');
    const cut = line.indexOf(Buffer.from('🔒')) + 2; // inside the 4-byte emoji
    writeFileSync(file, line.subarray(0, cut));
    await tailer.poll();
    assert.equal(events.length, 0);
    appendFileSync(file, line.subarray(cut));
    await tailer.poll();
    assert.equal(events.length, 1);
    const finding = events[0];
    assert.ok(finding.ev === 'finding' && finding.message === 'verrou é 🔒' && finding.site?.file === '/tmp/ünï.py');
    appendFileSync(file, '{"ev":"dropped","t":2,"pid":42,"count":3}\n{"ev":"dropped","t":3,"pid":42,"co');
    await tailer.poll();
    assert.equal(events.length, 2);
    await tailer.finish();
    assert.equal(events.length, 2);
    assert.equal(tailer.stats.corruptLines, 1, 'the line cut short at the end');
    assert.equal(tailer.stats.droppedEvents, 3);
  });

  it('accepts a complete last line that lacks its newline', async () => {
    writeFileSync(join(dir, 'events-1.jsonl'), '{"ev":"pool_end","t":1,"pid":1,"poolId":"p"}');
    const { events, stats } = await tailAll(dir);
    assert.equal(events.length, 1);
    assert.equal(stats.corruptLines, 0);
  });

  it('survives a file that shrinks and a folder that disappears', async () => {
    const file = join(dir, 'events-5.jsonl');
    const events: HarnessEvent[] = [];
    const tailer = new EventTailer(dir, (e) => events.push(e));
    writeFileSync(file, '{"ev":"pool_end","t":1,"pid":5,"poolId":"a"}\n{"ev":"pool_end","t":1,"pid":5,"poolId":"b"}\n');
    await tailer.poll();
    writeFileSync(file, '{"ev":"pool_end","t":1,"pid":5,"poolId":"c"}\n');
    await tailer.poll();
    rmSync(dir, { recursive: true, force: true });
    await tailer.poll();
    await tailer.finish();
    assert.deepEqual(events.map((e) => (e.ev === 'pool_end' ? e.poolId : '')), ['a', 'b', 'c']);
  });

  it('drops an absurdly long line without a newline instead of holding it', async () => {
    const file = join(dir, 'events-6.jsonl');
    const tailer = new EventTailer(dir, () => undefined);
    writeFileSync(file, Buffer.alloc(17 * 1024 * 1024, 0x61));
    await tailer.poll();
    appendFileSync(file, 'tail of the same line\n{"ev":"pool_end","t":1,"pid":6,"poolId":"z"}\n');
    await tailer.poll();
    await tailer.finish();
    assert.equal(tailer.stats.corruptLines, 1);
    assert.equal(tailer.stats.events, 1);
  });
});

describe('folding events into workers and tasks', () => {
  it('builds workers (threads, processes, lanes), tasks in seconds since the start, deduplicated findings', async () => {
    const { events } = await tailAll(join(FIXTURES, 'basic'));
    const collector = new RunCollector(1_700_000_000);
    for (const e of events) collector.add(e);
    const run = collector.snapshot();
    assert.deepEqual(run.workers.map((w) => [w.pid, w.tid, w.kind]), [[1000, 1001, 'thread'], [1000, 1002, 'thread'], [1000, 1003, 'lane'], [1010, 1010, 'process']]);
    assert.equal(run.workers[2].laneKind, 'thread');
    assert.equal(run.workers[2].name, 'Thread-3 (download)');
    assert.equal(run.tasks.length, 6, '4 thread tasks, 1 lane span, 1 process task');
    const first = run.tasks[0];
    assert.ok(Math.abs(first.start - 0.1) < 1e-6 && Math.abs(first.end - 0.6) < 1e-6);
    assert.equal(run.tasks.filter((t) => !t.ok).length, 1);
    assert.equal(run.tasks.find((t) => !t.ok)?.error, 'ValueError: bad input');
    assert.equal(run.workers[0].tasks, 2);
    assert.equal(run.workers[0].cpuSeconds, 0.5);
    // Alive 0.1–1.2 s (its first task started before its start event landed), busy 1.0 s of it.
    assert.ok(Math.abs(run.workers[0].busyShare - 1 / 1.1) < 1e-3, `busy ${run.workers[0].busyShare}`);
    assert.equal(run.findings.length, 1, 'the same finding twice is reported once');
    assert.deepEqual(run.findings[0], {
      rule: 'PAR005', severity: 'error', message: "cannot pickle '_thread.lock' object", file: '/src/work.py', line: 25,
      source: 'runtime', path: 'args[0].lock', type: '_thread.lock',
    });
    assert.equal(run.pools.length, 1);
    assert.equal(run.processes.length, 2);
  });

  it('drains only what changed since the last call', () => {
    const collector = new RunCollector(100);
    collector.add({ ev: 'worker_start', t: 100.1, pid: 1, poolId: 'p', tid: 2, kind: 'thread' });
    let drained = collector.drain();
    assert.equal(drained.workers.length, 1);
    assert.equal(drained.tasks.length, 0);
    assert.deepEqual(collector.drain(), { workers: [], tasks: [] });
    collector.add({
      ev: 'task', t: 100.5, pid: 1, poolId: 'p', taskId: 1, tid: 2, start: 100.2, end: 100.5, cpuSeconds: 0.3,
      argBytes: 0, resultBytes: 0, pickleSeconds: 0, site: null, ok: true,
    });
    drained = collector.drain();
    assert.equal(drained.tasks.length, 1);
    assert.equal(drained.workers[0].tasks, 1);
    assert.deepEqual(collector.drain(), { workers: [], tasks: [] });
  });
});
