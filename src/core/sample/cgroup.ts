/**
 * CPU quota of the cgroup the workload runs in (it inherits ours): cgroup v2 `cpu.max`
 * (`QUOTA PERIOD` or `max PERIOD`), every ancestor up to the root, the tightest wins; cgroup v1
 * `cpu.cfs_quota_us` ÷ `cpu.cfs_period_us` as a fallback. Usable CPUs = min(affinity, quota).
 * Parsers are pure; `readCpuQuota` does the (few, cheap) reads once per run.
 */
import { readFile } from 'node:fs/promises';
import { posix } from 'node:path';

export interface CgroupPaths {
  /** The `0::/path` line (cgroup v2, unified). */
  v2: string | null;
  /** The path of the v1 hierarchy holding the `cpu` controller. */
  v1Cpu: string | null;
}

export function parseProcCgroup(text: string): CgroupPaths {
  let v2: string | null = null;
  let v1Cpu: string | null = null;
  for (const line of text.split('\n')) {
    const first = line.indexOf(':');
    const second = line.indexOf(':', first + 1);
    if (first < 0 || second < 0) continue;
    const controllers = line.slice(first + 1, second);
    const path = line.slice(second + 1).trim();
    if (line.slice(0, first) === '0' && controllers === '') v2 = path;
    else if (controllers.split(',').includes('cpu')) v1Cpu = path;
  }
  return { v2, v1Cpu };
}

/** `cpu.max`: CPUs the quota allows, or null for `max` (no limit) or unreadable text. */
export function parseCpuMax(text: string): number | null {
  const [quota, period] = text.trim().split(/\s+/);
  if (quota === undefined || quota === 'max') return null;
  const q = Number(quota);
  const p = Number(period ?? 100000);
  return q > 0 && p > 0 ? q / p : null;
}

/** cgroup v1: `cpu.cfs_quota_us` (-1 = no limit) ÷ `cpu.cfs_period_us`. */
export function parseCfsQuota(quotaText: string, periodText: string): number | null {
  const q = Number(quotaText.trim());
  const p = Number(periodText.trim());
  return q > 0 && p > 0 ? q / p : null;
}

export interface CpuQuota {
  /** CPUs allowed by the quota, or null when unlimited / unknown. */
  cpus: number | null;
  /** The file that set it, for the report's explanation. */
  source: string | null;
}

async function text(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return null;
  }
}

/** Reads the quota of this process's cgroup (Linux only; elsewhere `{cpus: null}`). */
export async function readCpuQuota(fsRoot = '/'): Promise<CpuQuota> {
  const none: CpuQuota = { cpus: null, source: null };
  if (process.platform !== 'linux' && fsRoot === '/') return none;
  const procCgroup = await text(posix.join(fsRoot, 'proc/self/cgroup'));
  if (procCgroup === null) return none;
  const paths = parseProcCgroup(procCgroup);
  let best: CpuQuota = none;
  const consider = (cpus: number | null, source: string) => {
    if (cpus !== null && (best.cpus === null || cpus < best.cpus)) best = { cpus, source };
  };
  if (paths.v2 !== null) {
    for (const mount of ['sys/fs/cgroup', 'sys/fs/cgroup/unified']) {
      // Walk from the process's own cgroup up to the root: a parent's limit applies too.
      for (let dir = paths.v2; ; dir = posix.dirname(dir)) {
        const file = posix.join(fsRoot, mount, dir, 'cpu.max');
        const content = await text(file);
        if (content !== null) consider(parseCpuMax(content), file);
        if (dir === '/' || dir === '.' || dir === '') break;
      }
    }
  }
  if (paths.v1Cpu !== null) {
    for (const mount of ['sys/fs/cgroup/cpu', 'sys/fs/cgroup/cpu,cpuacct']) {
      for (let dir = paths.v1Cpu; ; dir = posix.dirname(dir)) {
        const base = posix.join(fsRoot, mount, dir);
        const quota = await text(posix.join(base, 'cpu.cfs_quota_us'));
        const period = await text(posix.join(base, 'cpu.cfs_period_us'));
        if (quota !== null && period !== null) consider(parseCfsQuota(quota, period), posix.join(base, 'cpu.cfs_quota_us'));
        if (dir === '/' || dir === '.' || dir === '') break;
      }
    }
  }
  return best;
}
