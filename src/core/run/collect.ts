/**
 * Folds harness events into the report's pieces — workers, tasks, pools, findings, hangs —
 * as they arrive. The live view drains what changed since its last call (`drain`); the report
 * builder takes the whole picture (`snapshot`). Times become seconds since the run started.
 */
import type { Finding, PoolInstance, PoolKind, TaskRecord, WorkerSummary } from '../report/model';
import type { HarnessEvent, HangEvent, ProcessEvent } from './events';

export interface WorkerLife {
  /** Seconds since the run started: first and last sign of life (start/exit events, tasks). */
  start: number | null;
  end: number | null;
}

export interface CollectedRun {
  processes: ProcessEvent[];
  pools: PoolInstance[];
  poolEnds: Map<string, number>;
  workers: WorkerSummary[];
  lives: WorkerLife[];
  tasks: TaskRecord[];
  findings: Finding[];
  hangs: HangEvent[];
}

const WORKER_KINDS: readonly string[] = ['serial', 'thread', 'process', 'interpreter'];

export class RunCollector {
  private readonly processes = new Map<number, ProcessEvent>();
  private readonly pools = new Map<string, PoolInstance>();
  private readonly poolEnds = new Map<string, number>();
  private readonly workers: WorkerSummary[] = [];
  private readonly lives: WorkerLife[] = [];
  /** Seconds each worker spent in tasks. */
  private readonly busy: number[] = [];
  private readonly byThread = new Map<string, number>();
  private readonly tasks: TaskRecord[] = [];
  private readonly findings: Finding[] = [];
  private readonly findingKeys = new Set<string>();
  private readonly hangs: HangEvent[] = [];
  private readonly changedWorkers = new Set<number>();
  private drainedTasks = 0;

  /** `t0`: the run's start, epoch seconds (`Date.now() / 1000` at spawn). */
  constructor(private readonly t0: number) {}

  add(event: HarnessEvent): void {
    switch (event.ev) {
      case 'process':
        this.processes.set(event.pid, event);
        return;
      case 'pool':
        this.pools.set(event.poolId, {
          poolId: event.poolId, api: event.api, requested: event.requested, effective: event.effective,
          replaced: event.replaced, site: event.site,
        });
        return;
      case 'pool_end':
        this.poolEnds.set(event.poolId, this.rel(event.t));
        return;
      case 'worker_start':
      case 'worker_exit': {
        const index = this.worker(event.pid, event.tid, event.poolId, event.kind);
        const life = this.lives[index];
        const at = this.rel(event.t);
        if (event.ev === 'worker_start') life.start = life.start === null ? at : Math.min(life.start, at);
        else life.end = Math.max(life.end ?? at, at);
        this.changedWorkers.add(index);
        return;
      }
      case 'task': {
        const index = this.worker(event.pid, event.tid, event.poolId, event.kind ?? null);
        const start = this.rel(event.start);
        const end = this.rel(event.end);
        const task: TaskRecord = {
          worker: index, poolId: event.poolId, start, end, cpuSeconds: event.cpuSeconds, argBytes: event.argBytes,
          resultBytes: event.resultBytes, pickleSeconds: event.pickleSeconds, site: event.site, ok: event.ok,
        };
        if (event.error !== undefined) task.error = event.error;
        this.tasks.push(task);
        const worker = this.workers[index];
        worker.tasks += 1;
        worker.cpuSeconds += event.cpuSeconds;
        this.busy[index] += end - start;
        this.extend(index, start, end);
        this.changedWorkers.add(index);
        return;
      }
      case 'lane': {
        const index = this.worker(event.pid, event.tid, null, 'lane');
        const worker = this.workers[index];
        if (event.name) worker.name = event.name;
        worker.laneKind = event.kind === 'process' ? 'process' : 'thread';
        const start = this.rel(event.start);
        const end = event.end === null ? null : this.rel(event.end);
        const life = this.lives[index];
        life.start = life.start === null ? start : Math.min(life.start, start);
        if (end !== null) {
          life.end = Math.max(life.end ?? end, end);
          this.tasks.push({
            worker: index, poolId: null, start, end, cpuSeconds: 0, argBytes: 0, resultBytes: 0, pickleSeconds: 0,
            site: event.site, ok: true,
          });
          worker.tasks += 1;
          this.busy[index] += end - start;
        }
        this.changedWorkers.add(index);
        return;
      }
      case 'finding': {
        const finding: Finding = {
          rule: event.rule, severity: event.severity, message: event.message,
          file: event.site?.file ?? '', line: event.site?.line ?? 0, source: 'runtime',
        };
        if (event.path !== null) finding.path = event.path;
        if (event.type !== null) finding.type = event.type;
        const key = `${finding.rule}|${finding.file}|${finding.line}|${finding.path ?? ''}|${finding.type ?? ''}|${finding.message}`;
        if (this.findingKeys.has(key)) return;
        this.findingKeys.add(key);
        this.findings.push(finding);
        return;
      }
      case 'hang':
        this.hangs.push(event);
        return;
      case 'dropped':
        return;
    }
  }

  /** Workers that changed and tasks that arrived since the last call. */
  drain(): { workers: WorkerSummary[]; tasks: TaskRecord[] } {
    const workers = [...this.changedWorkers].sort((a, b) => a - b).map((i) => ({ ...this.finishWorker(i) }));
    this.changedWorkers.clear();
    const tasks = this.tasks.slice(this.drainedTasks);
    this.drainedTasks = this.tasks.length;
    return { workers, tasks };
  }

  snapshot(): CollectedRun {
    return {
      processes: [...this.processes.values()],
      pools: [...this.pools.values()],
      poolEnds: new Map(this.poolEnds),
      workers: this.workers.map((_, i) => ({ ...this.finishWorker(i) })),
      lives: this.lives.map((life) => ({ ...life })),
      tasks: [...this.tasks],
      findings: [...this.findings],
      hangs: [...this.hangs],
    };
  }

  get mainProcess(): ProcessEvent | undefined {
    return [...this.processes.values()].find((p) => p.role === 'main');
  }

  private rel(epochSeconds: number): number {
    return Math.max(0, epochSeconds - this.t0);
  }

  private extend(index: number, start: number, end: number): void {
    const life = this.lives[index];
    life.start = life.start === null ? start : Math.min(life.start, start);
    life.end = life.end === null ? end : Math.max(life.end, end);
  }

  private finishWorker(index: number): WorkerSummary {
    const worker = this.workers[index];
    const life = this.lives[index];
    const busy = this.busy[index];
    const span = life.start !== null && life.end !== null ? life.end - life.start : 0;
    worker.busyShare = span > 0 ? Math.min(1, busy / span) : worker.tasks > 0 ? 1 : 0;
    return worker;
  }

  private worker(pid: number, tid: number, poolId: string | null, kind: string | null): number {
    const key = `${pid}:${tid}`;
    const known = this.byThread.get(key);
    if (known !== undefined) {
      const worker = this.workers[known];
      if (worker.poolId === null && poolId !== null) worker.poolId = poolId;
      if (kind !== null && kind !== 'lane' && WORKER_KINDS.includes(kind)) worker.kind = kind as PoolKind;
      return known;
    }
    const index = this.workers.length;
    this.workers.push({
      pid, tid, kind: this.kindFor(pid, poolId, kind), poolId, cpuSeconds: 0, tasks: 0, busyShare: 0,
    });
    this.lives.push({ start: null, end: null });
    this.busy.push(0);
    this.byThread.set(key, index);
    return index;
  }

  private kindFor(pid: number, poolId: string | null, kind: string | null): WorkerSummary['kind'] {
    if (kind === 'lane') return 'lane';
    if (kind !== null && WORKER_KINDS.includes(kind)) return kind as PoolKind;
    const pool = poolId === null ? undefined : this.pools.get(poolId);
    if (pool) return pool.effective.kind;
    const main = this.mainProcess;
    return main && main.pid !== pid ? 'process' : 'thread';
  }
}
