/**
 * Per-core heatmap: one row per core, time left to right. Each cell is filled from the bottom
 * like a small bar: the workload's share, then other programs' share, then steal; what remains
 * is idle (the faint track). Painted into an `ImageData` (one write per pixel, whatever the
 * number of samples) from `CoreBuckets`. A live update repaints only the buckets that changed
 * and blits that strip; everything is repainted when the time axis steps, buckets merge or drop,
 * the width or the theme changes.
 */
import { afterPaint, guarded, h, place, setText, text } from '../dom';
import { CoreBuckets } from '../charts/buckets';
import { drawTimeAxis, PLOT_LEFT, PLOT_RIGHT, sizeCanvas, WidthWatch } from '../charts/canvas';
import { blend, onThemeChange, packed, palette, type Palette } from '../theme';
import { percent, fixed } from '../format';
import { timeDomain, type RunData } from '../runData';

const AXIS = 20; // css px for the time axis

export class HeatmapView {
  readonly element: HTMLElement;
  private readonly canvas: HTMLCanvasElement;
  private readonly tooltip: HTMLElement;
  private readonly rows: { work: Text; other: Text; steal: Text }[] = [];
  private readonly tbody: HTMLTableSectionElement;
  private readonly summary = text();
  private buckets: CoreBuckets | undefined;
  private domain: [number, number] = [0, 1];
  private image: ImageData | undefined;
  /** What the image shows; any difference means a full repaint. */
  private painted = '';
  private width = 0;
  private data: RunData;
  private lastLabel = -Infinity;
  private readonly cleanup: (() => void)[] = [];
  private readonly watch: WidthWatch;
  private readonly redraw = guarded('the per-core heatmap', () => this.element, () => this.draw());
  /** The text alternative, in the frame after the one that drew (it is not needed to paint). */
  private readonly describeLater = afterPaint(guarded('the per-core heatmap', () => this.element, () => this.describe()));

  constructor(data: RunData) {
    this.data = data;
    const cores = data.cores.length;
    this.canvas = h('canvas', { role: 'img', class: 'heatmap-canvas', 'aria-label': 'Per-core utilization' });
    this.tooltip = h('div', { class: 'tooltip', hidden: true, 'aria-hidden': 'true' });
    this.tbody = h('tbody');
    const table = h('table', { class: 'visually-hidden' },
      h('caption', {}, 'Average utilization per core'),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Core'), h('th', { scope: 'col' }, 'Workload'), h('th', { scope: 'col' }, 'Other programs'), h('th', { scope: 'col' }, 'Steal'))),
      this.tbody);
    const wrap = cores > 0
      ? h('div', { class: 'canvas-wrap' }, this.canvas, this.tooltip)
      : h('p', { class: 'muted' }, 'No per-core samples were recorded for this run.');
    this.element = h('figure', { class: 'chart heatmap', 'data-cores': cores },
      h('figcaption', {},
        h('h3', {}, 'Per-core utilization'),
        h('ul', { class: 'legend', 'aria-hidden': 'true' },
          ...(data.splitsWorkload
            ? [h('li', {}, h('span', { class: 'swatch workload' }), 'your workload'), h('li', {}, h('span', { class: 'swatch other' }), 'other programs')]
            : [h('li', {}, h('span', { class: 'swatch busy' }), 'busy (any program: this sampler cannot tell your workload apart)')]),
          h('li', {}, h('span', { class: 'swatch steal' }), 'steal (hypervisor)'),
          h('li', {}, h('span', { class: 'swatch idle' }), 'idle'))),
      wrap,
      h('p', { class: 'visually-hidden' }, this.summary),
      table);
    this.watch = new WidthWatch(wrap, (width) => { this.width = width; this.buckets = undefined; this.redraw(); });
    this.cleanup.push(() => this.watch.stop(), () => this.describeLater.cancel(), onThemeChange(() => { this.painted = ''; this.redraw(); }));
    this.canvas.addEventListener('pointermove', (event) => this.hover(event));
    this.canvas.addEventListener('pointerleave', () => { this.tooltip.hidden = true; });
  }

  /** Takes the width the page will give the heatmap (`hint`), or reads it; `mount` then draws, so the first frame shows it all. */
  measure(hint?: number): void {
    this.watch.measure(hint);
  }

  mount(): void {
    this.watch.flush();
  }

  update(data: RunData): void {
    this.data = data;
    this.redraw();
  }

  destroy(): void {
    for (const fn of this.cleanup) fn();
  }

  private rowHeight(): number {
    return Math.max(4, Math.min(40, Math.floor(320 / Math.max(1, this.data.cores.length))));
  }

  private draw(): void {
    const cores = this.data.cores.length;
    if (this.width <= PLOT_LEFT + PLOT_RIGHT + 10 || cores === 0) return;
    const rowCss = this.rowHeight();
    const { dpr } = sizeCanvas(this.canvas, this.width, rowCss * cores + AXIS);
    const plotW = Math.max(1, Math.floor((this.width - PLOT_LEFT - PLOT_RIGHT) * dpr));
    const rowPx = Math.max(1, Math.floor(rowCss * dpr));
    const plotH = rowPx * cores;
    // A live run's axis is up to twice the data: half as many buckets keeps each ≥ 1 px wide.
    const maxBuckets = this.data.live ? Math.floor(plotW / 2) : plotW;
    if (!this.buckets || this.buckets.cores !== cores || this.buckets.maxBuckets !== Math.max(2, maxBuckets)) {
      this.buckets = new CoreBuckets(cores, maxBuckets);
    }
    const buckets = this.buckets;
    buckets.sync(this.data);
    this.domain = timeDomain(this.data);
    if (!this.image || this.image.width !== plotW || this.image.height !== plotH) this.image = new ImageData(plotW, plotH);
    const ctx = this.canvas.getContext('2d');
    if (!ctx) return;
    const p = palette();
    const dirty = buckets.takeDirty();
    const key = `${this.canvas.width}x${this.canvas.height} ${this.domain[0]}-${this.domain[1]} r${buckets.revision} ${this.data.splitsWorkload}`;
    const colours = cellColours(p, this.data.splitsWorkload);
    const x0 = PLOT_LEFT * dpr;
    if (key === this.painted) {
      if (dirty < buckets.count) {
        const [from, to] = paintBuckets(this.image, buckets, this.domain, rowPx, dpr, colours, dirty);
        if (to > from) ctx.putImageData(this.image, Math.round(x0), 0, from, 0, to - from, plotH);
      }
    } else {
      this.painted = key;
      paintAll(this.image, buckets, this.domain, rowPx, dpr, colours);
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      ctx.clearRect(0, 0, this.canvas.width, this.canvas.height);
      ctx.putImageData(this.image, Math.round(x0), 0);
      ctx.scale(dpr, dpr);
      ctx.font = `${Math.min(11, p.fontSize)}px ${p.fontFamily}`;
      ctx.fillStyle = p.foreground;
      ctx.textBaseline = 'middle';
      ctx.textAlign = 'right';
      const every = Math.ceil(12 / rowCss);
      const rowDrawn = plotH / dpr / cores;
      for (let c = 0; c < cores; c += every) ctx.fillText(`cpu${c}`, PLOT_LEFT - 8, (c + 0.5) * rowDrawn);
      drawTimeAxis(ctx, this.domain, plotH / dpr, this.width, p);
    }
    // The text alternative: at most once a second while live (screen readers, tests).
    const now = performance.now();
    if (!this.data.live || now - this.lastLabel >= 1000) {
      this.lastLabel = now;
      this.describeLater();
    }
  }

  /** The text alternative: the label, the summary and the per-core table. */
  private describe(): void {
    const buckets = this.buckets;
    if (!buckets) return;
    const cores = this.data.cores.length;
    let work = 0, other = 0, steal = 0;
    for (let c = 0; c < cores; c++) {
      let row = this.rows[c];
      if (!row) {
        row = { work: text('—'), other: text('—'), steal: text('—') };
        this.rows.push(row);
        this.tbody.append(h('tr', { 'data-core': c }, h('th', { scope: 'row' }, `cpu${c}`), h('td', {}, row.work), h('td', {}, row.other), h('td', {}, row.steal)));
      }
      const [w, o, s] = buckets.coreMeans(c);
      work += w; other += o; steal += s;
      setText(row.work, percent(w));
      setText(row.other, percent(o));
      setText(row.steal, percent(s));
    }
    const t = this.data.t;
    const span = t.length ? t[t.length - 1]! - t[0]! + this.data.sampleIntervalMs / 1000 : 0;
    const share = (v: number) => percent(v / Math.max(1, cores), 1);
    const label = `Per-core heatmap, ${cores} ${cores === 1 ? 'core' : 'cores'} over ${fixed(span, 1)} s: ` +
      (this.data.splitsWorkload
        ? `the workload used ${fixed(work, 1)} of ${cores} cores on average; other programs took ${share(other)} of the CPU time`
        : `${fixed(work + other, 1)} of ${cores} cores were busy on average (any program)`) +
      (steal > 0 ? `, steal ${share(steal)}.` : ', no steal.');
    this.canvas.setAttribute('aria-label', label);
    setText(this.summary, label);
  }

  private hover(event: PointerEvent): void {
    const buckets = this.buckets;
    const cores = this.data.cores.length;
    if (!buckets || buckets.count === 0 || cores === 0) return;
    const rect = this.canvas.getBoundingClientRect();
    const x = event.clientX - rect.left - PLOT_LEFT;
    const y = event.clientY - rect.top;
    const plotCss = rect.width - PLOT_LEFT - PLOT_RIGHT;
    const core = Math.floor(y / this.rowHeight());
    const [from, to] = this.domain;
    const t = from + (x / plotCss) * (to - from);
    let slot = -1;
    for (let s = 0; s < buckets.count; s++) if (buckets.tStart[s]! <= t && t <= buckets.tEnd[s]!) { slot = s; break; }
    if (x < 0 || x >= plotCss || core < 0 || core >= cores || slot < 0) {
      this.tooltip.hidden = true;
      return;
    }
    const cell = new Float64Array(3);
    buckets.cell(slot, core, cell);
    const [w, o, s] = cell;
    this.tooltip.replaceChildren(
      h('strong', {}, `cpu${core} at ${fixed(t, 1)} s`),
      h('div', {}, `workload ${percent(w)} · other programs ${percent(o)} · steal ${percent(s)}`));
    this.tooltip.hidden = false;
    place(this.tooltip, event.clientX - rect.left, y, rect.width);
  }
}



interface CellColours { background: number; track: number; work: number; other: number; steal: number }

function cellColours(p: Palette, split: boolean): CellColours {
  return {
    background: packed(blend(p.background, p.background)),
    track: packed(blend(p.track, p.background)),
    work: packed(blend(split ? p.workload : p.busy, p.background)),
    other: packed(blend(split ? p.other : p.busy, p.background)),
    steal: packed(blend(p.steal, p.background)),
  };
}

/** Background, the idle track under every row, then every bucket. */
function paintAll(image: ImageData, buckets: CoreBuckets, domain: [number, number], rowPx: number, dpr: number, colours: CellColours): void {
  const px = new Uint32Array(image.data.buffer);
  const width = image.width;
  const bar = rowPx - gap(rowPx, dpr);
  px.fill(colours.background);
  for (let c = 0; c < buckets.cores; c++) px.fill(colours.track, c * rowPx * width, (c * rowPx + bar) * width);
  paintBuckets(image, buckets, domain, rowPx, dpr, colours, 0, false);
}

function gap(rowPx: number, dpr: number): number {
  return rowPx >= 6 ? Math.max(1, Math.round(dpr)) : 0;
}

/**
 * Paints buckets `from`… and returns the pixel columns touched. Each cell is a small bar filled
 * from the bottom: workload, other programs, steal, then the idle track — written too when
 * `clear` (a repainted bucket whose average went down), skipped when the track is there already.
 */
function paintBuckets(image: ImageData, buckets: CoreBuckets, domain: [number, number], rowPx: number, dpr: number, colours: CellColours, from: number, clear = true): [number, number] {
  const px = new Uint32Array(image.data.buffer);
  const width = image.width;
  const bar = rowPx - gap(rowPx, dpr);
  const [start, end] = domain;
  const scale = width / Math.max(end - start, 1e-9);
  const { cores, work, other, steal, samples, tStart, tEnd } = buckets;
  const { work: cw, other: co, steal: cs, track: ct } = colours;
  let left = width;
  let right = 0;
  let previous = 0; // the right end of the bucket painted before
  for (let slot = Math.max(0, from); slot < buckets.count; slot++) {
    const n = samples[slot]!;
    if (n === 0) continue;
    const x0 = Math.max(0, Math.round((tStart[slot]! - start) * scale));
    const x1 = Math.min(width, Math.max(x0 + 1, Math.round((tEnd[slot]! - start) * scale)));
    if (x1 <= x0) continue;
    if (x0 < left) left = x0;
    if (x1 > right) right = x1;
    const span = x1 - x0;
    const inverse = 1 / n;
    // Over pixels another bucket has just painted (buckets under a pixel wide), the track too.
    const full = clear || x0 < previous;
    previous = x1;
    for (let c = 0; c < cores; c++) {
      const k = slot * cores + c;
      const w = work[k]! * inverse, o = other[k]! * inverse, s = steal[k]! * inverse;
      // Rows of each colour, from the bottom of the cell.
      const t1 = Math.min(bar, Math.round(w * bar));
      const t2 = Math.min(bar, t1 + Math.round(Math.min(o, 1 - w) * bar));
      const t3 = Math.min(bar, t2 + Math.round(Math.max(0, Math.min(s, 1 - w - o)) * bar));
      const top = full ? bar : t3;
      let at = (c * rowPx + bar - 1) * width + x0; // the cell's bottom row
      for (let row = 0; row < top; row++, at -= width) {
        const colour = row < t1 ? cw : row < t2 ? co : row < t3 ? cs : ct;
        px[at] = colour;
        for (let x = 1; x < span; x++) px[at + x] = colour;
      }
    }
  }
  return [left, right];
}
