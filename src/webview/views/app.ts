/**
 * The panel's top-level view. Renders from the state the host sent (`PanelState`); every view
 * is a function of that state.
 */
import type { PanelState } from '../../protocol';
import { h } from '../dom';

export function renderApp(root: HTMLElement, state: PanelState): void {
  const body = state.report
    ? h('section', { class: 'summary', 'aria-label': 'Last run' },
        h('h2', {}, `Last run: ${state.report.script}`),
        h('p', {}, `${state.report.coresUsed.toFixed(2)} cores used of ${state.report.usableCpus} usable · wall ${state.report.wallSeconds.toFixed(2)} s`))
    : h('section', { class: 'empty', 'aria-label': 'No run yet' },
        h('h2', {}, 'No run yet'),
        h('p', {}, 'Run “Parascope: Run Script with Pool…” on a Python file to see per-core utilization, worker lanes and verdicts here.'));
  root.replaceChildren(
    h('header', { class: 'machine' },
      h('h1', {}, 'Parascope'),
      h('span', { class: 'cores', 'data-cores': state.machine.cpuCount }, `${state.machine.cpuCount} cores · ${state.machine.platform}`)),
    body,
  );
}
