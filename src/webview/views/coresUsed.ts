/**
 * Cores used by the workload over time, against two reference lines: the number of workers the
 * pool ran and the CPUs the run could use (affinity and quota). Drawn on a plain canvas with the
 * same time axis and margins as the heatmap and the lanes: uPlot (the sweep charts keep it) took
 * 10–17 ms more of the main thread in a cold first render, for one line. A live update redraws
 * the chart whole, through at most four points per pixel column.
 */
import type { NumberColumn } from '../../protocol';
import { afterPaint, guarded, h, setText, text } from '../dom';
import { css, onThemeChange, palette, parseColor, type Palette } from '../theme';
import { fixed, plural } from '../format';
import { max, mean, timeDomain, type RunData } from '../runData';
import { drawTimeAxis, PLOT_LEFT, PLOT_RIGHT, sizeCanvas, timeTicks, WidthWatch } from '../charts/canvas';

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
  private readonly canvas: HTMLCanvasElement;
  private readonly figure: HTMLElement;
  private readonly summary = text();
  private lastLabel = -Infinity;
  private data: RunData;
  private width = 0;
  private refs: { workers: number | null; usable: number };
  private readonly cleanup: (() => void)[] = [];
  private readonly watch: WidthWatch;
  private readonly redraw = guarded('the cores-used chart', () => this.element, () => this.draw());
  /** The text alternative, in the frame after the one that drew (it is not needed to paint). */
  private readonly describeLater = afterPaint(() => this.describe(this.data));

  constructor(data: RunData) {
    this.data = data;
    this.refs = { workers: workerCount(data), usable: data.usableCpus };
    this.canvas = h('canvas', { class: 'cores-used-canvas', 'aria-hidden': 'true' });
    const wrap = h('div', { class: 'canvas-wrap' }, this.canvas);
    this.figure = h('figure', { class: 'chart cores-used', role: 'img', 'aria-label': 'Cores used over time' },
      h('figcaption', {},
        h('h3', {}, 'Cores used over time'),
        h('ul', { class: 'legend', 'aria-hidden': 'true' },
          h('li', {}, h('span', { class: 'swatch workload' }), 'cores used by the workload'),
          h('li', {}, h('span', { class: 'swatch line workers' }), 'workers'),
          h('li', {}, h('span', { class: 'swatch line usable' }), 'usable CPUs'))),
      wrap);
    this.element = h('div', {}, this.figure, h('p', { class: 'visually-hidden' }, this.summary));
    this.watch = new WidthWatch(wrap, (width) => { this.width = width; this.redraw(); });
    this.cleanup.push(() => this.watch.stop(), () => this.describeLater.cancel(), onThemeChange(() => this.redraw()));
    this.describeLater();
  }

  /** Takes the width the page will give the chart (`hint`), or reads it; `mount` then draws. */
  measure(hint?: number): void {
    this.watch.measure(hint);
  }

  mount(): void {
    this.watch.flush();
  }

  update(data: RunData): void {
    this.data = data;
    this.refs = { workers: workerCount(data), usable: data.usableCpus };
    this.redraw();
    // The text alternative: at most once a second while live.
    const now = performance.now();
    if (!data.live || now - this.lastLabel >= 1000) {
      this.lastLabel = now;
      this.describeLater();
    }
  }

  destroy(): void {
    for (const fn of this.cleanup) fn();
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

  /**
   * The whole chart: grid, the cores used as a filled line, the reference lines, the axes. The
   * line is drawn through each device pixel column's first, lowest, highest and last value, so
   * thousands of samples cost a path of a few per pixel and look as if every one were drawn.
   */
  private draw(): void {
    if (this.width <= PLOT_LEFT + PLOT_RIGHT + 10) return;
    const { dpr } = sizeCanvas(this.canvas, this.width, HEIGHT);
    const ctx = this.canvas.getContext('2d');
    if (!ctx) return;
    const p = palette();
    const data = this.data;
    const [from, to] = timeDomain(data);
    const plotW = this.width - PLOT_LEFT - PLOT_RIGHT;
    const bottom = HEIGHT - AXIS;
    const plotH = bottom - TOP;
    const top = Math.max(max(data.coresUsed), this.refs.usable, this.refs.workers ?? 0, 1) * 1.12;
    const ticks = valueTicks(top, Math.max(2, Math.floor(plotH / 30)));
    const xOf = (t: number) => PLOT_LEFT + ((t - from) / Math.max(to - from, 1e-9)) * plotW;
    const yOf = (v: number) => bottom - (v / top) * plotH;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, this.width, HEIGHT);
    ctx.font = `${Math.min(11, p.fontSize)}px ${p.fontFamily}`;
    // Grid: a line per value tick and per time tick.
    ctx.strokeStyle = p.lines;
    ctx.lineWidth = 0.5;
    ctx.beginPath();
    for (const v of ticks) {
      const y = Math.round(yOf(v)) + 0.5;
      ctx.moveTo(PLOT_LEFT, y);
      ctx.lineTo(PLOT_LEFT + plotW, y);
    }
    for (const t of timeTicks(from, to, Math.max(2, Math.floor(plotW / 90)))) {
      const x = Math.round(xOf(t)) + 0.5;
      ctx.moveTo(x, TOP);
      ctx.lineTo(x, bottom);
    }
    ctx.stroke();
    // The series: the area under each column's highest value, then the line (the scale's top is
    // above every value, and only samples inside the plot are drawn: no clipping needed).
    const path = seriesPath(data.t, data.coresUsed, from, to, top, dpr, PLOT_LEFT, plotW, TOP, bottom);
    if (path) {
      ctx.fillStyle = css({ ...parseColor(p.workload), a: 0.22 });
      ctx.fill(path.area);
      ctx.strokeStyle = p.workload;
      ctx.lineWidth = 1.5;
      ctx.stroke(path.line);
    }
    this.drawReferences(ctx, p, yOf, plotW);
    // Axes: values and their label on the left, time below (as under the heatmap and the lanes).
    ctx.fillStyle = p.foreground;
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    for (const v of ticks) ctx.fillText(String(Number(v.toPrecision(4))), PLOT_LEFT - 8, yOf(v));
    ctx.save();
    ctx.translate(12, TOP + plotH / 2);
    ctx.rotate(-Math.PI / 2);
    ctx.textAlign = 'center';
    ctx.font = `${Math.min(12, p.fontSize)}px ${p.fontFamily}`;
    ctx.fillText('cores', 0, 0);
    ctx.restore();
    drawTimeAxis(ctx, [from, to], bottom, this.width, p);
  }

  /** Dashed lines at the worker count and the usable CPUs, each labelled. */
  private drawReferences(ctx: CanvasRenderingContext2D, p: Palette, yOf: (v: number) => number, plotW: number): void {
    const lines: [number | null, string, string, 'left' | 'right'][] = [
      [this.refs.workers, p.workers, this.refs.workers ? plural(this.refs.workers, 'worker') : '', 'left'],
      [this.refs.usable, p.usable, `${plural(this.refs.usable, 'usable CPU')}`, 'right'],
    ];
    ctx.save();
    ctx.lineWidth = 1.5;
    ctx.setLineDash([6, 4]);
    ctx.textBaseline = 'bottom';
    for (const [value, colour, label, align] of lines) {
      if (!value) continue;
      const y = Math.round(yOf(value)) + 0.5;
      if (y < TOP) continue;
      ctx.strokeStyle = colour;
      ctx.fillStyle = colour;
      ctx.beginPath();
      ctx.moveTo(PLOT_LEFT, y);
      ctx.lineTo(PLOT_LEFT + plotW, y);
      ctx.stroke();
      ctx.textAlign = align;
      ctx.fillText(label, align === 'left' ? PLOT_LEFT + 4 : PLOT_LEFT + plotW - 4, y - 2);
    }
    ctx.restore();
  }
}

const HEIGHT = 180; // css px, the whole chart
const TOP = 8; // css px above the plot
const AXIS = 24; // css px for the time axis

/** Round values from 0 to about `top` (exclusive), about `target` of them. */
function valueTicks(top: number, target: number): number[] {
  const raw = top / Math.max(1, target);
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? raw;
  const ticks: number[] = [];
  for (let v = 0; v < top - step * 1e-6; v += step) ticks.push(Number(v.toFixed(6)));
  return ticks;
}

/**
 * The line through (t, v), as a path through each device pixel column's first, lowest, highest
 * and last value (non-finite values are skipped), and the area under each column's highest value
 * down to `bottom`. Two passes: the columns' values into typed arrays (a tight loop over the
 * samples), then the paths (a few points per pixel).
 */
function seriesPath(t: NumberColumn, v: NumberColumn, from: number, to: number, top: number,
  dpr: number, left: number, plotW: number, plotTop: number, bottom: number): { line: Path2D; area: Path2D } | null {
  const columns = Math.max(1, Math.ceil(plotW * dpr) + 1);
  const first = new Float64Array(columns).fill(NaN);
  const low = new Float64Array(columns);
  const high = new Float64Array(columns);
  const last = new Float64Array(columns);
  const xScale = (plotW * dpr) / Math.max(to - from, 1e-9);
  const n = Math.min(t.length, v.length);
  for (let i = 0; i < n; i++) {
    const value = v[i]!;
    const c = Math.round((t[i]! - from) * xScale);
    if (!(c >= 0 && c < columns) || value - value !== 0) continue; // outside, NaN, ±Infinity
    if (first[c]! !== first[c]!) {
      first[c] = low[c] = high[c] = value;
    } else {
      if (value < low[c]!) low[c] = value;
      if (value > high[c]!) high[c] = value;
    }
    last[c] = value;
  }
  const line = new Path2D();
  const area = new Path2D();
  const yScale = (bottom - plotTop) / top;
  let started = false;
  let x = 0;
  for (let c = 0; c < columns; c++) {
    const f = first[c]!;
    if (f !== f) continue;
    x = left + c / dpr;
    const yFirst = bottom - f * yScale, yLow = bottom - low[c]! * yScale, yHigh = bottom - high[c]! * yScale, yLast = bottom - last[c]! * yScale;
    if (started) line.lineTo(x, yFirst);
    else {
      line.moveTo(x, yFirst);
      area.moveTo(x, bottom);
      started = true;
    }
    if (yLow !== yFirst) line.lineTo(x, yLow);
    if (yHigh !== yLow) line.lineTo(x, yHigh);
    if (yLast !== yHigh) line.lineTo(x, yLast);
    area.lineTo(x, yHigh);
  }
  if (!started) return null;
  area.lineTo(x, bottom);
  area.closePath();
  return { line, area };
}
