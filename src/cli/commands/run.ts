/**
 * `parascope run`: runs the script under the harness with the script's output passed straight
 * through (bytes untouched) and stdin piped in; Ctrl+C cancels the whole process tree. After the
 * run it writes the requested reports and prints the summary on stderr, so stdout stays the
 * program's own. Exit code: the script's (128 + signal when it was killed by one); 2 when it
 * could not be launched.
 */
import { constants } from 'node:os';
import { resolve } from 'node:path';
import type { RunOptions } from '../args';
import type { CliIO } from '../io';
import { describeError, UserFacingError } from '../../core/errors';
import { startRun, type RunHandle, type RunRequest } from '../../core/run/run';
import type { Report } from '../../core/report/model';
import { reportToJson, writeText } from '../../core/report/json';
import { loadWebviewAssets, reportToHtml } from '../../core/report/html';
import { reportToTrace, traceToJson } from '../../core/report/trace';
import { formatSummary } from '../../core/report/summary';

export interface ReportOutputs {
  json: string | null;
  html: string | null;
  trace: string | null;
}

/** Writes the requested report files (paths relative to `cwd`); returns the problems, if any. */
export async function writeReports(report: Report, outputs: ReportOutputs, cwd: string): Promise<string[]> {
  const problems: string[] = [];
  const attempt = async (kind: string, path: string | null, make: () => string) => {
    if (path === null) return;
    const target = resolve(cwd, path);
    try {
      await writeText(target, make());
    } catch (error) {
      problems.push(`could not write the ${kind} report to ${target}: ${describeError(error)}`);
    }
  };
  await attempt('JSON', outputs.json, () => reportToJson(report));
  await attempt('HTML', outputs.html, () => reportToHtml(report, loadWebviewAssets()));
  await attempt('trace', outputs.trace, () => traceToJson(reportToTrace(report)));
  return problems;
}

/** The shell's convention: the script's code, or 128 + the signal that killed it. */
export function exitCodeOf(report: Report): number {
  if (report.exitCode !== null) return report.exitCode;
  const signal = report.signal as keyof typeof constants.signals | null;
  if (signal && constants.signals[signal] !== undefined) return 128 + constants.signals[signal];
  return 1;
}

export function runRequest(options: RunOptions, io: CliIO): RunRequest {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(io.env)) if (value !== undefined) env[key] = value;
  return {
    script: options.script,
    args: options.scriptArgs,
    cwd: io.cwd,
    env,
    python: options.python,
    pool: { kind: options.pool, workers: options.workers, startMethod: options.startMethod, chunksize: options.chunksize },
    intervalMs: options.intervalMs,
  };
}

export async function runCommand(options: RunOptions, io: CliIO): Promise<number> {
  const write = io.write ?? ((stream: 'stdout' | 'stderr', data: Buffer) => (stream === 'stdout' ? io.out : io.err)(data.toString('utf8')));
  let handle: RunHandle;
  try {
    handle = await startRun(runRequest(options, io), { onOutput: (data, stream) => write(stream, data) });
  } catch (error) {
    if (error instanceof UserFacingError) {
      io.err(`parascope run: ${describeError(error)}\n`);
      return 2;
    }
    throw error;
  }

  const cancel = () => void handle.cancel();
  if (io.signal.aborted) cancel();
  else io.signal.addEventListener('abort', cancel, { once: true });

  const stdin = io.stdin;
  const onData = (chunk: Buffer) => handle.write(chunk);
  const onEnd = () => handle.endInput();
  if (stdin) {
    stdin.on('data', onData);
    stdin.once('end', onEnd);
    stdin.once('error', onEnd);
  } else {
    handle.endInput();
  }

  let report: Report;
  try {
    report = await handle.done;
  } finally {
    io.signal.removeEventListener('abort', cancel);
    if (stdin) {
      stdin.off('data', onData);
      stdin.off('end', onEnd);
      stdin.off('error', onEnd);
      stdin.pause(); // stop reading, so the CLI can exit
    }
  }

  const problems = await writeReports(report, { json: options.json, html: options.html, trace: options.trace }, io.cwd);
  // The summary follows the program's own output on stdout (issue #4); problems go to stderr.
  io.out(formatSummary(report, { color: io.isTTY?.stdout === true, cwd: io.cwd }));
  for (const problem of problems) io.err(`parascope run: ${problem}\n`);
  const code = exitCodeOf(report);
  return problems.length > 0 && code === 0 ? 1 : code;
}
