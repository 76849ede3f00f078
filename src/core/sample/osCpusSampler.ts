/**
 * The portable fallback (macOS, Windows, Linux without a readable procfs): per-core busy from
 * Node's `os.cpus()`. Coarser, and labelled so (`coarse: true`): libuv reports only
 * user/nice/sys/idle/irq (no iowait, softirq or steal), and nothing per process or thread —
 * the workload's share and its cores used come from the harness's task CPU times instead.
 */
import { cpus } from 'node:os';
import type { Sampler, SamplerResult, SamplePoint } from './types';
import { MIN_INTERVAL_MS } from './procfsSampler';

type Times = { user: number; nice: number; sys: number; idle: number; irq: number };

export interface OsCpusSamplerOptions {
  intervalMs: number;
  startMs: number;
  now?: () => number;
  /** `os.cpus` stand-in for tests. */
  readCpus?: () => { times: Times }[];
  onSample?: (sample: SamplePoint) => void;
}

export function osCoreBusy(prev: Times, cur: Times): number {
  const total = (t: Times) => t.user + t.nice + t.sys + t.idle + t.irq;
  const all = total(cur) - total(prev);
  if (!(all > 0)) return 0;
  return Math.min(1, Math.max(0, 1 - (cur.idle - prev.idle) / all));
}

export class OsCpusSampler implements Sampler {
  readonly kind = 'os.cpus' as const;
  private readonly intervalMs: number;
  private readonly now: () => number;
  private readonly read: () => { times: Times }[];
  private prev: Times[] = [];
  private prevMs = 0;
  private startedAt = 0;
  private readonly samples: SamplePoint[] = [];
  private timer: NodeJS.Timeout | undefined;
  private started = false;
  private stopped = false;
  private ticks = 0;

  constructor(private readonly options: OsCpusSamplerOptions) {
    this.intervalMs = Math.max(MIN_INTERVAL_MS, Math.round(options.intervalMs));
    this.now = options.now ?? (() => performance.now());
    this.read = options.readCpus ?? cpus;
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    this.prev = this.read().map((c) => ({ ...c.times }));
    this.prevMs = this.now();
    this.startedAt = (this.prevMs - this.options.startMs) / 1000;
    this.timer = setInterval(() => {
      try {
        this.tick();
      } catch {
        // never take the host down over one sample
      }
    }, this.intervalMs);
    this.timer.unref?.();
  }

  stop(final = true): void {
    if (!this.started || this.stopped) return;
    if (final) this.tick();
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
  }

  tick(): void {
    if (this.stopped) return;
    const nowMs = this.now();
    if (!(nowMs > this.prevMs)) return;
    this.ticks += 1;
    const cur = this.read().map((c) => ({ ...c.times }));
    const busy = this.prev.map((prev, i) => (cur[i] ? osCoreBusy(prev, cur[i]) : 0));
    const zero = busy.map(() => 0);
    const sample: SamplePoint = { t: (nowMs - this.options.startMs) / 1000, busy, workload: zero, steal: [...zero], coresUsed: 0 };
    this.prev = cur;
    this.prevMs = nowMs;
    this.samples.push(sample);
    this.options.onSample?.(sample);
  }

  scanTree(): { pid: number; startTime: number }[] {
    return [];
  }

  result(): SamplerResult {
    return {
      kind: 'os.cpus',
      coarse: true,
      intervalMs: this.intervalMs,
      coreIds: this.prev.map((_, i) => i),
      samples: this.samples,
      cpuSeconds: 0,
      startedAt: this.startedAt,
      lastAt: this.samples.length > 0 ? this.samples[this.samples.length - 1].t : this.startedAt,
      processes: [],
      threads: [],
      futexSyscall: null,
      stats: { ticks: this.ticks, rescans: 0, reads: 0, syscallReads: 0 },
    };
  }
}
