/**
 * Chrome trace-event JSON (opens in Perfetto and chrome://tracing): one track per worker —
 * its pid/tid, an `X` (complete) event per task with the site, the bytes and the pickling time —
 * per-core counter tracks (`C`) with the workload's, other programs' and the hypervisor's share,
 * a "cores used" counter, and `M` metadata naming processes and threads. Times are
 * microseconds since the run started.
 * Format: https://docs.google.com/document/d/1CvAClvFfyA5R-PhYUmn5OOQtYMH4h6I0nSsKchNAySU
 */
import type { Report } from './model';

/** A pid no real process has (above Linux's pid_max limit of 2^22): the machine's core counters. */
export const MACHINE_PID = 4_194_305;

export interface TraceEvent {
  name: string;
  ph: 'X' | 'C' | 'M' | 'i';
  pid: number;
  tid?: number;
  ts?: number;
  dur?: number;
  cat?: string;
  s?: 'g' | 'p' | 't';
  args?: Record<string, unknown>;
}

export interface ChromeTrace {
  traceEvents: TraceEvent[];
  displayTimeUnit: 'ms';
  otherData: Record<string, unknown>;
}

const us = (seconds: number) => Math.max(0, Math.round(seconds * 1e6));
const pct = (x: number) => Math.round(x * 1000) / 10;

export function reportToTrace(report: Report): ChromeTrace {
  const events: TraceEvent[] = [];
  const processes = new Map<number, string>();
  const mainPid = report.workers.find((w) => w.kind === 'main')?.pid;
  report.workers.forEach((worker) => {
    if (!processes.has(worker.pid)) {
      const inMain = worker.pid === mainPid || worker.kind === 'thread' || worker.kind === 'serial' || (worker.kind === 'lane' && worker.laneKind !== 'process');
      processes.set(worker.pid, inMain ? `python ${worker.pid} (script)` : `python ${worker.pid} (${worker.kind === 'lane' ? 'process' : worker.kind} worker)`);
    }
  });
  let sort = 0;
  for (const [pid, name] of processes) {
    events.push({ name: 'process_name', ph: 'M', pid, args: { name } });
    events.push({ name: 'process_sort_index', ph: 'M', pid, args: { sort_index: sort++ } });
  }
  report.workers.forEach((worker, index) => {
    const label = worker.kind === 'lane'
      ? `${worker.laneKind ?? 'thread'} ${worker.name ?? worker.tid}`
      : `${worker.kind} worker ${index}${worker.name ? ` (${worker.name})` : ''}`;
    events.push({ name: 'thread_name', ph: 'M', pid: worker.pid, tid: worker.tid, args: { name: label } });
    events.push({ name: 'thread_sort_index', ph: 'M', pid: worker.pid, tid: worker.tid, args: { sort_index: index } });
  });
  for (const task of report.tasks) {
    const worker = report.workers[task.worker];
    if (!worker) continue;
    const lane = worker.kind === 'lane';
    const args: Record<string, unknown> = {
      site: task.site ? `${task.site.file}:${task.site.line}` : null,
      argBytes: task.argBytes,
      resultBytes: task.resultBytes,
      pickleMs: Math.round(task.pickleSeconds * 1e6) / 1e3,
      cpuMs: Math.round(task.cpuSeconds * 1e6) / 1e3,
      ok: task.ok,
    };
    if (task.poolId !== null) args.poolId = task.poolId;
    if (task.error !== undefined) args.error = task.error;
    events.push({
      name: task.site?.function ?? (lane ? worker.name ?? 'lane' : 'task'),
      cat: lane ? 'lane' : task.ok ? 'task' : 'task,failed',
      ph: 'X', pid: worker.pid, tid: worker.tid, ts: us(task.start), dur: us(task.end) - us(task.start), args,
    });
  }
  if (report.sampleTimes.length > 0) {
    events.push({ name: 'process_name', ph: 'M', pid: MACHINE_PID, args: { name: `CPU cores (${report.sampler.kind}${report.sampler.coarse ? ', coarse' : ''})` } });
    events.push({ name: 'process_sort_index', ph: 'M', pid: MACHINE_PID, args: { sort_index: -1 } });
    report.sampleTimes.forEach((t, i) => {
      const from = i === 0 ? Math.max(0, t - report.sampleIntervalMs / 1000) : report.sampleTimes[i - 1];
      const ts = us(from);
      events.push({ name: 'cores used', ph: 'C', pid: MACHINE_PID, ts, args: { cores: Math.round(report.coresUsedSeries[i] * 1000) / 1000 } });
      for (const core of report.cores) {
        const busy = core.busy[i] ?? 0;
        const workload = Math.min(busy, core.workload[i] ?? 0);
        events.push({
          name: `core ${core.id} %`, ph: 'C', pid: MACHINE_PID, ts,
          args: { workload: pct(workload), other: pct(busy - workload), steal: pct(core.steal[i] ?? 0) },
        });
      }
    });
  }
  return {
    traceEvents: events,
    displayTimeUnit: 'ms',
    otherData: {
      schema: 'parascope.trace/1',
      report: report.id,
      script: report.script,
      python: report.python.version,
      coresUsed: report.coresUsed,
      usableCpus: report.usableCpus,
      verdicts: report.metrics.verdicts.map((v) => `${v.title}: ${v.detail}`),
    },
  };
}

export function traceToJson(trace: ChromeTrace): string {
  return `${JSON.stringify(trace)}\n`;
}
