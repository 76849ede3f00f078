/**
 * Cores used by the workload over time (uPlot), against two reference lines: the number of
 * workers the pool ran and the CPUs the run could use (affinity and quota).
 */
import type uPlot from 'uplot';
import { afterPaint, h, setText, text } from '../dom';
import { UChart, axis } from '../charts/uplotChart';
import { css, parseColor, type Palette } from '../theme';
import { fixed, plural } from '../format';
import { max, mean, timeDomain, type RunData } from '../runData';
import { PLOT_LEFT, PLOT_RIGHT } from '../charts/canvas';

/** Workers the pool ran: the effective pools' sizes, else the override, else the lanes seen. */
function workerCount(data: RunData): number | null {
  const instances = Array.isArray(data.pool?.instances) ? data.pool.instances : [];
  const effective = instances.reduce((sum, i) => sum + (i.effective?.workers ?? 0), 0);
  if (effective > 0) return effective;
  if (data.pool?.workers) return data.pool.workers;
  const lanes = data.workers.filter((w) => w.kind !== 'main').length;
  return lanes > 0 ? lanes : null;
}

export class CoresUsedView {
  readonly element: HTMLElement;
  private readonly chart: UChart;
  private readonly figure: HTMLElement;
  private readonly summary = text();
  private lastLabel = -Infinity;
  private data: RunData;
  /** The text alternative, in the frame after the one that drew (it is not needed to paint). */
  private readonly describeLater = afterPaint(() => this.describe(this.data));
  private refs: { workers: number | null; usable: number };
  private domain: [number, number];

  constructor(data: RunData) {
    this.data = data;
    const target = h('div', { class: 'uplot-host' });
    this.refs = { workers: workerCount(data), usable: data.usableCpus };
    this.domain = timeDomain(data);
    this.figure = h('figure', { class: 'chart cores-used', role: 'img', 'aria-label': 'Cores used over time' },
      h('figcaption', {},
        h('h3', {}, 'Cores used over time'),
        h('ul', { class: 'legend', 'aria-hidden': 'true' },
          h('li', {}, h('span', { class: 'swatch workload' }), 'cores used by the workload'),
          h('li', {}, h('span', { class: 'swatch line workers' }), 'workers'),
          h('li', {}, h('span', { class: 'swatch line usable' }), 'usable CPUs'))),
      target);
    this.element = h('div', {}, this.figure, h('p', { class: 'visually-hidden' }, this.summary));
    this.chart = new UChart(target, (p, width) => this.options(p, width), [data.t as number[], data.coresUsed as number[]], 'the cores-used chart');
    this.describeLater();
  }

  measure(hint?: number): void {
    this.chart.measure(hint);
  }

  mount(): void {
    this.chart.mount();
  }

  update(data: RunData): void {
    this.data = data;
    this.refs = { workers: workerCount(data), usable: data.usableCpus };
    this.domain = timeDomain(data);
    this.chart.setData([data.t as number[], data.coresUsed as number[]]);
    // The text alternative: at most once a second while live.
    const now = performance.now();
    if (!data.live || now - this.lastLabel >= 1000) {
      this.lastLabel = now;
      this.describeLater();
    }
  }

  destroy(): void {
    this.describeLater.cancel();
    this.chart.destroy();
  }

  private describe(data: RunData): void {
    const workers = this.refs.workers;
    const label = data.coresUsed.length === 0
      ? 'Cores used over time: no samples yet.'
      : `Cores used over time: the workload used ${fixed(mean(data.coresUsed), 1)} of ${plural(data.usableCpus, 'usable core')} on average, ` +
        `peak ${fixed(max(data.coresUsed), 1)}` + (workers ? `, with ${plural(workers, 'worker')}.` : '.');
    this.figure.setAttribute('aria-label', label);
    setText(this.summary, label);
  }

  private options(p: Palette, width: number): uPlot.Options {
    const fill = parseColor(p.workload);
    return {
      width,
      height: 180,
      legend: { show: false },
      cursor: { show: false },
      padding: [8, PLOT_RIGHT, 0, 0],
      scales: {
        x: { time: false, range: () => this.domain },
        y: { range: (_u, _min, dataMax) => [0, Math.max(dataMax, this.refs.usable, this.refs.workers ?? 0, 1) * 1.12] },
      },
      // The y axis and its label take exactly PLOT_LEFT, so the plot lines up with the heatmap and lanes.
      axes: [axis(p, { size: 24, values: (_u, splits) => splits.map((v) => `${Number(v.toPrecision(4))} s`) }), axis(p, { label: 'cores', labelSize: 30, size: PLOT_LEFT - 30 })],
      series: [{}, { label: 'cores used', stroke: p.workload, width: 1.5, fill: css({ ...fill, a: 0.22 }), points: { show: false } }],
      hooks: { draw: [(u) => this.drawReferences(u, p)] },
    };
  }

  /** Dashed lines at the worker count and the usable CPUs, each labelled. */
  private drawReferences(u: uPlot, p: Palette): void {
    const ctx = u.ctx;
    const { left, top, width } = u.bbox;
    const dpr = uPlotPxRatio();
    const lines: [number | null, string, string, 'left' | 'right'][] = [
      [this.refs.workers, p.workers, this.refs.workers ? plural(this.refs.workers, 'worker') : '', 'left'],
      [this.refs.usable, p.usable, `${plural(this.refs.usable, 'usable CPU')}`, 'right'],
    ];
    ctx.save();
    ctx.font = `${Math.min(11, p.fontSize) * dpr}px ${p.fontFamily}`;
    ctx.lineWidth = 1.5 * dpr;
    for (const [value, colour, label, align] of lines) {
      if (!value) continue;
      const y = Math.round(u.valToPos(value, 'y', true)) + 0.5;
      if (y < top) continue;
      ctx.strokeStyle = colour;
      ctx.fillStyle = colour;
      ctx.setLineDash([6 * dpr, 4 * dpr]);
      ctx.beginPath();
      ctx.moveTo(left, y);
      ctx.lineTo(left + width, y);
      ctx.stroke();
      ctx.textAlign = align;
      ctx.textBaseline = 'bottom';
      ctx.fillText(label, align === 'left' ? left + 4 * dpr : left + width - 4 * dpr, y - 2 * dpr);
    }
    ctx.restore();
  }
}

function uPlotPxRatio(): number {
  return window.devicePixelRatio || 1;
}
