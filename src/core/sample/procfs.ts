/**
 * Pure parsers for the Linux procfs files the sampler reads (proc(5)). No I/O here: every
 * function takes the file's text, so each is unit-tested on recorded fixtures.
 *
 * Units: `/proc/stat` and `/proc/<pid>/stat` count clock ticks (USER_HZ, 100 on every Linux
 * ABI Node runs on — `getconf CLK_TCK`); `/proc/<pid>/schedstat` counts nanoseconds.
 */

/** Clock ticks per second of `/proc/stat` and `/proc/<pid>/stat` (USER_HZ). */
export const USER_HZ = 100;

/** One `cpuN` line of `/proc/stat`, in ticks. */
export interface CpuTimes {
  user: number;
  nice: number;
  system: number;
  idle: number;
  iowait: number;
  irq: number;
  softirq: number;
  steal: number;
  guest: number;
  guestNice: number;
}

export interface ProcStat {
  /** Per-core counters, indexed by core id (`cpu0` → 0). Offline cores are absent (sparse). */
  cores: Map<number, CpuTimes>;
  /** `processes`: forks (processes and threads) since boot — a cheap "something new appeared" signal. */
  forks: number | null;
}

export function parseProcStat(text: string): ProcStat {
  const cores = new Map<number, CpuTimes>();
  let forks: number | null = null;
  for (const line of text.split('\n')) {
    if (line.startsWith('cpu') && line.length > 3 && line[3] !== ' ') {
      const parts = line.trim().split(/\s+/);
      const id = Number(parts[0].slice(3));
      if (!Number.isInteger(id)) continue;
      const n = (i: number) => Number(parts[i] ?? 0) || 0;
      cores.set(id, {
        user: n(1), nice: n(2), system: n(3), idle: n(4), iowait: n(5), irq: n(6), softirq: n(7),
        steal: n(8), guest: n(9), guestNice: n(10),
      });
    } else if (line.startsWith('processes ')) {
      const value = Number(line.slice(10).trim());
      if (Number.isFinite(value)) forks = value;
    }
  }
  return { cores, forks };
}

/** What a core did between two `/proc/stat` readings, as fractions 0–1 of the interval. */
export interface CoreUsage {
  /** Busy for any program (user + nice + system + irq + softirq), steal excluded. */
  busy: number;
  /** Taken by the hypervisor. */
  steal: number;
  /** Interval length in ticks (0 when the counters did not move: nothing known). */
  ticks: number;
}

/**
 * Busy and steal shares of one core between two readings (htop's arithmetic): the total is the
 * sum of the first eight fields; guest and guest_nice are already inside user and nice, so they
 * are not added again (that is "guest subtracted"); iowait counts as idle.
 */
export function coreUsage(prev: CpuTimes, cur: CpuTimes): CoreUsage {
  const total = (t: CpuTimes) => t.user + t.nice + t.system + t.idle + t.iowait + t.irq + t.softirq + t.steal;
  const ticks = total(cur) - total(prev);
  if (!(ticks > 0)) return { busy: 0, steal: 0, ticks: 0 };
  const idle = cur.idle + cur.iowait - (prev.idle + prev.iowait);
  const steal = cur.steal - prev.steal;
  const clamp = (x: number) => Math.min(1, Math.max(0, x));
  return { busy: clamp((ticks - idle - steal) / ticks), steal: clamp(steal / ticks), ticks };
}

/** The fields of `/proc/<pid>/stat` or `/proc/<pid>/task/<tid>/stat` the sampler uses. */
export interface TaskStat {
  pid: number;
  comm: string;
  /** R running/runnable, S sleeping, D disk wait, Z zombie, T stopped, … */
  state: string;
  ppid: number;
  pgrp: number;
  session: number;
  /** Ticks in user and kernel mode (this task; for a process: all its threads, dead ones too). */
  utime: number;
  stime: number;
  /** Ticks of waited-for (reaped) children. */
  cutime: number;
  cstime: number;
  numThreads: number;
  /** Ticks after boot the task started — with the pid, an identity that survives pid reuse. */
  startTime: number;
  /** Field 39: the CPU the task last ran on (-1 when the kernel omits it). */
  processor: number;
}

/**
 * Parses `/proc/<pid>/stat`. `comm` may hold spaces and parentheses (`(a) b (c)`), so it is
 * everything between the first `(` and the LAST `)`; fields are counted from there.
 * Returns null for text that is not a stat line (a process that vanished mid-read).
 */
export function parseTaskStat(text: string): TaskStat | null {
  const bytes = Buffer.from(text, 'utf8');
  return parseTaskStatBytes(bytes, bytes.length);
}

// Fields of proc(5) `stat` the sampler keeps, by number.
const WANTED = [4, 5, 6, 14, 15, 16, 17, 20, 22, 39];
const WANTED_INDEX = new Int8Array(40).fill(-1);
WANTED.forEach((field, i) => {
  WANTED_INDEX[field] = i;
});
const values = new Float64Array(WANTED.length);

/**
 * The same, straight from the bytes read (this runs for every thread at every sample): one pass
 * over the fields after the last `)`, numbers accumulated in place, no intermediate strings.
 */
export function parseTaskStatBytes(buf: Uint8Array, length: number): TaskStat | null {
  let open = -1;
  for (let i = 0; i < length; i++) {
    if (buf[i] === 0x28) {
      open = i;
      break;
    }
  }
  let close = -1;
  for (let i = length - 1; i > open; i--) {
    if (buf[i] === 0x29) {
      close = i;
      break;
    }
  }
  if (open < 1 || close < open || close + 2 >= length) return null;
  let pid = 0;
  for (let i = 0; i < open; i++) {
    const c = buf[i];
    if (c >= 0x30 && c <= 0x39) pid = pid * 10 + (c - 0x30);
    else if (c !== 0x20) return null;
  }
  const state = String.fromCharCode(buf[close + 2]);
  values.fill(NaN);
  let field = 3;
  let value = 0;
  let negative = false;
  let digits = 0;
  for (let i = close + 3; i <= length && field < 40; i++) {
    const c = i < length ? buf[i] : 0x20;
    if (c === 0x20 || c === 0x0a) {
      if (digits > 0 && WANTED_INDEX[field] >= 0) values[WANTED_INDEX[field]] = negative ? -value : value;
      field += 1;
      value = 0;
      negative = false;
      digits = 0;
      if (c === 0x0a) break;
    } else if (c >= 0x30 && c <= 0x39) {
      value = value * 10 + (c - 0x30);
      digits += 1;
    } else if (c === 0x2d) {
      negative = true;
    }
  }
  if (field <= 22 || Number.isNaN(values[8])) return null;
  const processor = values[9];
  return {
    pid,
    comm: decodeUtf8(buf, open + 1, close),
    state,
    ppid: values[0],
    pgrp: values[1],
    session: values[2],
    utime: values[3],
    stime: values[4],
    cutime: values[5],
    cstime: values[6],
    numThreads: values[7],
    startTime: values[8],
    processor: Number.isFinite(processor) ? processor : -1,
  };
}

const decoder = new TextDecoder();

/** UTF-8 text of `buf[start, end)` (`buf` may be any Uint8Array: no Buffer view is built). */
function decodeUtf8(buf: Uint8Array, start: number, end: number): string {
  return decoder.decode(buf.subarray(start, end));
}

/** `/proc/<tid>/schedstat`: nanoseconds on a CPU, nanoseconds runnable but waiting, timeslices. */
export interface SchedStat {
  runNs: number;
  waitNs: number;
  slices: number;
}

/** `schedstat` straight from the bytes read: three decimal numbers. */
export function parseSchedstatBytes(buf: Uint8Array, length: number): SchedStat | null {
  const out = [0, 0, 0];
  let index = 0;
  let digits = 0;
  for (let i = 0; i < length && index < 3; i++) {
    const c = buf[i];
    if (c >= 0x30 && c <= 0x39) {
      out[index] = out[index] * 10 + (c - 0x30);
      digits += 1;
    } else if (c === 0x20 || c === 0x0a) {
      if (digits > 0) index += 1;
      digits = 0;
    } else {
      return null;
    }
  }
  if (digits > 0 && index < 3) index += 1;
  return index === 3 ? { runNs: out[0], waitNs: out[1], slices: out[2] } : null;
}

export function parseSchedstat(text: string): SchedStat | null {
  const parts = text.trim().split(/\s+/);
  if (parts.length < 3) return null;
  const [runNs, waitNs, slices] = parts.map(Number);
  if (![runNs, waitNs, slices].every(Number.isFinite)) return null;
  return { runNs, waitNs, slices };
}

/**
 * `/proc/<pid>/task/<tid>/syscall`: the number of the system call the thread is blocked in,
 * `'running'` while it runs (the kernel cannot tell), or null (not in a syscall: `-1 …`, or
 * unreadable text).
 */
export function parseSyscall(text: string): number | 'running' | null {
  const first = text.trim().split(/\s+/, 1)[0] ?? '';
  if (first === 'running') return 'running';
  const value = Number(first);
  return Number.isInteger(value) && value >= 0 ? value : null;
}

/**
 * The `futex` system call number per architecture (`process.arch`), or null where unknown —
 * then GIL waiting is not measured. x86-64 202, aarch64 / riscv64 / loongarch (generic table) 98,
 * 32-bit x86 and arm 240, ppc64 221, s390x 238.
 */
export function futexSyscallNumber(arch: string): number | null {
  switch (arch) {
    case 'x64': return 202;
    case 'arm64':
    case 'riscv64':
    case 'loong64': return 98;
    case 'ia32':
    case 'arm': return 240;
    case 'ppc64': return 221;
    case 's390x': return 238;
    default: return null;
  }
}
