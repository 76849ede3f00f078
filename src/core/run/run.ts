/**
 * `startRun`: launches a script under the Parascope harness, streams its output, samples every
 * core, tails the harness's events, and resolves `done` with the report once the whole process
 * tree is gone. The VS Code host, the CLI and the sweep all go through here. The lifecycle and
 * its rules are in `lifecycle.ts`; cancellation in `kill.ts`.
 */
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { UserFacingError } from '../errors';
import type { PoolOverrideKind, Report, StartMethod, TaskRecord, WorkerSummary } from '../report/model';
import type { LiveRunHeader, SampleBatch } from '../../protocol';
import { resolveInterpreter, type Interpreter } from '../python/interpreter';
import { createSampler, type SamplePoint, type Sampler } from '../sample';
import { readCpuQuota } from '../sample/cgroup';
import { buildReport, usableCpus } from '../report/build';
import { RunCollector } from './collect';
import { CANCEL_TIMINGS, CLEANUP_TIMINGS, killTreeSync, terminateTree, type KillContext } from './kill';
import { Lifecycle } from './lifecycle';
import { findHarnessRoot } from './paths';
import { spawnPython } from './spawn';
import { EventTailer } from './tail';

export interface RunRequest {
  script: string;
  args: string[];
  cwd: string;
  env?: Record<string, string>;
  python: string | null;
  pool: { kind: PoolOverrideKind; workers: number | null; startMethod: StartMethod | null; chunksize: number | null };
  intervalMs: number;
  hangGraceSeconds?: number;
  /** Folder containing parascope_harness; default: resolved relative to the bundle. */
  harnessRoot?: string;
  /** Cap on the processes the script may create (the harness's fork-bomb guard). */
  maxProcesses?: number;
}

export interface RunObserver {
  onStarted?(header: LiveRunHeader): void;
  onOutput?(data: Buffer, stream: 'stdout' | 'stderr'): void;
  /** At most 10/s, batched. */
  onSamples?(batch: SampleBatch): void;
  /** New/updated since last call, ≤ 10/s. */
  onTasks?(workers: WorkerSummary[], tasks: TaskRecord[]): void;
}

export interface RunHandle {
  readonly runId: string;
  readonly pid: number | undefined;
  write(data: string | Buffer): void;
  endInput(): void;
  /** Resolves when the whole tree is gone. */
  cancel(): Promise<void>;
  /**
   * Always resolves with a report, also when cancelled or when the script failed; rejects only
   * with UserFacingError when it could not start (bad interpreter, missing script).
   */
  readonly done: Promise<Report>;
}

/** Observer callbacks fire at most this often (10/s). */
const FLUSH_MS = 100;
/** The harness appends its event files every ~200 ms. */
const TAIL_MS = 200;
/** After the script's process exits: how long its output may keep draining. */
const DRAIN_MS = 500;

/** Runs alive in this Node process: killed synchronously if the process exits under them. */
const live = new Set<Run>();
function onProcessExit(): void {
  for (const run of live) run.killNowSync();
}

export async function startRun(request: RunRequest, observer: RunObserver = {}): Promise<RunHandle> {
  const cwd = resolve(request.cwd);
  const cwdInfo = await stat(cwd).catch(() => null);
  if (!cwdInfo?.isDirectory()) throw new UserFacingError(`Working folder not found: ${cwd}.`);
  const script = resolve(cwd, request.script);
  const scriptInfo = await stat(script).catch(() => null);
  if (!scriptInfo) throw new UserFacingError(`Script not found: ${script}.`, 'Check the path (relative paths start at the working folder).');
  if (!scriptInfo.isFile()) throw new UserFacingError(`${script} is not a file: Parascope runs a Python script.`);
  const harnessRoot = request.harnessRoot ?? findHarnessRoot();
  if (!harnessRoot) {
    throw new UserFacingError('The Parascope harness (python/parascope_harness) is missing from this installation.', 'Reinstall Parascope.');
  }
  const env = { ...process.env, ...(request.env ?? {}) };
  const [python, quota] = await Promise.all([
    resolveInterpreter(request.python, { cwd, env }),
    readCpuQuota(),
  ]);
  const run = new Run(request, observer, { cwd, script, harnessRoot, python, quota });
  await run.launch();
  return run;
}

interface Prepared {
  cwd: string;
  script: string;
  harnessRoot: string;
  python: Interpreter;
  quota: { cpus: number | null; source: string | null };
}

class Run implements RunHandle {
  readonly runId = `run-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
  readonly done: Promise<Report>;
  private resolveDone!: (report: Report) => void;
  private readonly lifecycle = new Lifecycle();
  private child: ChildProcessWithoutNullStreams | undefined;
  private sampler: Sampler | undefined;
  private tailer: EventTailer | undefined;
  private collector: RunCollector | undefined;
  private eventsDir = '';
  private startedAtMs = 0;
  private startPerf = 0;
  private endPerf = 0;
  private exit: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  private exitSeen!: Promise<void>;
  private closeSeen!: Promise<void>;
  private cancelled = false;
  private stopping: Promise<void> | null = null;
  private terminating: Promise<boolean> | null = null;
  private finishing: Promise<void> | null = null;
  private pendingSamples: SamplePoint[] = [];
  private flushTimer: NodeJS.Timeout | undefined;
  private tailTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly request: RunRequest,
    private readonly observer: RunObserver,
    private readonly prepared: Prepared,
  ) {
    this.done = new Promise((resolveDone) => {
      this.resolveDone = resolveDone;
    });
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get state() {
    return this.lifecycle.state;
  }

  /** starting → running, or rejects with a UserFacingError (and leaves nothing behind). */
  async launch(): Promise<void> {
    const { request, prepared } = this;
    this.eventsDir = await mkdtemp(join(tmpdir(), 'parascope-run-'));
    const args = ['-m', 'parascope_harness', '--pool', request.pool.kind];
    if (request.pool.workers !== null) args.push('--workers', String(request.pool.workers));
    if (request.pool.startMethod !== null) args.push('--start-method', request.pool.startMethod);
    if (request.pool.chunksize !== null) args.push('--chunksize', String(request.pool.chunksize));
    args.push('--events-dir', this.eventsDir);
    if (request.hangGraceSeconds !== undefined) args.push('--hang-grace', String(request.hangGraceSeconds));
    if (request.maxProcesses !== undefined) args.push('--max-processes', String(request.maxProcesses));
    args.push('--', prepared.script, ...request.args);

    this.startedAtMs = Date.now();
    this.startPerf = performance.now();
    let child: ChildProcessWithoutNullStreams;
    try {
      child = spawnPython({
        executable: prepared.python.command, args, cwd: prepared.cwd, env: request.env, harnessRoot: prepared.harnessRoot, detached: true,
      });
      await new Promise<void>((ok, fail) => {
        child.once('spawn', ok);
        child.once('error', fail);
      });
    } catch (error) {
      this.lifecycle.to('exited');
      await rm(this.eventsDir, { recursive: true, force: true }).catch(() => undefined);
      throw new UserFacingError(`Could not start ${prepared.python.command}: ${(error as Error).message}.`);
    }
    this.child = child;
    this.lifecycle.to('running');
    live.add(this);
    if (live.size === 1) process.on('exit', onProcessExit);

    this.collector = new RunCollector(this.startedAtMs / 1000);
    this.tailer = new EventTailer(this.eventsDir, (event) => this.collector?.add(event));
    this.sampler = createSampler({
      rootPid: child.pid as number,
      intervalMs: request.intervalMs,
      startMs: this.startPerf,
      onSample: (sample) => this.pendingSamples.push(sample),
    });
    this.sampler.start();

    this.exitSeen = new Promise((ok) => {
      child.once('exit', (code, signal) => {
        this.endPerf = performance.now();
        this.exit = { code, signal };
        ok();
      });
    });
    this.closeSeen = new Promise((ok) => child.once('close', () => ok()));
    child.stdout.on('data', (chunk: Buffer) => this.emit(() => this.observer.onOutput?.(chunk, 'stdout')));
    child.stderr.on('data', (chunk: Buffer) => this.emit(() => this.observer.onOutput?.(chunk, 'stderr')));
    child.stdin.on('error', () => undefined); // the script closed its stdin: writes are dropped
    child.stdout.on('error', () => undefined); // a pipe torn down with the tree: nothing to report
    child.stderr.on('error', () => undefined);
    child.on('error', () => undefined); // a failed kill() after exit; the lifecycle handles the rest

    this.flushTimer = setInterval(() => this.flush(), FLUSH_MS);
    this.tailTimer = setInterval(() => void this.tailer?.poll().catch(() => undefined), TAIL_MS);

    const sampler = this.sampler.result();
    const usable = usableCpus(sampler.coreIds.length || cpus().length, { affinity: prepared.python.affinityCpus, quota: prepared.quota.cpus });
    this.emit(() => this.observer.onStarted?.({
      runId: this.runId,
      script: prepared.script,
      python: this.pythonInfo(),
      pool: { ...request.pool, instances: [] },
      cpuCount: sampler.coreIds.length || cpus().length,
      usableCpus: usable,
      sampleIntervalMs: sampler.intervalMs,
      startedAt: new Date(this.startedAtMs).toISOString(),
      sampler: { kind: sampler.kind, coarse: sampler.coarse },
    }));

    void this.exitSeen.then(() => this.finish());
  }

  write(data: string | Buffer): void {
    const stdin = this.child?.stdin;
    if (this.lifecycle.is('running') && stdin && stdin.writable) stdin.write(data);
  }

  endInput(): void {
    const stdin = this.child?.stdin;
    if (stdin && !stdin.writableEnded) stdin.end();
  }

  cancel(): Promise<void> {
    if (this.lifecycle.is('exited')) return Promise.resolve();
    if (this.stopping) return this.stopping;
    if (this.finishing) {
      // The script already exited: the leftovers are being cleaned up anyway.
      return this.finishing;
    }
    this.cancelled = true;
    this.lifecycle.to('stopping');
    this.stopping = (async () => {
      this.terminating ??= terminateTree(this.killContext(), CANCEL_TIMINGS);
      await this.terminating;
      await this.exitSeen;
      await (this.finishing ?? this.finish());
    })();
    return this.stopping;
  }

  /** The host process is exiting: SIGKILL the tree and remove the events folder, synchronously. */
  killNowSync(): void {
    if (this.lifecycle.is('exited')) return;
    killTreeSync(this.killContext());
    try {
      rmSync(this.eventsDir, { recursive: true, force: true });
    } catch {
      // exiting anyway
    }
  }

  // -------------------------------------------------------------------------------------------

  private killContext(): KillContext {
    return {
      pgid: this.child?.pid,
      scan: () => this.sampler?.scanTree() ?? [],
      rootExited: () => this.exit !== null,
    };
  }

  /** Observer callbacks never break the run. */
  private emit(callback: () => void): void {
    try {
      callback();
    } catch {
      // an observer bug must not take the run down
    }
  }

  private flush(): void {
    try {
      this.flushNow();
    } catch {
      // a bug in batching must not take the host down; the report still has everything
    }
  }

  private flushNow(): void {
    if (this.pendingSamples.length > 0) {
      const samples = this.pendingSamples;
      this.pendingSamples = [];
      const cores = samples[0].busy.length;
      const column = (pick: (s: SamplePoint) => number[]) => Array.from({ length: cores }, (_, c) => samples.map((s) => pick(s)[c] ?? 0));
      const batch: SampleBatch = {
        t: samples.map((s) => s.t),
        coresUsed: samples.map((s) => s.coresUsed),
        busy: column((s) => s.busy),
        workload: column((s) => s.workload),
        steal: column((s) => s.steal),
      };
      this.emit(() => this.observer.onSamples?.(batch));
    }
    if (this.collector) {
      const { workers, tasks } = this.collector.drain();
      if (workers.length > 0 || tasks.length > 0) this.emit(() => this.observer.onTasks?.(workers, tasks));
    }
  }

  private pythonInfo() {
    const p = this.prepared.python;
    return { executable: p.executable, version: p.version, implementation: p.implementation, gilEnabled: p.gilEnabled, freeThreaded: p.freeThreaded };
  }

  /** The script's process exited (or was killed): clean up, build the report, → exited. */
  private finish(): Promise<void> {
    this.finishing ??= (async () => {
      const child = this.child as ChildProcessWithoutNullStreams;
      this.sampler?.stop(true);
      // Leftovers (daemon workers, setsid'd children) are ended too: nothing outlives a run.
      this.terminating ??= terminateTree(this.killContext(), CLEANUP_TIMINGS);
      await this.terminating;
      let drainTimer: NodeJS.Timeout | undefined;
      await Promise.race([this.closeSeen, new Promise((ok) => (drainTimer = setTimeout(ok, DRAIN_MS)))]);
      clearTimeout(drainTimer); // else it holds the CLI's exit back by up to DRAIN_MS
      clearInterval(this.tailTimer);
      await this.tailer?.finish().catch(() => undefined);
      this.flush();
      clearInterval(this.flushTimer);
      child.stdout.removeAllListeners('data');
      child.stderr.removeAllListeners('data');
      child.stdout.destroy();
      child.stderr.destroy();
      child.stdin.destroy();
      child.removeAllListeners();
      live.delete(this);
      if (live.size === 0) process.removeListener('exit', onProcessExit);
      let report: Report;
      try {
        report = this.report();
      } catch {
        report = this.report(true); // a bug in the builder must not leave `done` pending
      }
      await rm(this.eventsDir, { recursive: true, force: true }).catch(() => undefined);
      this.lifecycle.to('exited');
      this.resolveDone(report);
    })();
    return this.finishing;
  }

  /** The report; `bare` leaves out the events and samples (the fallback when building failed). */
  private report(bare = false): Report {
    const { request, prepared } = this;
    const full = (this.sampler as Sampler).result();
    const sampler = bare ? { ...full, samples: [], processes: [], threads: [], cpuSeconds: 0 } : full;
    const tail = (this.tailer as EventTailer).stats;
    return buildReport({
      runId: this.runId,
      script: prepared.script,
      args: request.args,
      cwd: prepared.cwd,
      startedAtMs: this.startedAtMs,
      wallSeconds: ((this.endPerf || performance.now()) - this.startPerf) / 1000,
      exitCode: this.exit?.code ?? null,
      signal: this.exit?.signal ?? null,
      cancelled: this.cancelled,
      python: this.pythonInfo(),
      pool: request.pool,
      collected: bare ? new RunCollector(this.startedAtMs / 1000).snapshot() : (this.collector as RunCollector).snapshot(),
      sampler,
      cpuCount: sampler.coreIds.length || cpus().length,
      limits: { affinity: prepared.python.affinityCpus, quota: prepared.quota.cpus, quotaSource: prepared.quota.source },
      ingest: { corruptLines: tail.corruptLines, droppedEvents: tail.droppedEvents, files: tail.files },
    });
  }
}
