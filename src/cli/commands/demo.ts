/**
 * `parascope demo` (`npm run demo`): profiles the bundled examples — the three classic walls —
 * with `parascope run`'s engine, writes each report as JSON, self-contained HTML and a Chrome
 * trace into `demo-reports/` (ignored by git), and prints one verdict line per example and
 * where the reports are.
 */
import { basename, join, relative, resolve } from 'node:path';
import type { DemoOptions } from '../args';
import type { CliIO } from '../io';
import { describeError, UserFacingError } from '../../core/errors';
import { startRun, type RunHandle } from '../../core/run/run';
import { findExtensionRoot } from '../../core/run/paths';
import type { PoolOverrideKind, Report } from '../../core/report/model';
import { displayPath, outcome, verdictLine } from '../../core/report/summary';
import { writeReports } from './run';

interface DemoStep {
  script: string;
  label: string;
  pool: PoolOverrideKind;
  workers: number | null;
  /** What the one-line verdict shows. */
  show: 'gil' | 'efficiency' | 'findings' | 'script';
  stem: string;
}

export const DEMO_STEPS: DemoStep[] = [
  { script: 'threads_cpu_bound.py', label: 'threads_cpu_bound.py (thread pool, as written)', pool: 'asis', workers: null, show: 'gil', stem: 'threads_cpu_bound' },
  { script: 'threads_cpu_bound.py', label: 'threads_cpu_bound.py --pool process --workers 2', pool: 'process', workers: 2, show: 'efficiency', stem: 'threads_cpu_bound-process' },
  { script: 'pool_unpicklable.py', label: 'pool_unpicklable.py', pool: 'asis', workers: null, show: 'findings', stem: 'pool_unpicklable' },
  { script: 'shared_state.py', label: 'shared_state.py', pool: 'asis', workers: null, show: 'script', stem: 'shared_state' },
];

/** The last `verdict: …` line the script printed. */
function scriptVerdict(output: string): string | null {
  const lines = output.split(/\r?\n/).filter((line) => line.startsWith('verdict: '));
  return lines.length > 0 ? lines[lines.length - 1].slice('verdict: '.length) : null;
}

export function demoVerdict(step: DemoStep, report: Report, output: string, cwd: string): string {
  const failed = report.exitCode !== 0 ? ` (the script ${outcome(report)})` : '';
  const verdicts = report.metrics.verdicts;
  switch (step.show) {
    case 'gil': {
      const gil = verdicts.find((v) => v.id === 'gil');
      if (gil) return `${gil.level === 'problem' ? '✗' : '✓'} ${verdictLine(gil, report)}${failed}`;
      break;
    }
    case 'findings': {
      if (report.findings.length > 0) {
        const shown = report.findings.slice(0, 2).map((f) => `${f.rule} at ${displayPath(f.file, cwd)}:${f.line}${f.path ? ` (${f.path})` : ''}`);
        const more = report.findings.length > 2 ? ` and ${report.findings.length - 2} more` : '';
        return `✗ ${report.findings.length} unpicklable payload${report.findings.length === 1 ? '' : 's'} caught: ${shown.join('; ')}${more}${failed}`;
      }
      break;
    }
    case 'script': {
      const said = scriptVerdict(output);
      if (said) return `✗ ${said}${failed}`;
      break;
    }
    case 'efficiency':
      break;
  }
  const efficiency = verdicts.find((v) => v.id === 'efficiency');
  const icon = efficiency?.level === 'good' ? '✓' : efficiency?.level === 'info' ? '·' : '!';
  return efficiency ? `${icon} ${verdictLine(efficiency, report)}${failed}` : `· ${report.coresUsed.toFixed(2)} cores used${failed}`;
}

export async function demoCommand(options: DemoOptions, io: CliIO): Promise<number> {
  const root = findExtensionRoot();
  if (root === null) throw new UserFacingError('Cannot find the Parascope installation folder (with examples/).');
  const examples = join(root, 'examples');
  const out = options.out !== null ? resolve(io.cwd, options.out) : join(root, 'demo-reports');
  const shownOut = displayPath(out, io.cwd) || out;
  io.out('parascope demo — the three classic walls of parallel Python, profiled\n\n');
  let current: RunHandle | null = null;
  const cancel = () => void current?.cancel();
  io.signal.addEventListener('abort', cancel, { once: true });
  let failures = 0;
  const written: string[] = [];
  try {
    for (const step of DEMO_STEPS) {
      if (io.signal.aborted) break;
      let output = '';
      try {
        current = await startRun(
          {
            script: join(examples, step.script), args: [], cwd: root, python: options.python,
            pool: { kind: step.pool, workers: step.workers, startMethod: null, chunksize: null }, intervalMs: 100,
          },
          {
            onOutput: (data, stream) => {
              if (stream === 'stdout') output += data.toString('utf8');
            },
          },
        );
      } catch (error) {
        if (error instanceof UserFacingError) {
          io.err(`parascope demo: ${describeError(error)}\n`);
          return 2;
        }
        throw error;
      }
      current.endInput();
      const report = await current.done;
      current = null;
      const paths = { json: join(out, `${step.stem}.json`), html: join(out, `${step.stem}.html`), trace: join(out, `${step.stem}.trace.json`) };
      const problems = await writeReports(report, paths, io.cwd);
      for (const problem of problems) io.err(`parascope demo: ${problem}\n`);
      if (report.exitCode !== 0 || problems.length > 0) failures += 1;
      written.push(paths.html);
      io.out(`  ${step.label}\n      ${demoVerdict(step, report, output, root)}\n`);
      if (report.cancelled) break;
    }
  } finally {
    io.signal.removeEventListener('abort', cancel);
  }
  if (io.signal.aborted) {
    io.err('parascope demo: cancelled.\n');
    return 130;
  }
  io.out(`\nReports (JSON, self-contained HTML, Chrome trace) are in ${shownOut}/:\n`);
  for (const html of written) io.out(`  ${displayPath(html, io.cwd)}\n`);
  io.out(
    `Open an .html report in a browser (it works offline); load a .trace.json into https://ui.perfetto.dev or chrome://tracing.\n` +
      `Try one yourself: node dist/cli.js run ${relative(io.cwd, join(examples, 'threads_cpu_bound.py')) || basename(examples)} --pool process\n`,
  );
  return failures > 0 ? 1 : 0;
}
