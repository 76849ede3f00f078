/**
 * The header: the machine, the run's status, Stop (while a run is live) and Export (JSON, HTML,
 * Chrome trace). Built once; `update` changes text and visibility only. In the self-contained
 * HTML report there is no host, so the commands are not shown at all.
 */
import type { ExportFormat, PanelState, WireReport } from '../../protocol';
import { h, setText, text } from '../dom';
import { baseName } from '../format';
import { post, type TabId } from '../vscodeApi';

const FORMATS: [ExportFormat, string][] = [['json', 'JSON'], ['html', 'HTML'], ['trace', 'Chrome trace']];

export class Toolbar {
  readonly element: HTMLElement;
  private readonly status = text();
  private readonly statusElement: HTMLElement;
  private readonly stop: HTMLButtonElement;
  private readonly exports: HTMLElement;
  private readonly buttons = new Map<ExportFormat, HTMLButtonElement>();
  private tab: TabId = 'run';

  constructor(state: PanelState<WireReport>, private readonly standalone: boolean) {
    this.stop = h('button', { type: 'button', class: 'stop', 'data-command': 'stopRun', hidden: true, title: 'Stop the run and every process it started' },
      h('span', { class: 'stop-icon', 'aria-hidden': 'true' }), 'Stop');
    this.stop.addEventListener('click', () => post({ type: 'stopRun' }));
    for (const [format, label] of FORMATS) {
      const button = h('button', { type: 'button', class: 'secondary', 'data-command': 'exportReport', 'data-format': format }, label);
      button.addEventListener('click', () => post({ type: 'exportReport', format, ...(this.tab === 'sweep' ? { target: 'sweep' as const } : {}) }));
      this.buttons.set(format, button);
    }
    this.exports = h('div', { class: 'exports', role: 'group', 'aria-label': 'Export report' },
      h('span', { class: 'muted' }, 'Export'), ...this.buttons.values());
    this.statusElement = h('span', { class: 'status' }, this.status);
    this.element = h('header', { class: 'machine' },
      h('h1', {}, 'Parascope'),
      h('span', { class: 'cores', 'data-cores': state.machine?.cpuCount ?? 0 }, `${state.machine?.cpuCount ?? '?'} cores · ${state.machine?.platform ?? 'unknown platform'}`),
      this.statusElement,
      standalone ? null : h('div', { class: 'commands' }, this.stop, this.exports));
    this.update(state, 'run');
  }

  update(state: PanelState<WireReport>, tab: TabId): void {
    this.tab = tab;
    const live = state.live;
    const report = state.report;
    let status: string;
    let kind: string;
    if (live) {
      status = `● Running ${baseName(live.header.script)}`;
      kind = 'live';
    } else if (report) {
      kind = report.cancelled ? 'cancelled' : report.hung ? 'hung' : report.exitCode !== 0 || report.signal ? 'failed' : 'finished';
      const words = { cancelled: 'cancelled', hung: 'hung', failed: `failed (exit ${report.exitCode ?? report.signal ?? '?'})`, finished: 'finished' }[kind];
      status = `${baseName(String(report.script ?? ''))} — ${words}`;
    } else {
      status = 'No run yet';
      kind = 'empty';
    }
    setText(this.status, status);
    this.statusElement.setAttribute('data-state', kind);
    if (this.standalone) return;
    this.stop.hidden = !live;
    const target = tab === 'sweep' ? state.sweep : live ? null : report;
    for (const [format, button] of this.buttons) {
      button.hidden = tab === 'sweep' && format === 'trace';
      button.disabled = !target;
      button.title = target ? `Export the ${tab === 'sweep' ? 'sweep' : 'run'} as ${format === 'trace' ? 'a Chrome trace' : format.toUpperCase()}` : live ? 'Available when the run ends' : 'Nothing to export yet';
    }
  }
}
