/** What the user must know before reading the figures: live, failed, hung, cancelled, damaged. */
import type { WireReport } from '../../protocol';
import { h } from '../dom';
import { locationButton } from './findings';
import { plural, seconds } from '../format';
import type { RunData } from '../runData';
import { verdict } from './summary';

type Level = 'info' | 'warning' | 'problem';

/** The run's outcome as one word (the panel's `data-state`). */
export function runState(report: WireReport): 'finished' | 'failed' | 'hung' | 'cancelled' {
  if (report.cancelled) return 'cancelled';
  if (report.hung) return 'hung';
  if (report.exitCode !== 0 || report.signal) return 'failed';
  return 'finished';
}

function notice(level: Level, kind: string, title: string, detail: string): HTMLElement {
  return h('div', { class: `notice ${level}`, role: level === 'info' ? 'status' : 'alert', 'data-notice': kind },
    h('strong', {}, title), ' ', detail);
}

export function renderNotices(data: RunData): HTMLElement {
  const list: HTMLElement[] = [];
  const report = data.report;
  if (data.live) {
    list.push(notice('info', 'live', 'Running.', `Sampling every ${data.sampleIntervalMs} ms; Stop ends the script and every process it started.`));
  } else if (report) {
    const state = runState(report);
    if (state === 'cancelled') {
      list.push(notice('warning', 'cancelled', 'Run cancelled.', `It was stopped after ${seconds(report.wallSeconds)}; the figures cover the part that ran.`));
    } else if (state === 'hung') {
      const hang = verdict(report, 'hang');
      list.push(notice('problem', 'hung', hang?.title ?? 'The pool hung.', hang?.detail ?? 'A pool could never finish, so the run was ended. See the findings for the cause.'));
    } else if (state === 'failed') {
      const how = report.signal ? `was killed by ${report.signal}` : `exited with code ${report.exitCode ?? 'unknown'}`;
      list.push(notice('problem', 'failed', `The script ${how}.`, 'Its output is in the terminal; the figures cover the part that ran.'));
    }
    const ingest = report.ingest;
    if (ingest && (ingest.corruptLines > 0 || ingest.droppedEvents > 0)) {
      const parts = [
        ingest.corruptLines > 0 ? `${plural(ingest.corruptLines, 'corrupt event line')} skipped` : '',
        ingest.droppedEvents > 0 ? `${plural(ingest.droppedEvents, 'event')} dropped` : '',
      ].filter(Boolean).join(', ');
      list.push(notice('warning', 'ingest', 'Some events were damaged.', `${parts}: lanes and task counts may be incomplete.`));
    }
    if (report.sampler?.coarse) {
      list.push(notice('info', 'coarse', 'Approximate per-core figures.', 'This platform has no per-thread counters, so the sampler used the coarser os.cpus() figures.'));
    }
  }
  return h('div', { class: 'notices' }, ...list);
}

function validSite(site: unknown): site is { file: string; line: number } {
  const s = site as { file?: unknown; line?: unknown } | null | undefined;
  return typeof s?.file === 'string' && s.file !== '' && typeof s.line === 'number' && s.line > 0;
}

export function renderVerdicts(report: WireReport, skip: ReadonlySet<string>): HTMLElement | null {
  const verdicts = Array.isArray(report.metrics?.verdicts) ? report.metrics.verdicts.filter((v) => v && !skip.has(v.id)) : [];
  if (verdicts.length === 0) return null;
  return h('section', { class: 'verdicts', 'aria-labelledby': 'verdicts-title' },
    h('h2', { id: 'verdicts-title' }, 'Verdicts'),
    h('ul', {}, ...verdicts.map((v) => h('li', { class: `verdict ${v.level}`, 'data-verdict': v.id },
      h('strong', {}, v.title), ' — ', v.detail,
      // The line it is about, when the report names one (reports from before had none).
      ...(validSite(v.site) ? [' ', locationButton(v.site)] : [])))));
}
