/**
 * The short human summary `parascope run` prints after the run: one headline (exit, wall, CPU,
 * cores used of usable, parallel efficiency), one line per verdict in words, the findings with
 * file:line. Colours only when asked (the CLI asks when its stream is a TTY).
 */
import { isAbsolute, relative } from 'node:path';
import { fannedOut, type Report, type Verdict } from './model';

export interface SummaryOptions {
  color?: boolean;
  /** Paths are shown relative to this folder when inside it (default: the run's cwd). */
  cwd?: string;
}

const ICONS: Record<Verdict['level'], string> = { problem: '✗', warning: '!', info: '·', good: '✓' };
const COLORS: Record<Verdict['level'], string> = { problem: '31', warning: '33', info: '2', good: '32' };

const f2 = (x: number) => x.toFixed(2);
const pct = (x: number) => `${Math.round(x * 100)} %`;
const num = (x: number) => String(Number(x.toFixed(2)));

export function displayPath(file: string, cwd: string): string {
  if (!file || !isAbsolute(file)) return file;
  const rel = relative(cwd, file);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file;
}

/** How the run ended, in words. */
export function outcome(report: Report): string {
  if (report.cancelled) return 'was cancelled';
  if (report.hung) return `was ended: a pool could never finish (exit ${report.exitCode ?? report.signal})`;
  if (report.exitCode === 121) return 'stopped: the Parascope harness failed (exit 121)';
  if (report.exitCode === 122) return 'did not run: the interpreter is too old for the harness (exit 122)';
  if (report.exitCode === 124) return 'was stopped: it created more processes than allowed (exit 124)';
  if (report.exitCode !== null) return `exited ${report.exitCode}`;
  return `was killed by ${report.signal ?? 'a signal'}`;
}

/** One verdict as a short line (the report keeps the long reason). */
export function verdictLine(verdict: Verdict, report: Report): string {
  const m = report.metrics;
  switch (verdict.id) {
    case 'gil': {
      const g = m.gilProcesses?.find((p) => p.bound === (verdict.level === 'problem') && p.cores !== null);
      if (g && verdict.level === 'problem') {
        return `GIL-bound: ${g.taskThreads} threads busy but ${f2(g.cores as number)} cores used` +
          `${g.waitShare !== null ? ` (waiting for the GIL ${pct(g.waitShare)} of the time)` : ''} — try --pool process`;
      }
      if (g) return `Threads run in parallel: ${g.taskThreads} threads used ${f2(g.cores as number)} cores (the GIL is released)`;
      return `${verdict.title}: ${verdict.detail}`;
    }
    case 'efficiency': {
      if (m.parallelEfficiency === null) return verdict.title;
      const others = m.otherProgramsCores !== undefined && m.otherProgramsCores >= 0.25 ? `; other programs busy on ${f2(m.otherProgramsCores)} cores` : '';
      return `${verdict.title} — ${pct(m.parallelEfficiency)} parallel efficiency (${f2(report.coresUsed)} cores used` +
        `${report.pool.workers !== null ? `, ${report.pool.workers} workers` : ''}${others})`;
    }
    case 'ipc':
      return `Pickling took ${pct(m.ipcShare ?? 0)} of task time — send less data per task or use larger chunks`;
    case 'oversubscription':
      return `Oversubscribed: ${f2(m.oversubscription ?? 0)} threads waiting for a CPU on average`;
    case 'idle':
      return `Workers idle ${pct(m.idleShare ?? 0)} of their lifetime`;
    default:
      return `${verdict.title}: ${verdict.detail}`;
  }
}

const ORDER: Verdict['level'][] = ['problem', 'warning', 'good', 'info'];

export function formatSummary(report: Report, options: SummaryOptions = {}): string {
  const paint = (code: string, text: string) => (options.color ? `\u001b[${code}m${text}\u001b[0m` : text);
  const cwd = options.cwd ?? report.cwd;
  const lines: string[] = [];
  const script = displayPath(report.script, cwd);
  const usable = report.usableCpus < report.cpuCount ? `${num(report.usableCpus)} usable of ${report.cpuCount}` : `${num(report.usableCpus)} usable`;
  lines.push(
    `${paint('1', 'parascope:')} ${script} ${outcome(report)} after ${f2(report.wallSeconds)} s · CPU ${f2(report.cpuSeconds)} s · ` +
      `${f2(report.coresUsed)} cores used (${usable}${report.sampler.coarse ? ', coarse sampling' : ''})` +
      // Like the efficiency verdict: only for a run that fanned work out (pool workers or lanes).
      (report.metrics.parallelEfficiency !== null && fannedOut(report.workers)
        ? ` · efficiency ${pct(report.metrics.parallelEfficiency)}` : ''),
  );
  const verdicts = [...report.metrics.verdicts].sort((a, b) => ORDER.indexOf(a.level) - ORDER.indexOf(b.level));
  for (const verdict of verdicts) {
    if (verdict.id === 'pickling') continue; // the findings below say it with file:line
    lines.push(`  ${paint(COLORS[verdict.level], ICONS[verdict.level])} ${verdictLine(verdict, report)}`);
  }
  const findings = report.findings.slice(0, 8);
  for (const finding of findings) {
    const where = finding.file ? `${displayPath(finding.file, cwd)}:${finding.line}` : '(no location)';
    const level = finding.severity === 'error' ? 'problem' : finding.severity === 'warning' ? 'warning' : 'info';
    lines.push(
      `  ${paint(COLORS[level], ICONS[level])} ${where} ${finding.rule}: ${finding.message}` +
        `${finding.path ? ` (at ${finding.path})` : ''}${finding.type && !finding.message.includes(finding.type) ? ` [${finding.type}]` : ''}`,
    );
  }
  if (report.findings.length > findings.length) lines.push(`  … and ${report.findings.length - findings.length} more findings in the report`);
  if (report.ingest.corruptLines > 0 || report.ingest.droppedEvents > 0) {
    const parts: string[] = [];
    if (report.ingest.corruptLines > 0) parts.push(`${report.ingest.corruptLines} corrupt event line${report.ingest.corruptLines === 1 ? '' : 's'} skipped`);
    if (report.ingest.droppedEvents > 0) parts.push(`${report.ingest.droppedEvents} events dropped by the harness`);
    lines.push(`  ${paint('2', '·')} ${parts.join('; ')}`);
  }
  return `${lines.join('\n')}\n`;
}
