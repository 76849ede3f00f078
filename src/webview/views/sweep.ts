/**
 * The Sweep tab: speedup and efficiency per pool kind against the ideal line (uPlot), the table
 * of points, the recommendation in words, and "Run again". While a sweep runs, the points
 * measured so far and a progress bar.
 */
import type uPlot from 'uplot';
import { busiestElsewhere, type PoolKind, type SweepPoint, type SweepReport } from '../../core/report/model';
import type { SweepProgress } from '../../protocol';
import { h, safely } from '../dom';
import { UChart, axis } from '../charts/uplotChart';
import { css, parseColor, type Palette } from '../theme';
import { baseName, fixed, percent, plural, poolName, poolShape, seconds, times } from '../format';
import { post } from '../vscodeApi';
import { locationButton } from './findings';
import { pythonWords } from './pool';

const KINDS: PoolKind[] = ['process', 'thread', 'interpreter', 'serial'];

interface Curves { workers: number[]; kinds: PoolKind[]; values: (p: SweepPoint) => number | null; ideal: (w: number) => number }

function curves(points: readonly SweepPoint[], metric: 'speedup' | 'efficiency'): Curves {
  const workers = [...new Set(points.map((p) => p.workers).filter((w) => w > 0))].sort((a, b) => a - b);
  const kinds = KINDS.filter((k) => points.some((p) => p.pool === k));
  return {
    workers, kinds,
    values: (p) => (p.failure || !Number.isFinite(p[metric]) ? null : p[metric]),
    ideal: metric === 'speedup' ? (w) => w : () => 1,
  };
}

function chartData(points: readonly SweepPoint[], c: Curves): uPlot.AlignedData {
  const series = c.kinds.map((kind) => c.workers.map((w) => {
    const point = points.find((p) => p.pool === kind && p.workers === w);
    return point ? c.values(point) : null;
  }));
  return [c.workers, c.workers.map(c.ideal), ...series];
}

function chartOptions(c: Curves, metric: 'speedup' | 'efficiency', points: readonly SweepPoint[]) {
  return (p: Palette, width: number): uPlot.Options => {
    const top = Math.max(...points.map((pt) => (Number.isFinite(pt[metric]) ? pt[metric] : 0)), metric === 'speedup' ? Math.max(...c.workers, 1) : 1);
    const ideal = parseColor(p.foreground);
    return {
      width: Math.max(240, Math.min(width, 560)),
      height: 220,
      legend: { show: false },
      cursor: { show: false },
      scales: {
        x: { time: false, distr: 3, log: 2, range: (_u, min, max) => [Math.max(0.8, min / 1.25), max * 1.25] },
        y: { range: () => [0, top * 1.12] },
      },
      axes: [
        axis(p, { label: 'workers', size: 40, splits: () => c.workers }),
        axis(p, { label: metric === 'speedup' ? 'speedup (×)' : 'efficiency', size: 50,
          values: (_u, splits) => splits.map((v) => (metric === 'speedup' ? `${v}×` : `${Math.round(v * 100)} %`)) }),
      ],
      series: [
        {},
        { label: 'ideal', stroke: css({ ...ideal, a: 0.6 }), width: 1, dash: [5, 5], points: { show: false } },
        ...c.kinds.map((kind) => ({
          label: poolName(kind), stroke: p.pools[kind], width: 2, spanGaps: true,
          points: { show: true, size: 7, fill: p.pools[kind], stroke: p.pools[kind] },
        })),
      ],
    };
  };
}

function bestOf(points: readonly SweepPoint[], kind: PoolKind): SweepPoint | undefined {
  return points.filter((p) => p.pool === kind && !p.failure && Number.isFinite(p.speedup)).sort((a, b) => b.speedup - a.speedup)[0];
}

function chartLabel(points: readonly SweepPoint[], c: Curves, metric: 'speedup' | 'efficiency'): string {
  if (c.workers.length === 0) return `${metric === 'speedup' ? 'Speedup' : 'Efficiency'} by workers: no points yet.`;
  const parts = c.kinds.map((kind) => {
    const best = bestOf(points, kind);
    if (!best) return `${poolName(kind)} failed at every point`;
    return metric === 'speedup'
      ? `${poolName(kind)} reach ${times(best.speedup)} with ${plural(best.workers, 'worker')}`
      : `${poolName(kind)} ${percent(best.efficiency)} efficient at ${plural(best.workers, 'worker')}`;
  });
  const ideal = metric === 'speedup' ? `ideal ${times(c.workers[c.workers.length - 1])} at ${c.workers[c.workers.length - 1]}` : 'ideal 100 %';
  return `${metric === 'speedup' ? 'Speedup' : 'Efficiency'} by workers: ${parts.join('; ')} (${ideal}).`;
}

export class SweepView {
  readonly element: HTMLElement;
  private readonly charts: UChart[] = [];

  constructor(sweep: SweepReport | null, progress: SweepProgress | null, standalone: boolean) {
    const points = (progress?.points ?? sweep?.points ?? []).filter((p) => p && typeof p === 'object');
    const running = progress !== null;
    const script = progress?.script ?? sweep?.script ?? '';
    this.element = h('div', { class: 'sweep', 'data-state': running ? 'running' : 'finished' },
      h('div', { class: 'sweep-head' },
        h('h2', {}, `Sweep of ${baseName(script)}`),
        standalone ? null : this.rerun(running)),
      running ? safely('the sweep progress', () => renderProgress(progress)) : null,
      sweep && !running ? safely('the recommendation', () => renderRecommendation(sweep)) : null,
      safely('the sweep charts', () => this.renderCharts(points)),
      safely('the table of points', () => renderTable(points, running ? null : sweep?.recommendation ?? null)),
      sweep ? h('p', { class: 'muted' }, `${pythonWords(sweep.python)} · ${plural(sweep.usableCpus, 'usable CPU')} · ${plural(sweep.repeat, 'run')} per point`) : null);
  }

  /** Call once the view is in the page: the charts draw in the same frame. */
  mount(): void {
    for (const chart of this.charts) chart.measure();
    for (const chart of this.charts) chart.mount();
  }

  destroy(): void {
    for (const chart of this.charts) chart.destroy();
  }

  private rerun(running: boolean): HTMLElement {
    const button = h('button', { type: 'button', class: 'secondary', 'data-command': 'rerunSweep', disabled: running }, 'Run again');
    button.addEventListener('click', () => post({ type: 'rerunSweep' }));
    return button;
  }

  private renderCharts(points: readonly SweepPoint[]): HTMLElement {
    const figure = (metric: 'speedup' | 'efficiency', title: string) => {
      const c = curves(points, metric);
      const target = h('div', { class: 'uplot-host' });
      this.charts.push(new UChart(target, chartOptions(c, metric, points), chartData(points, c), `the ${metric} chart`));
      return h('figure', { class: `chart sweep-${metric}`, role: 'img', 'aria-label': chartLabel(points, c, metric) },
        h('figcaption', {}, h('h3', {}, title),
          h('ul', { class: 'legend', 'aria-hidden': 'true' },
            ...c.kinds.map((kind) => h('li', {}, h('span', { class: `swatch pool-${kind}` }),
              bestOf(points, kind) ? poolName(kind) : `${poolName(kind)} (failed at every point)`)),
            h('li', {}, h('span', { class: 'swatch line ideal' }), 'ideal'))),
        target);
    };
    return h('div', { class: 'sweep-charts' }, figure('speedup', 'Speedup'), figure('efficiency', 'Efficiency'));
  }
}

function renderProgress(progress: SweepProgress): HTMLElement {
  return h('div', { class: 'notice info', role: 'status', 'data-notice': 'sweep-progress' },
    h('strong', {}, `Sweeping: ${progress.done} of ${plural(progress.planned, 'run')} done.`), ' ',
    progress.current ? `Now running ${progress.current}.` : '',
    h('progress', { max: Math.max(1, progress.planned), value: progress.done, 'aria-label': 'Sweep progress' }));
}

function renderRecommendation(sweep: SweepReport): HTMLElement {
  const r = sweep.recommendation;
  const notes: string[] = [];
  const busiest = busiestElsewhere(Array.isArray(sweep.points) ? sweep.points : []);
  if (busiest) {
    notes.push(`Other programs kept up to ${(busiest.busyElsewhere as number).toFixed(2)} cores busy (during ${poolShape(busiest.pool, busiest.workers, null)}): speedups measured meanwhile are lower than on a quiet machine.`);
  }
  if (sweep.noisy) notes.push('The repeats varied a lot: small differences between points may be noise.');
  if (sweep.serialFraction != null && Number.isFinite(sweep.serialFraction)) {
    const limit = sweep.serialFraction > 0 ? ` — at most ${times(1 / sweep.serialFraction)} however many workers` : '';
    notes.push(`Amdahl fit: ${percent(sweep.serialFraction)} of the work is serial${limit}.`);
  }
  for (const stop of Array.isArray(sweep.stoppedEarly) ? sweep.stoppedEarly : []) notes.push(`Stopped early: ${stop}`);
  return h('section', { class: 'recommendation', 'aria-label': 'Recommendation', 'data-pool': r?.pool, 'data-workers': r?.workers },
    r
      ? h('p', { class: 'headline' }, h('strong', {}, r.pool === 'serial' ? 'Recommended: run the tasks serially.' : `Recommended: ${poolShape(r.pool, r.workers, null)}.`), ' ', sentence(r.reason))
      : h('p', { class: 'headline' }, h('strong', {}, 'No recommendation.'), ' No configuration ran without failing.'),
    notes.length ? h('ul', { class: 'notes' }, ...notes.map((n) => h('li', {}, n))) : null);
}

/** The engine's reason as a sentence: capital first letter. */
function sentence(text: string): string {
  const t = String(text ?? '').trim();
  return t ? t[0]!.toUpperCase() + t.slice(1) : '';
}

function renderTable(points: readonly SweepPoint[], recommended: SweepReport['recommendation']): HTMLElement {
  const sorted = [...points].sort((a, b) => KINDS.indexOf(a.pool) - KINDS.indexOf(b.pool) || a.workers - b.workers);
  // Against a serial run too, when the sweep measured one.
  const vsSerial = points.some((p) => p.speedupVsSerial != null);
  const heads = ['Pool', 'Workers', 'Median wall', 'Spread', 'Speedup', ...(vsSerial ? ['vs serial'] : []), 'Efficiency', 'Cores used', 'GIL', 'Failure'];
  return h('table', { class: 'points' },
    h('caption', {}, `Points (${points.length})`, h('span', { class: 'muted' }, ' — spread is (slowest − fastest) ÷ median of the repeats')),
    h('thead', {}, h('tr', {}, ...heads.map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, ...sorted.map((p) => {
      const isRecommended = recommended?.pool === p.pool && recommended.workers === p.workers;
      return h('tr', { 'data-pool': p.pool, 'data-workers': p.workers, 'data-recommended': isRecommended ? 'true' : undefined },
        h('th', { scope: 'row' }, poolName(p.pool), isRecommended ? ' ' : null, isRecommended ? h('span', { class: 'badge' }, 'recommended') : null),
        h('td', {}, String(p.workers)),
        h('td', {}, seconds(p.median)),
        h('td', { class: p.spread > 0.2 ? 'warn' : undefined }, percent(p.spread)),
        h('td', {}, p.failure ? '—' : times(p.speedup)),
        vsSerial ? h('td', {}, p.failure || p.speedupVsSerial == null ? '—' : times(p.speedupVsSerial)) : null,
        h('td', {}, p.failure ? '—' : percent(p.efficiency)),
        h('td', {}, fixed(p.coresUsed, 2)),
        h('td', {}, p.gilBound ? 'GIL-bound' : p.pool === 'thread' ? 'no' : '—'),
        h('td', {}, p.failure
          ? h('span', { class: 'failure' }, `${p.failure.rule}: ${p.failure.message} `, locationButton(p.failure))
          : ''));
    })));
}
