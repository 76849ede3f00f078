/**
 * The panel's top level: header with the commands, Run / Sweep tabs (the selected one kept with
 * `setState`), and the views. Messages mark what changed; one animation frame renders it:
 * `init`, `runStarted` and `runFinished` rebuild the Run tab; live batches only update the views
 * in place; sweep messages rebuild the Sweep tab.
 */
import type { PanelState, WireMessage, WireReport } from '../../protocol';
import { isColumn, isTaskColumns } from '../../protocolCodec';
import { errorBox, h, safely, setText } from '../dom';
import { baseName, poolShape } from '../format';
import { timings } from '../perf';
import { fromLive, fromReport, type RunData } from '../runData';
import { saveState, savedState, type TabId } from '../vscodeApi';
import { runState } from './notices';
import { RunView } from './run';
import { SweepView } from './sweep';
import { Toolbar } from './toolbar';

const TABS: [TabId, string][] = [['run', 'Run'], ['sweep', 'Sweep']];

/** The store's snapshot in the webview: the report as received (sample columns plain or encoded). */
type State = PanelState<WireReport>;

export class App {
  private state: State | undefined;
  private toolbar: Toolbar | undefined;
  private runView: RunView | undefined;
  private sweepView: SweepView | undefined;
  private readonly panels = new Map<TabId, HTMLElement>();
  private readonly tabs = new Map<TabId, HTMLButtonElement>();
  private readonly announcer = h('p', { class: 'visually-hidden', 'aria-live': 'polite', id: 'announcer' });
  private tab: TabId;
  /** Live samples appended since the live run started (the store keeps only the newest). */
  private appended = 0;
  private tasksAppended = 0;
  /** In the self-contained HTML report (the store does not keep this flag: `init` brings it). */
  private standalone = false;
  private dirty = { all: false, run: false, live: false, sweep: false };
  private scheduled = false;

  constructor(private readonly root: HTMLElement) {
    this.tab = savedState().tab ?? 'run';
    // The panel announces through its own live regions (#announcer, the lanes'). The HTML
    // report's shell still marks #app as one, which live updates would make chatter.
    root.removeAttribute('aria-live');
  }

  /** Called after the store applied `message`; `state` is the store's snapshot. */
  receive(message: WireMessage, state: State): void {
    const started = performance.now();
    const previous = this.state;
    this.state = state;
    switch (message.type) {
      case 'init':
        this.standalone = message.state.standalone === true;
        this.appended = state.live?.samples.t.length ?? 0;
        this.tasksAppended = state.live?.tasks.length ?? 0;
        if (!savedState().tab && !state.report && !state.live && (state.sweep || state.sweepProgress)) this.tab = 'sweep';
        this.dirty.all = true;
        break;
      case 'runStarted':
        this.appended = 0;
        this.tasksAppended = 0;
        this.dirty.run = true;
        if (!state.sweepProgress) this.select('run', false);
        this.announce(`Run started: ${baseName(message.header.script)} with ${poolShape(message.header.pool.kind, message.header.pool.workers, message.header.pool.startMethod)}.`);
        break;
      case 'runSamples':
        if (state.live?.header.runId !== message.runId) return;
        this.appended += message.batch.t?.length ?? 0;
        this.dirty.live = true;
        break;
      case 'runTasks':
        if (state.live?.header.runId !== message.runId) return;
        this.tasksAppended += message.tasks.length;
        this.dirty.live = true;
        break;
      case 'runFinished':
        this.dirty.run = true;
        this.announce(`Run ${runState(message.report)}: ${baseName(String(message.report.script ?? ''))}.`);
        break;
      case 'sweepProgress':
        this.dirty.sweep = true;
        if (previous?.sweepProgress?.sweepId !== message.progress.sweepId) this.select('sweep', false);
        break;
      case 'sweepFinished':
        this.dirty.sweep = true;
        this.announce(message.sweep.recommendation ? `Sweep finished: ${message.sweep.recommendation.reason}` : 'Sweep finished.');
        break;
    }
    timings.apply.push(performance.now() - started);
    this.schedule();
  }

  /** Shows an error in the panel (never a blank page). */
  fail(what: string, error: unknown): void {
    const box = errorBox(what, error);
    box.classList.add('fatal');
    if (this.root.firstChild) this.root.prepend(box);
    else this.root.append(box);
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    requestAnimationFrame(() => this.frame());
  }

  private frame(): void {
    this.scheduled = false;
    const state = this.state;
    if (!state) return;
    const started = performance.now();
    const dirty = this.dirty;
    this.dirty = { all: false, run: false, live: false, sweep: false };
    try {
      if (dirty.all) this.build(state);
      else {
        if (dirty.run) this.buildRun(state);
        else if (dirty.live) this.updateLive(state);
        if (dirty.sweep) this.buildSweep(state);
      }
      this.toolbar?.update(state, this.tab);
      this.root.setAttribute('data-state', this.runStateWord(state));
    } catch (error) {
      this.fail('the panel', error);
    }
    timings.render.push(performance.now() - started);
  }

  private runData(state: State): RunData | null {
    if (state.live) return fromLive(state.live, this.appended, this.tasksAppended);
    if (state.report) return fromReport(state.report);
    return null;
  }

  private runStateWord(state: State): string {
    if (state.live) return 'live';
    if (state.report) return runState(state.report);
    return 'empty';
  }

  private build(state: State): void {
    // The width the run's charts will have, read while nothing is dirty (no layout is forced):
    // the charts span the panel, which spans the root.
    const width = this.root.clientWidth;
    this.runView?.destroy();
    this.sweepView?.destroy();
    this.runView = undefined;
    this.sweepView = undefined;
    this.toolbar = new Toolbar(state, this.standalone);
    const tablist = h('div', { class: 'tabs', role: 'tablist', 'aria-label': 'Views' });
    this.tabs.clear();
    this.panels.clear();
    for (const [id, label] of TABS) {
      const tab = h('button', { type: 'button', role: 'tab', id: `tab-${id}`, 'aria-controls': `panel-${id}`, 'data-tab': id }, label);
      tab.addEventListener('click', () => this.select(id, true));
      tab.addEventListener('keydown', (event) => this.tabKey(event));
      this.tabs.set(id, tab);
      tablist.append(tab);
      this.panels.set(id, h('section', { role: 'tabpanel', id: `panel-${id}`, 'aria-labelledby': `tab-${id}`, class: 'tab-panel' }));
    }
    this.root.replaceChildren(this.toolbar.element, tablist, ...this.panels.values(), this.announcer);
    this.select(this.tab, false);
    this.buildRun(state, width);
    this.buildSweep(state);
  }

  /** `width`: the run panel's width when known without a layout (else read from the panel). */
  private buildRun(state: State, width?: number): void {
    const panel = this.panels.get('run');
    if (!panel) return this.build(state);
    const chartWidth = panel.hidden ? undefined : width ?? panel.clientWidth;
    this.runView?.destroy();
    this.runView = undefined;
    const data = this.runData(state);
    if (!data) {
      panel.replaceChildren(h('div', { class: 'empty' },
        h('h2', {}, 'No run yet'),
        h('p', {}, 'Run “Parascope: Run Script with Pool…” on a Python file to see per-core utilization, worker lanes and verdicts here.')));
      return;
    }
    const problems = state.report && !state.live ? reportProblems(state.report) : [];
    let made: RunView | undefined;
    const view = safely('the run', () => (made = new RunView(data)).element);
    this.runView = made;
    panel.replaceChildren(
      problems.length ? errorBox('this report completely', new Error(`missing or invalid: ${problems.join(', ')}`)) : '',
      view);
    made?.mount(chartWidth);
  }

  private updateLive(state: State): void {
    if (!state.live || !this.runView) return;
    this.runView.update(fromLive(state.live, this.appended, this.tasksAppended));
  }

  private buildSweep(state: State): void {
    const panel = this.panels.get('sweep');
    if (!panel) return this.build(state);
    this.sweepView?.destroy();
    this.sweepView = undefined;
    setText(this.tabs.get('sweep')!, state.sweepProgress ? `Sweep (${state.sweepProgress.done}/${state.sweepProgress.planned})` : 'Sweep');
    if (!state.sweep && !state.sweepProgress) {
      panel.replaceChildren(h('div', { class: 'empty' },
        h('h2', {}, 'No sweep yet'),
        h('p', {}, 'Run “Parascope: Sweep Pool Sizes…” to compare threads and processes at 1, 2, 4… workers on your own workload.')));
      return;
    }
    let made: SweepView | undefined;
    panel.replaceChildren(safely('the sweep', () => (made = new SweepView(state.sweep, state.sweepProgress, this.standalone)).element));
    this.sweepView = made;
    made?.mount();
  }

  private select(tab: TabId, focus: boolean): void {
    this.tab = tab;
    for (const [id, button] of this.tabs) {
      const selected = id === tab;
      button.setAttribute('aria-selected', String(selected));
      button.tabIndex = selected ? 0 : -1;
      if (selected && focus) button.focus();
    }
    for (const [id, panel] of this.panels) panel.hidden = id !== tab;
    if (focus) saveState({ tab });
    if (this.state) this.toolbar?.update(this.state, tab);
  }

  private tabKey(event: KeyboardEvent): void {
    const ids = TABS.map(([id]) => id);
    const index = ids.indexOf(this.tab);
    const next = event.key === 'ArrowRight' ? ids[(index + 1) % ids.length]
      : event.key === 'ArrowLeft' ? ids[(index - 1 + ids.length) % ids.length]
        : event.key === 'Home' ? ids[0] : event.key === 'End' ? ids[ids.length - 1] : undefined;
    if (!next) return;
    event.preventDefault();
    this.select(next, true);
  }

  private announce(message: string): void {
    this.announcer.textContent = message;
  }
}

/** What a report lacks that the views need (a damaged file, another version). */
function reportProblems(report: State['report']): string[] {
  if (!report || typeof report !== 'object') return ['the report'];
  const problems: string[] = [];
  if (report.schema !== 'parascope.report/1') problems.push(`schema (${String(report.schema)})`);
  for (const key of ['sampleTimes', 'coresUsedSeries'] as const) {
    if (!isColumn(report[key])) problems.push(key);
  }
  for (const key of ['cores', 'workers', 'tasks', 'findings'] as const) {
    if (!Array.isArray(report[key]) && !(key === 'tasks' && isTaskColumns(report.tasks))) problems.push(key);
  }
  for (const key of ['wallSeconds', 'cpuSeconds', 'coresUsed', 'usableCpus'] as const) {
    if (typeof report[key] !== 'number') problems.push(key);
  }
  if (!report.metrics || typeof report.metrics !== 'object') problems.push('metrics');
  return problems;
}
