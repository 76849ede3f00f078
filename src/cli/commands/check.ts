/**
 * `parascope check PATH… [--format text|json|sarif] [--start-method …] [--python-version 3.X]`
 *
 * Checks Python files without running them. Folders are walked for `*.py` (skipping `.git`,
 * `node_modules`, `__pycache__`, tool caches and virtualenvs). Exit code: 1 when a finding of
 * severity error or warning is reported, 0 otherwise (hints such as PAR030 alone exit 0), 2 on
 * bad usage (an unknown option, a PATH that does not exist). A file that cannot be read, or
 * that is Python 2, gets one clear line and is skipped; it never stops the run.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { Analyzer, type AnalysisFinding } from '../../core/analyze';
import type { Finding } from '../../core/report/model';
import { toSarif, type SarifNotification } from '../../core/report/sarif';
import { UsageError, type CheckOptions } from '../args';
import type { CliIO } from '../io';

declare const PARASCOPE_VERSION: string | undefined;
const VERSION = typeof PARASCOPE_VERSION === 'string' ? PARASCOPE_VERSION : 'dev';

/** Folders never walked into. */
const SKIPPED = new Set([
  '.git', '.hg', '.svn', 'node_modules', '__pycache__', '.venv', 'venv', '.tox', '.nox', '.mypy_cache', '.pytest_cache',
  '.ruff_cache', 'site-packages', '.eggs',
]);

interface Note {
  file: string;
  line?: number;
  level: 'note' | 'warning';
  message: string;
}

export async function checkCommand(options: CheckOptions, io: CliIO): Promise<number> {
  const files = await collect(options.paths, io);
  const analyzer = await Analyzer.load();
  const findings: AnalysisFinding[] = [];
  const notes: Note[] = [];
  for (const file of files) {
    if (io.signal.aborted) break;
    const shown = display(file, io.cwd);
    let text: string;
    try {
      const bytes = await readFile(file);
      if (bytes.includes(0)) {
        notes.push({ file: shown, level: 'warning', message: 'skipped: not a text file (it contains NUL bytes).' });
        continue;
      }
      text = bytes.toString('utf8');
    } catch (error) {
      notes.push({ file: shown, level: 'warning', message: `skipped: cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).` });
      continue;
    }
    const result = analyzer.analyze(text, {
      fileName: shown,
      startMethod: options.startMethod,
      pythonVersion: options.pythonVersion,
      platform: process.platform,
    });
    for (const note of result.notes) {
      if (note.kind === 'python2') notes.push({ file: shown, line: note.line, level: 'note', message: `skipped: ${note.message.charAt(0).toLowerCase()}${note.message.slice(1)}` });
    }
    findings.push(...result.findings);
  }
  const failing = findings.some((f) => f.severity === 'error' || f.severity === 'warning');
  switch (options.format) {
    case 'json':
      io.out(`${JSON.stringify(findings.map(checkJson), null, 2)}\n`);
      for (const note of notes) io.err(noteLine(note));
      break;
    case 'sarif': {
      const notifications: SarifNotification[] = notes.map((n) => ({ level: n.level, message: n.message, file: n.file, line: n.line }));
      io.out(`${JSON.stringify(toSarif(findings, { toolVersion: VERSION, root: io.cwd, notifications }), null, 2)}\n`);
      for (const note of notes) io.err(noteLine(note));
      break;
    }
    default:
      io.out(textReport(findings, notes, files.map((f) => display(f, io.cwd))));
  }
  return failing ? 1 : 0;
}

/** The Check JSON object of the product contract: exactly these fields. */
function checkJson(f: AnalysisFinding): Pick<Finding, 'rule' | 'severity' | 'message' | 'file' | 'line' | 'column' | 'endLine' | 'endColumn'> {
  return { rule: f.rule, severity: f.severity, message: f.message, file: f.file, line: f.line, column: f.column, endLine: f.endLine, endColumn: f.endColumn };
}

function noteLine(note: Note): string {
  return `${note.file}${note.line ? `:${note.line}` : ''}: ${note.level}: ${note.message}\n`;
}

/** Findings and notes file by file, in the order the files were checked, then a summary line. */
function textReport(findings: AnalysisFinding[], notes: Note[], files: string[]): string {
  const lines: string[] = [];
  for (const file of files) {
    for (const n of notes) if (n.file === file) lines.push(noteLine(n).trimEnd());
    for (const f of findings) if (f.file === file) lines.push(`${f.file}:${f.line}:${f.column}: ${f.severity} ${f.rule} ${f.message}`);
  }
  const checked = files.length;
  const count = (s: string) => findings.filter((f) => f.severity === s).length;
  const parts = [['error', count('error')], ['warning', count('warning')], ['hint', count('hint') + count('info')]]
    .filter(([, n]) => (n as number) > 0)
    .map(([s, n]) => `${n} ${s}${n === 1 ? '' : 's'}`);
  const scope = `${checked} file${checked === 1 ? '' : 's'} checked`;
  lines.push(findings.length ? `${findings.length} finding${findings.length === 1 ? '' : 's'} (${parts.join(', ')}) in ${scope}.` : `No findings in ${scope}.`);
  return `${lines.join('\n')}\n`;
}

/** Files to check: explicit files as given, folders walked for `*.py`; a missing PATH is bad usage. */
async function collect(paths: string[], io: CliIO): Promise<string[]> {
  const out: string[] = [];
  for (const path of paths) {
    const absolute = resolve(io.cwd, path);
    let info;
    try {
      info = await stat(absolute);
    } catch {
      throw new UsageError('check', `no such file or folder: '${path}'.`);
    }
    if (info.isDirectory()) out.push(...(await walk(absolute)));
    else out.push(absolute);
  }
  return [...new Set(out)];
}

async function walk(folder: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(folder, { withFileTypes: true });
  } catch {
    return [];
  }
  if (entries.some((e) => e.name === 'pyvenv.cfg')) return []; // a virtualenv
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const out: string[] = [];
  for (const entry of entries) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED.has(entry.name) && !entry.name.endsWith('.egg-info')) out.push(...(await walk(path)));
    } else if ((entry.isFile() || entry.isSymbolicLink()) && entry.name.endsWith('.py')) {
      out.push(path);
    }
  }
  return out;
}

/** A path as the user sees it: relative to the working folder when inside it, with `/`. */
function display(file: string, cwd: string): string {
  const rel = relative(cwd, file);
  if (!rel || rel.startsWith('..') || isAbsolute(rel)) return file;
  return rel.split(sep).join('/');
}
