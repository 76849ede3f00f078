/**
 * The Run tab: notices, summary cards, cores used, the per-core heatmap, worker lanes, the pool
 * and the findings. Built once per run (`runStarted`, `runFinished`, `init`); a live update
 * only calls `update`, which changes text and redraws the charts in place.
 */
import { errorBox, h, safely } from '../dom';
import type { RunData } from '../runData';
import { CoresUsedView } from './coresUsed';
import { renderFindings } from './findings';
import { HeatmapView } from './heatmap';
import { LanesView } from './lanes';
import { renderNotices, renderVerdicts } from './notices';
import { renderPool } from './pool';
import { CARD_VERDICTS, SummaryView } from './summary';

interface Part { what: string; element: HTMLElement; measure?(width?: number): void; mount?(): void; update?(data: RunData): void; destroy?(): void }

export class RunView {
  readonly element: HTMLElement;
  private readonly parts: Part[] = [];

  constructor(data: RunData) {
    const part = (what: string, make: () => Omit<Part, 'what'>): HTMLElement => {
      let made: Part | undefined;
      const element = safely(what, () => (made = Object.assign(make(), { what })).element);
      if (made) this.parts.push(made);
      return element;
    };
    const report = data.report;
    this.element = h('div', { class: 'run', 'data-live': data.live ? 'true' : 'false' },
      safely('the run status', () => renderNotices(data)),
      part('the summary', () => new SummaryView(data)),
      // Verdicts the cards or the hang notice already state are not repeated.
      report ? safely('the verdicts', () => renderVerdicts(report, report.hung ? new Set([...CARD_VERDICTS, 'hang']) : CARD_VERDICTS) ?? h('div')) : null,
      part('the cores-used chart', () => new CoresUsedView(data)),
      part('the per-core heatmap', () => new HeatmapView(data)),
      part('the worker lanes', () => new LanesView(data)),
      h('div', { class: 'columns' },
        safely('the pool configuration', () => renderPool(data)),
        report ? safely('the findings', () => renderFindings(Array.isArray(report.findings) ? report.findings : [])) : null));
  }

  /**
   * Call once the view is in the page: the charts draw in the same frame. `width`: the width
   * the charts will have (the run panel's, read before the view went in: no layout is forced);
   * without it they read their own.
   */
  mount(width?: number): void {
    this.each((part) => part.measure?.(width));
    this.each((part) => part.mount?.());
  }

  update(data: RunData): void {
    this.each((part) => part.update?.(data));
  }

  private each(action: (part: Part) => void): void {
    for (const part of [...this.parts]) {
      try {
        action(part);
      } catch (error) {
        // One damaged view must not stop the others from following the run.
        part.destroy?.();
        part.element.replaceWith(errorBox(part.what, error));
        this.parts.splice(this.parts.indexOf(part), 1);
      }
    }
  }

  destroy(): void {
    for (const part of this.parts) part.destroy?.();
  }
}
