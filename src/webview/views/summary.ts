/**
 * Summary cards: wall, CPU, cores used of usable, efficiency, the GIL verdict with its reason,
 * IPC share, oversubscription. Built once per run; live updates only change their text.
 */
import { fannedOut, type Verdict } from '../../core/report/model';
import type { WireReport } from '../../protocol';
import { h, setText, text } from '../dom';
import { fixed, percent, plural, seconds } from '../format';
import { mean, type RunData } from '../runData';

type CardId = 'wall' | 'cpu' | 'cores' | 'efficiency' | 'gil' | 'ipc' | 'oversubscription';

interface Card { value: Text; detail: Text; element: HTMLElement }

/** Verdict ids a card already shows (the verdict list below skips them). */
export const CARD_VERDICTS: ReadonlySet<Verdict['id']> = new Set(['gil', 'efficiency', 'ipc', 'oversubscription']);

export function verdict(report: WireReport | null, id: Verdict['id']): Verdict | undefined {
  return Array.isArray(report?.metrics?.verdicts) ? report.metrics.verdicts.find((v) => v?.id === id) : undefined;
}

export class SummaryView {
  readonly element: HTMLElement;
  private readonly cards = new Map<CardId, Card>();

  constructor(data: RunData) {
    const titles: [CardId, string][] = [
      ['wall', 'Wall time'], ['cpu', 'CPU time'], ['cores', 'Cores used'], ['efficiency', 'Parallel efficiency'],
      ['gil', 'GIL'], ['ipc', 'IPC share'], ['oversubscription', 'Oversubscription'],
    ];
    this.element = h('section', { class: 'cards', 'aria-label': 'Summary' },
      ...titles.map(([id, title]) => {
        const card: Card = { value: text('—'), detail: text(''), element: h('div') };
        card.element = h('div', { class: 'card', 'data-card': id },
          h('h3', {}, title), h('p', { class: 'value' }, card.value), h('p', { class: 'detail' }, card.detail));
        this.cards.set(id, card);
        return card.element;
      }));
    this.update(data);
  }

  update(data: RunData): void {
    const report = data.report;
    if (report) this.finished(report);
    else this.live(data);
  }

  private set(id: CardId, value: string, detail: string, level?: Verdict['level']): void {
    const card = this.cards.get(id)!;
    setText(card.value, value);
    setText(card.detail, detail);
    if (level) card.element.setAttribute('data-level', level);
    else card.element.removeAttribute('data-level');
  }

  private live(data: RunData): void {
    const now = data.coresUsed[data.coresUsed.length - 1];
    let cpu = 0, task = 0, pickle = 0;
    for (const w of data.workers) cpu += w.cpuSeconds || 0;
    const tasks = data.tasks;
    for (let i = 0; i < tasks.length; i++) { task += Math.max(0, tasks.end(i) - tasks.start(i)); pickle += tasks.pickleSeconds(i); }
    this.set('wall', seconds(data.elapsed), 'so far');
    this.set('cpu', seconds(cpu), `in ${plural(data.workers.length, 'worker')} seen so far`);
    this.set('cores', `${fixed(now ?? 0, 1)} of ${data.usableCpus}`, `now · ${fixed(mean(data.coresUsed), 2)} on average`);
    this.set('efficiency', '—', 'known when the run ends');
    this.set('gil', '…', 'the verdict comes when the run ends');
    this.set('ipc', task > 0 ? percent(pickle / task, 1) : '—', task > 0 ? `of task time spent pickling, over ${plural(data.tasks.length, 'task')}` : 'no task finished yet');
    this.set('oversubscription', '—', 'known when the run ends');
  }

  private finished(report: WireReport): void {
    const m = report.metrics;
    this.set('wall', seconds(report.wallSeconds), exitWords(report));
    this.set('cpu', seconds(report.cpuSeconds),
      report.wallSeconds > 0 ? `${fixed(report.cpuSeconds / report.wallSeconds, 2)} CPU-seconds per second` : '');
    this.set('cores', `${fixed(report.coresUsed, 2)} of ${report.usableCpus}`,
      `usable CPUs${report.cpuCount !== report.usableCpus ? ` (the machine has ${report.cpuCount})` : ''}`);
    const eff = verdict(report, 'efficiency');
    if (fannedOut(report.workers)) {
      this.set('efficiency', percent(m?.parallelEfficiency), eff?.detail ?? `utilization: ${m?.utilizationClass ?? 'unknown'}`, eff?.level);
    } else {
      this.set('efficiency', '—', 'the program never fanned work out (no pool workers, threads or processes)');
    }
    this.set('gil', ...gilWords(report));
    const ipc = verdict(report, 'ipc');
    this.set('ipc', percent(m?.ipcShare, 1), ipc?.detail ?? 'of task time spent pickling arguments and results', ipc?.level);
    const over = verdict(report, 'oversubscription');
    this.set('oversubscription', m?.oversubscription == null ? '—' : fixed(m.oversubscription, 2),
      over?.detail ?? oversubscriptionWords(m?.oversubscription), over?.level);
  }
}

/** The GIL card: the verdict's title and reason, or the metrics in words. */
function gilWords(report: WireReport): [string, string, Verdict['level'] | undefined] {
  const free = verdict(report, 'free-threaded');
  if (report.python?.freeThreaded && report.python.gilEnabled === false) {
    return ['Free-threaded', free?.detail ?? 'this interpreter runs without the GIL', 'good'];
  }
  const gil = verdict(report, 'gil');
  if (!gil && typeof report.metrics?.gilBound !== 'boolean') return ['—', 'not measured for this run', undefined];
  const waits = report.metrics?.gilWaitShare;
  if (gil) return [gil.title, gil.detail, gil.level];
  if (report.metrics?.gilBound) {
    return ['GIL-bound', `threads took turns holding the GIL${waits != null ? `; ${percent(waits)} of their time was spent waiting for it` : ''}`, 'problem'];
  }
  return ['Not GIL-bound', waits != null ? `threads waited for the GIL ${percent(waits)} of the time` : 'no sign of GIL contention', 'good'];
}

function exitWords(report: WireReport): string {
  if (report.cancelled) return 'cancelled';
  if (report.hung) return 'ended: the pool hung';
  if (report.signal) return `killed by ${report.signal}`;
  if (report.exitCode === 0) return 'exit code 0';
  return `exit code ${report.exitCode ?? 'unknown'}`;
}

function oversubscriptionWords(value: number | null | undefined): string {
  if (value == null) return 'not measured on this platform';
  if (value < 0.05) return 'threads rarely waited for a core';
  if (value < 0.5) return 'threads sometimes waited for a core';
  return 'more runnable threads than cores: they queued for CPU';
}
