/**
 * The Linux sampler: per-core busy/steal from `/proc/stat`, the workload's processes and
 * threads from `/proc/<pid>/…`, every `intervalMs` (never faster than 100 ms).
 *
 * Cost design (utilization.md §2–3), all reads synchronous and cheap (`read.ts`), no process
 * ever spawned:
 *  - new workload processes are found when the `processes` fork counter of `/proc/stat` moved:
 *    /proc is listed and only pids not listed before are read (at most every 500 ms), so new
 *    workers show up at once; a full `/proc/*\/stat` scan every 10 s catches reused pids;
 *  - files read every sample stay open and are re-read with `pread` (`FdCache`), no path lookup;
 *  - known processes: one `stat` read per sample (totals, thread count, cutime/cstime of reaped
 *    children); a thread list is re-read only when the thread count changed;
 *  - per thread: `schedstat` (ns on CPU, ns runnable-but-waiting) and, when it ran or waited,
 *    its `stat` (state, field 39 = last core) — for up to `THREAD_BUDGET` threads per sample,
 *    the longest-unread first (64 busy threads: each every ~3 samples);
 *  - GIL probes (`task/<tid>/syscall` = futex?) only in processes with ≥ 2 threads that ran in
 *    the interval, at most `MAX_SYSCALL_READS` per sample, round-robin.
 *
 * Attribution: a thread's CPU in an interval goes to the core it was last seen on (an
 * approximation; exact attribution needs sched_switch tracing). A process's CPU is the sum of
 * its threads' schedstat deltas when all of them were read (else, or when threads vanished or
 * schedstat is missing, its stat ticks), plus the reaped children folded in through
 * cutime/cstime, minus what was already counted for them. When only some threads were read, the
 * process's CPU is spread over the cores in the proportions those threads ran on.
 */
import { FdCache, readCounter, listNumeric, readSmall, sharedBuffer } from './read';
import {
  coreUsage, futexSyscallNumber, parseProcStat, parseSchedstatBytes, parseSyscall, parseTaskStat, parseTaskStatBytes, USER_HZ,
  type CpuTimes, type TaskStat,
} from './procfs';
import { procKey, selectWorkload, type ProcEntry } from './tree';
import type { SampledProcess, SampledThread, Sampler, SamplerResult, SamplePoint } from './types';

export const MIN_INTERVAL_MS = 100;
const RESCAN_MS = 10_000;
const NEW_PIDS_SCAN_MS = 500;
/**
 * Threads read per sample (schedstat, and stat when it ran), shared round-robin across the
 * workload, the longest-unread first. Up to this many threads every thread is read at every
 * sample; above it (64 busy threads) each is read every few samples — its counters are
 * cumulative, so nothing is lost but time resolution, and the processes' totals still come
 * from their own stat at every sample.
 */
const THREAD_BUDGET = 16;
const MAX_SYSCALL_READS = 8;
/**
 * Zero for the fields that hold fractions or nanosecond counts (beyond 2^31): V8 lays a field
 * out by the first value stored in it, and a literal `0` is a small integer — the first
 * fractional value then changes the layout of every such object, which throws away the
 * optimized code of the sampler's hot functions (measured: two deoptimizations and
 * recompilations of `readThreads`, ~30 ms of compiling each). -0 is stored as a double from
 * the start, and reads, sums and prints (JSON) as 0.
 */
const DOUBLE_ZERO = -0;

export interface ProcfsSamplerOptions {
  rootPid: number;
  intervalMs: number;
  /** `performance.now()` of the run's start: sample times are seconds after it. */
  startMs: number;
  /** Root of procfs (tests point it at a recorded tree). */
  procRoot?: string;
  /** Monotonic clock in ms (tests drive it). */
  now?: () => number;
  /** `process.arch` (picks the futex syscall number). */
  arch?: string;
  /** Keep per-sample files open between reads (default). Tests on a fake tree on disk turn it off. */
  keepFilesOpen?: boolean;
  onSample?: (sample: SamplePoint) => void;
}

interface ThreadState {
  record: SampledThread;
  /** Its procfs paths, built once (each is a key of the open-files cache, read every few samples). */
  dir: string;
  schedstatPath: string;
  statPath: string;
  syscallPath: string;
  /** Where its CPU time comes from: schedstat nanoseconds, or stat ticks; '' before the first read. */
  mode: 'ns' | 'ticks' | '';
  /** Last CPU reading, in the unit of `mode`. */
  run: number;
  waitNs: number;
  processor: number;
  state: string;
  /** Was `state` read at this sample? (GIL probes use only fresh states.) */
  stateFresh: boolean;
  /** Sample number of the last read (round-robin order). */
  readTick: number;
  /** Clock (ms) of the last read: `deltaNs` covers the time since then. */
  readMs: number;
  /** CPU since its previous read (ns); 0 when not read at this sample. */
  deltaNs: number;
  /** Length of the window `deltaNs` covers (ns). */
  windowNs: number;
}

interface ProcState {
  record: SampledProcess;
  ppid: number;
  /** utime + stime and cutime + cstime at the last reading (ticks). */
  selfTicks: number;
  childTicks: number;
  numThreads: number;
  threads: Map<number, ThreadState>;
  alive: boolean;
  /** The last reading of its stat (for incremental scans). */
  last: TaskStat | null;
}

/** Is procfs usable here (Linux with a readable `/proc/stat` and `/proc/self/stat`)? */
export function procfsAvailable(procRoot = '/proc'): boolean {
  return readSmall(`${procRoot}/stat`) !== null && readSmall(`${procRoot}/self/stat`) !== null;
}

/** Every process on the machine with the fields the tree needs (one full scan). */
export function readProcessTable(procRoot = '/proc'): Map<number, TaskStat> {
  const table = new Map<number, TaskStat>();
  for (const pid of listNumeric(procRoot)) {
    const text = readSmall(`${procRoot}/${pid}/stat`);
    const stat = text === null ? null : parseTaskStat(text);
    if (stat) table.set(pid, stat);
  }
  return table;
}

export class ProcfsSampler implements Sampler {
  readonly kind = 'procfs' as const;
  private readonly intervalMs: number;
  private readonly procRoot: string;
  private readonly now: () => number;
  private readonly futex: number | null;
  private root: { pid: number; startTime: number };
  private coreIds: number[] = [];
  private coreIndex = new Map<number, number>();
  private prevCores = new Map<number, CpuTimes>();
  private prevForks: number | null = null;
  private prevMs = 0;
  private lastScanMs = -Infinity;
  private lastNewScanMs = -Infinity;
  /** The fork counter moved since the last scan of /proc. */
  private forksPending = false;
  /** Pids listed in /proc at the last scan: an incremental scan reads only the others. */
  private listed = new Set<number>();
  private readonly files: FdCache;
  private readonly procs = new Map<string, ProcState>();
  private readonly known = new Set<string>();
  private readonly allProcesses: SampledProcess[] = [];
  private readonly allThreads: SampledThread[] = [];
  private readonly samples: SamplePoint[] = [];
  private cpuSeconds = 0;
  private timer: NodeJS.Timeout | undefined;
  private started = false;
  private stopped = false;
  private startedAt = 0;
  private syscallCursor = 0;
  private syscallBudget = MAX_SYSCALL_READS;
  private threadBudget = THREAD_BUDGET;
  private readonly stats = { ticks: 0, rescans: 0, reads: 0, syscallReads: 0, errors: 0 };
  private readsAtStart = 0;

  constructor(private readonly options: ProcfsSamplerOptions) {
    this.intervalMs = Math.max(MIN_INTERVAL_MS, Math.round(options.intervalMs));
    this.procRoot = options.procRoot ?? '/proc';
    this.now = options.now ?? (() => performance.now());
    this.futex = futexSyscallNumber(options.arch ?? process.arch);
    this.root = { pid: options.rootPid, startTime: -1 };
    this.files = new FdCache(options.keepFilesOpen === false ? 0 : 768);
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    this.readsAtStart = readCounter.reads;
    this.baseline();
    this.schedule();
  }

  stop(final = true): void {
    if (!this.started || this.stopped) return;
    // A last sample only helps while the root lives: once it is gone, so are its totals.
    if (final && this.rootAlive()) this.tick();
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.files.closeAll();
  }

  /** Takes one sample now (tests call it directly with a driven clock). */
  tick(): void {
    if (this.stopped) return;
    const nowMs = this.now();
    const seconds = (nowMs - this.prevMs) / 1000;
    if (!(seconds > 0)) return;
    this.stats.ticks += 1;
    const statText = this.files.read(`${this.procRoot}/stat`);
    const stat = statText === null ? null : parseProcStat(statText);
    const busy = this.coreIds.map(() => 0);
    const steal = this.coreIds.map(() => 0);
    if (stat) {
      for (const [id, cur] of stat.cores) {
        const index = this.coreIndex.get(id);
        const prev = this.prevCores.get(id);
        if (index !== undefined && prev) {
          const usage = coreUsage(prev, cur);
          busy[index] = usage.busy;
          steal[index] = usage.steal;
        }
        this.prevCores.set(id, cur);
      }
    }
    // Something was created since the last scan: remembered until a scan has looked.
    if (stat?.forks != null && stat.forks !== this.prevForks) this.forksPending = true;
    if (stat?.forks != null) this.prevForks = stat.forks;
    const table = nowMs - this.lastScanMs >= RESCAN_MS ? this.rescan(nowMs) : null;
    if (!table && this.forksPending && nowMs - this.lastNewScanMs >= NEW_PIDS_SCAN_MS) this.scanNewPids(nowMs);

    const t = (nowMs - this.options.startMs) / 1000;
    const workloadNs = new Float64Array(this.coreIds.length);
    let total = 0;
    const alive: [ProcState, TaskStat][] = [];
    const vanished: { ppid: number; totalTicks: number }[] = [];
    for (const proc of this.procs.values()) {
      if (!proc.alive) continue;
      const cur = table ? table.get(proc.record.pid) ?? null : this.readProcStat(proc.record.pid);
      if (!cur || cur.startTime !== proc.record.startTime) {
        proc.alive = false;
        this.files.forget(`${this.procRoot}/${proc.record.pid}/`);
        if (proc.selfTicks >= 0) vanished.push({ ppid: proc.ppid, totalTicks: proc.selfTicks + proc.childTicks });
        continue;
      }
      proc.last = cur;
      alive.push([proc, cur]);
    }
    // A child reaped in this interval shows up whole in its parent's cutime/cstime: subtract
    // what was already counted for it (its totals at its last sample).
    const alivePids = new Set(alive.map(([proc]) => proc.record.pid));
    const reaped = new Map<number, number>();
    for (const gone of vanished) {
      if (alivePids.has(gone.ppid)) reaped.set(gone.ppid, (reaped.get(gone.ppid) ?? 0) + gone.totalTicks);
    }
    this.syscallBudget = MAX_SYSCALL_READS;
    this.threadBudget = THREAD_BUDGET;
    for (const [proc, cur] of alive) {
      const isNew = proc.selfTicks < 0;
      const { ns, vanishedThreads, usedTicks, complete, perCore } = this.readThreads(proc, cur, workloadNs, table !== null);
      const selfTicks = cur.utime + cur.stime;
      const childTicks = cur.cutime + cur.cstime;
      let delta: number;
      if (isNew) {
        delta = Math.max(ns / 1e9, selfTicks / USER_HZ) + childTicks / USER_HZ;
      } else {
        const tickSelf = (selfTicks - proc.selfTicks) / USER_HZ;
        const self = !complete ? tickSelf : vanishedThreads || usedTicks ? Math.max(ns / 1e9, tickSelf) : ns / 1e9;
        const children = (childTicks - proc.childTicks - (reaped.get(proc.record.pid) ?? 0)) / USER_HZ;
        delta = Math.max(0, self + children);
      }
      proc.selfTicks = selfTicks;
      proc.childTicks = childTicks;
      proc.ppid = cur.ppid;
      proc.numThreads = cur.numThreads;
      proc.record.comm = cur.comm;
      proc.record.ppid = cur.ppid;
      proc.record.lastSeen = t;
      proc.record.cpu.push(delta);
      proc.record.cpuSeconds += delta;
      total += delta;
      this.attribute(workloadNs, perCore, (complete ? ns / 1e9 : delta) * 1e9, complete);
      this.probeGil(proc, seconds);
    }
    this.cpuSeconds += total;
    const intervalNs = seconds * 1e9;
    const workload = fitWorkload(Array.from(workloadNs, (ns) => ns / intervalNs), busy);
    const sample: SamplePoint = { t, busy, workload, steal, coresUsed: total / seconds };
    this.samples.push(sample);
    this.prevMs = nowMs;
    this.stats.reads = readCounter.reads - this.readsAtStart;
    this.options.onSample?.(sample);
  }

  /** The workload's live processes by a fresh full scan (zombies left out: already dead). */
  scanTree(): { pid: number; startTime: number }[] {
    const table = readProcessTable(this.procRoot);
    const selected = selectWorkload(table.values(), this.root, this.known);
    for (const entry of selected) this.known.add(procKey(entry));
    return selected
      .filter((entry) => !['Z', 'X', 'x'].includes(table.get(entry.pid)?.state ?? 'X'))
      .map((entry) => ({ pid: entry.pid, startTime: entry.startTime }));
  }

  result(): SamplerResult {
    return {
      kind: 'procfs',
      coarse: false,
      intervalMs: this.intervalMs,
      coreIds: [...this.coreIds],
      samples: this.samples,
      cpuSeconds: this.cpuSeconds,
      startedAt: this.startedAt,
      lastAt: this.samples.length > 0 ? this.samples[this.samples.length - 1].t : this.startedAt,
      processes: this.allProcesses,
      threads: this.allThreads,
      futexSyscall: this.futex,
      stats: { ...this.stats },
    };
  }

  // -------------------------------------------------------------------------------------------

  private schedule(): void {
    if (this.stopped) return;
    const elapsed = this.now() - this.prevMs;
    const wait = Math.max(10, this.intervalMs - elapsed);
    this.timer = setTimeout(() => {
      try {
        this.tick();
      } catch {
        // A sampling bug must never take the host down: this sample is skipped.
        this.stats.errors += 1;
        this.prevMs = this.now();
      }
      this.schedule();
    }, wait);
    this.timer.unref?.();
  }

  private baseline(): void {
    const nowMs = this.now();
    const statText = readSmall(`${this.procRoot}/stat`);
    const stat = statText === null ? null : parseProcStat(statText);
    if (stat) {
      this.coreIds = [...stat.cores.keys()].sort((a, b) => a - b);
      this.coreIds.forEach((id, index) => this.coreIndex.set(id, index));
      this.prevCores = new Map(stat.cores);
      this.prevForks = stat.forks;
    }
    const rootStat = this.readProcStat(this.root.pid);
    if (rootStat) this.root = { pid: this.root.pid, startTime: rootStat.startTime };
    this.prevMs = nowMs;
    this.startedAt = (nowMs - this.options.startMs) / 1000;
    const table = this.rescan(nowMs);
    // Processes present at the baseline start counting from here: read their totals and threads now.
    for (const proc of this.procs.values()) {
      const cur = table.get(proc.record.pid);
      if (!cur) continue;
      proc.selfTicks = cur.utime + cur.stime;
      proc.childTicks = cur.cutime + cur.cstime;
      this.readThreads(proc, cur, null);
      proc.numThreads = cur.numThreads;
    }
  }

  private rootAlive(): boolean {
    return this.readProcStat(this.root.pid)?.startTime === this.root.startTime;
  }

  private readProcStat(pid: number): TaskStat | null {
    const n = this.files.readBytes(`${this.procRoot}/${pid}/stat`);
    return n < 0 ? null : parseTaskStatBytes(sharedBuffer(), n);
  }

  /** Between full scans: reads only pids that were not listed before, and adopts the workload's. */
  private scanNewPids(nowMs: number): void {
    this.lastNewScanMs = nowMs;
    this.forksPending = false;
    const pids = listNumeric(this.procRoot);
    const entries: ProcEntry[] = [];
    for (const pid of pids) {
      if (this.listed.has(pid)) continue;
      const text = readSmall(`${this.procRoot}/${pid}/stat`);
      const stat = text === null ? null : parseTaskStat(text);
      if (stat) entries.push(stat);
    }
    this.listed = new Set(pids);
    if (entries.length === 0) return;
    for (const proc of this.procs.values()) if (proc.alive && proc.last) entries.push(proc.last);
    this.adopt(selectWorkload(entries, this.root, this.known), new Map(entries.map((e) => [e.pid, e as TaskStat])), nowMs);
  }

  /** Full scan: finds new workload processes (they start counting from their birth). */
  private rescan(nowMs: number): Map<number, TaskStat> {
    this.stats.rescans += 1;
    this.lastScanMs = nowMs;
    this.forksPending = false;
    const table = readProcessTable(this.procRoot);
    this.listed = new Set(table.keys());
    this.adopt(selectWorkload([...table.values()], this.root, this.known), table, nowMs);
    return table;
  }

  private adopt(selected: ProcEntry[], table: Map<number, TaskStat>, nowMs: number): void {
    for (const entry of selected) {
      const key = procKey(entry);
      this.known.add(key);
      if (this.procs.has(key)) continue;
      const stat = table.get(entry.pid) as TaskStat;
      const record: SampledProcess = {
        pid: entry.pid, ppid: entry.ppid, startTime: entry.startTime, comm: stat.comm,
        firstSeen: (nowMs - this.options.startMs) / 1000, lastSeen: (nowMs - this.options.startMs) / 1000,
        cpuSeconds: DOUBLE_ZERO, cpuStart: this.samples.length, cpu: [],
      };
      this.allProcesses.push(record);
      this.procs.set(key, { record, ppid: entry.ppid, selfTicks: -1, childTicks: 0, numThreads: -1, threads: new Map(), alive: true, last: null });
    }
  }

  /**
   * Reads every thread of a process and returns the CPU they used since the last sample (ns);
   * each thread's delta also goes to the core it was last seen on. A thread first seen after
   * the baseline appeared since the last listing: its whole life counts.
   */
  private readThreads(proc: ProcState, cur: TaskStat, workloadNs: Float64Array | null, relist = false) {
    const baseline = workloadNs === null;
    let vanishedThreads = this.relistThreads(proc, cur, relist);
    let ns = 0;
    let usedTicks = false;
    const nowMs = this.now();
    // The threads read at this sample: all when the budget allows, else the longest-unread.
    const complete = baseline || proc.threads.size <= this.threadBudget;
    const chosen: Iterable<ThreadState> = complete
      ? proc.threads.values()
      : [...proc.threads.values()].sort((a, b) => a.readTick - b.readTick).slice(0, Math.max(1, this.threadBudget));
    if (!baseline) this.threadBudget -= complete ? proc.threads.size : Math.max(1, this.threadBudget);
    for (const thread of proc.threads.values()) {
      thread.stateFresh = false;
      thread.deltaNs = 0;
    }
    // Float64Arrays: sums of nanoseconds are doubles (a plain array of 0s changes kind on the first).
    const perCore = new Float64Array(this.coreIds.length);
    for (const thread of chosen) {
      const tid = thread.record.tid;
      const fresh = thread.mode === '';
      let waitDelta = 0;
      let ran = fresh;
      if (thread.mode !== 'ticks') {
        const n = this.files.readBytes(thread.schedstatPath);
        const sched = n < 0 ? null : parseSchedstatBytes(sharedBuffer(), n);
        // "0 0 0" is what a kernel with schedstats switched off prints: fall back to ticks.
        if (sched && (sched.runNs > 0 || sched.waitNs > 0 || sched.slices > 0)) {
          thread.mode = 'ns';
          thread.deltaNs = Math.max(0, fresh ? sched.runNs : sched.runNs - thread.run);
          waitDelta = Math.max(0, fresh ? sched.waitNs : sched.waitNs - thread.waitNs);
          thread.run = sched.runNs;
          thread.waitNs = sched.waitNs;
          ran = ran || thread.deltaNs > 0 || waitDelta > 0;
        } else if (fresh) {
          thread.mode = 'ticks';
        } else {
          proc.threads.delete(tid);
          this.files.forget(`${thread.dir}/`);
          vanishedThreads = true;
          continue;
        }
      }
      if (thread.mode === 'ticks' || ran) {
        const stat = this.readThreadStat(proc, thread);
        if (!stat) {
          vanishedThreads = true;
          continue;
        }
        if (thread.mode === 'ticks') {
          usedTicks = true;
          const ticks = stat.utime + stat.stime;
          thread.deltaNs = Math.max(0, ((fresh ? ticks : ticks - thread.run) * 1e9) / USER_HZ);
          thread.run = ticks;
        }
      } else {
        thread.state = 'S'; // did not run: not runnable either
        thread.stateFresh = true;
      }
      thread.windowNs = thread.readTick < 0 ? 0 : (nowMs - thread.readMs) * 1e6;
      thread.readTick = this.stats.ticks;
      thread.readMs = nowMs;
      if (baseline) {
        thread.deltaNs = 0;
        continue;
      }
      const delta = thread.deltaNs;
      ns += delta;
      thread.record.cpuSeconds += delta / 1e9;
      thread.record.runDelaySeconds += waitDelta / 1e9;
      if (delta > 0) thread.record.activeSamples += 1;
      const index = this.coreIndex.get(thread.processor);
      if (index !== undefined) perCore[index] += delta;
    }
    return { ns, vanishedThreads, usedTicks, complete, perCore };
  }

  /**
   * Re-reads a process's thread list when it may have changed: adds new threads, forgets gone
   * ones (true when some vanished). Called at every sample, the test included: a rarely taken
   * branch inside `readThreads` would throw that big function's optimized code away the first
   * time it runs (V8 had no feedback for it); here only this small one is recompiled.
   */
  private relistThreads(proc: ProcState, cur: TaskStat, relist: boolean): boolean {
    if (!relist && proc.numThreads === cur.numThreads && proc.threads.size > 0) return false;
    const pid = proc.record.pid;
    let vanishedThreads = false;
    const tids = new Set(listNumeric(`${this.procRoot}/${pid}/task`));
    for (const [tid, thread] of proc.threads) {
      if (!tids.has(tid)) {
        proc.threads.delete(tid);
        this.files.forget(`${thread.dir}/`);
        vanishedThreads = true;
      }
    }
    for (const tid of tids) {
      if (proc.threads.has(tid)) continue;
      const record: SampledThread = {
        pid, tid, comm: '', cpuSeconds: DOUBLE_ZERO, runDelaySeconds: DOUBLE_ZERO, migrations: 0, activeSamples: 0, gilProbes: 0, futexWaits: 0,
      };
      this.allThreads.push(record);
      const dir = `${this.procRoot}/${pid}/task/${tid}`;
      proc.threads.set(tid, {
        record, dir, schedstatPath: `${dir}/schedstat`, statPath: `${dir}/stat`, syscallPath: `${dir}/syscall`, mode: '', run: DOUBLE_ZERO, waitNs: DOUBLE_ZERO, processor: -1, state: '?', stateFresh: false, readTick: -1, readMs: DOUBLE_ZERO, deltaNs: DOUBLE_ZERO, windowNs: DOUBLE_ZERO,
      });
    }
    return vanishedThreads;
  }

  /** Adds a process's CPU of this interval to the per-core workload: as its threads ran, or scaled to its total. */
  private attribute(workloadNs: Float64Array, perCore: Float64Array, totalNs: number, complete: boolean): void {
    const sum = perCore.reduce((a, b) => a + b, 0);
    if (sum <= 0) return;
    const scale = complete ? 1 : totalNs / sum;
    perCore.forEach((ns, i) => {
      workloadNs[i] += ns * scale;
    });
  }

  /** Reads a thread's stat: state, last core (a change is a migration), name. Null (and forgotten) when it is gone. */
  private readThreadStat(proc: ProcState, thread: ThreadState): TaskStat | null {
    const n = this.files.readBytes(thread.statPath);
    const stat = n < 0 ? null : parseTaskStatBytes(sharedBuffer(), n);
    if (!stat) {
      proc.threads.delete(thread.record.tid);
      this.files.forget(`${thread.dir}/`);
      return null;
    }
    if (thread.processor >= 0 && stat.processor >= 0 && stat.processor !== thread.processor) thread.record.migrations += 1;
    if (stat.processor >= 0) thread.processor = stat.processor;
    thread.state = stat.state;
    thread.stateFresh = true;
    thread.record.comm = stat.comm;
    return stat;
  }

  /**
   * GIL probes: in a process where ≥ 2 threads ran this interval, each such thread is probed:
   * it counts as waiting for the GIL when it is blocked in `futex` while a sibling runs (state R,
   * or ran for half the interval). Running threads are probes without a read; the `syscall`
   * reads are bounded per sample, round-robin over the candidates.
   */
  private probeGil(proc: ProcState, seconds: number): void {
    if (this.futex === null) return;
    const active = [...proc.threads.values()].filter((t) => t.deltaNs > 0 || (t.stateFresh && t.state === 'R'));
    if (active.length < 2) return;
    const runs = (t: ThreadState) => (t.stateFresh && t.state === 'R') || t.deltaNs >= 0.5 * (t.windowNs || seconds * 1e9);
    const runningCount = active.filter(runs).length;
    for (let i = 0; i < active.length; i++) {
      const thread = active[(i + this.syscallCursor) % active.length];
      if (!thread.stateFresh) continue; // its state was not read at this sample
      if (thread.state === 'R') {
        thread.record.gilProbes += 1;
        continue;
      }
      if (this.syscallBudget <= 0) continue;
      this.syscallBudget -= 1;
      const text = this.files.read(thread.syscallPath);
      this.stats.syscallReads += 1;
      if (text === null) continue;
      thread.record.gilProbes += 1;
      const siblingRuns = runningCount - (runs(thread) ? 1 : 0) > 0;
      if (siblingRuns && parseSyscall(text) === this.futex) thread.record.futexWaits += 1;
    }
    this.syscallCursor += 1;
  }
}

/**
 * Per-core workload shares from "CPU time goes to the core a thread was last seen on" can put
 * more on a core than it was busy (the thread hopped cores within the interval). Each core is
 * capped at its busy share and the excess moves to cores with busy time left, in proportion —
 * the total is kept as far as the cores' busy time allows.
 */
export function fitWorkload(raw: number[], busy: number[]): number[] {
  const out = raw.map((w, i) => Math.max(0, Math.min(w, busy[i] ?? 0)));
  let excess = raw.reduce((sum, w, i) => sum + Math.max(0, w - (busy[i] ?? 0)), 0);
  for (let round = 0; round < 3 && excess > 1e-12; round++) {
    const room = out.map((w, i) => Math.max(0, (busy[i] ?? 0) - w));
    const total = room.reduce((a, b) => a + b, 0);
    if (total <= 1e-12) break;
    const moved = Math.min(excess, total);
    out.forEach((_, i) => {
      out[i] += (moved * room[i]) / total;
    });
    excess -= moved;
  }
  return out;
}
