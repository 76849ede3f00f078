/**
 * Worker lanes: one row per worker, its tasks left to right in time. Idle gaps are the bare
 * track; the share of each task spent pickling its arguments and result is a distinct segment
 * at its start; failed tasks are drawn in the error colour. Hover shows a task; the canvas is
 * focusable and the arrow keys move between tasks (Enter opens the line that submitted it).
 */
import type { TaskRecord, WorkerSummary } from '../../core/report/model';
import { guarded, h, setText, text } from '../dom';
import { PLOT_LEFT as GUTTER, PLOT_RIGHT, sizeCanvas, WidthWatch } from '../charts/canvas';
import { onThemeChange, palette } from '../theme';
import { bytes, fixed, percent, plural, seconds, site } from '../format';
import { timeDomain, type RunData } from '../runData';
import { post } from '../vscodeApi';
import { drawTimeAxis, place } from './heatmap';

const AXIS = 20;
/** Pickling segments shorter than this (css px) are widened to it, or they would vanish. */
const MIN_PICKLE = 2;

interface Lane { worker: WorkerSummary; tasks: number[] }
interface Focus { lane: number; index: number }

export function workerLabel(worker: WorkerSummary, index: number): string {
  if (worker.name) return worker.name;
  switch (worker.kind) {
    case 'process': return `process ${worker.pid}`;
    case 'thread': return `thread ${worker.tid}`;
    case 'interpreter': return `interp. ${index + 1}`;
    case 'main': return 'main thread';
    case 'lane': return worker.tid && worker.tid !== worker.pid ? `thread ${worker.tid}` : `process ${worker.pid}`;
    default: return `${worker.kind} ${worker.tid || worker.pid}`;
  }
}

export class LanesView {
  readonly element: HTMLElement;
  private readonly canvas: HTMLCanvasElement;
  private readonly tooltip: HTMLElement;
  private readonly announcer: HTMLElement;
  private readonly tbody: HTMLTableSectionElement;
  private readonly rows: Text[][] = [];
  private data: RunData;
  private lanes: Lane[] = [];
  private focus: Focus | null = null;
  private width = 0;
  private t0 = 0;
  private t1 = 1;
  private lastTable = 0;
  private readonly cleanup: (() => void)[] = [];
  private readonly watch: WidthWatch;
  private readonly redraw = guarded('the worker lanes', () => this.element, () => this.draw());

  constructor(data: RunData) {
    this.data = data;
    this.canvas = h('canvas', {
      role: 'img', tabindex: 0, class: 'lanes-canvas', 'aria-label': 'Worker lanes',
      'aria-describedby': 'lanes-help',
    });
    this.tooltip = h('div', { class: 'tooltip', hidden: true, 'aria-hidden': 'true' });
    this.announcer = h('p', { class: 'visually-hidden', 'aria-live': 'polite' });
    this.tbody = h('tbody');
    const wrap = h('div', { class: 'canvas-wrap' }, this.canvas, this.tooltip);
    this.element = h('figure', { class: 'chart lanes', 'data-lanes': data.workers.length },
      h('figcaption', {},
        h('h3', {}, 'Worker lanes'),
        h('ul', { class: 'legend', 'aria-hidden': 'true' },
          h('li', {}, h('span', { class: 'swatch workload' }), 'task running'),
          h('li', {}, h('span', { class: 'swatch pickle' }), 'pickling (arguments and result; at least 2 px wide)'),
          h('li', {}, h('span', { class: 'swatch steal' }), 'failed task'),
          h('li', {}, h('span', { class: 'swatch idle' }), 'idle'))),
      wrap,
      h('p', { id: 'lanes-help', class: 'hint' }, 'Hover a task, or focus the lanes and use the arrow keys; Enter opens the line that submitted the task.'),
      this.announcer,
      h('table', { class: 'visually-hidden' },
        h('caption', {}, 'Tasks per worker'),
        h('thead', {}, h('tr', {}, ...['Worker', 'Tasks', 'Busy', 'CPU', 'Pickling', 'Failed'].map((c) => h('th', { scope: 'col' }, c)))),
        this.tbody));
    this.watch = new WidthWatch(wrap, (width) => { this.width = width; this.redraw(); });
    this.cleanup.push(() => this.watch.stop(), onThemeChange(() => this.redraw()));
    this.canvas.addEventListener('pointermove', (event) => this.hover(event));
    this.canvas.addEventListener('pointerleave', () => { if (!this.focus || document.activeElement !== this.canvas) this.tooltip.hidden = true; });
    this.canvas.addEventListener('keydown', (event) => this.key(event));
    this.canvas.addEventListener('focus', () => { if (!this.focus) this.move(0, 0, 'first'); });
    this.canvas.addEventListener('blur', () => { this.tooltip.hidden = true; this.redraw(); });
    this.canvas.addEventListener('click', (event) => {
      const hit = this.hit(event);
      if (hit) { this.focus = hit; this.redraw(); this.show(hit); }
    });
  }

  /** Draws at once if the view is in the page. */
  mount(): void {
    this.watch.now();
  }

  update(data: RunData): void {
    this.data = data;
    this.element.setAttribute('data-lanes', String(data.workers.length));
    this.redraw();
  }

  destroy(): void {
    for (const fn of this.cleanup) fn();
  }

  private laneHeight(): number {
    return Math.max(6, Math.min(22, Math.floor(300 / Math.max(1, this.data.workers.length))));
  }

  private index(): void {
    const lanes: Lane[] = this.data.workers.map((worker) => ({ worker, tasks: [] }));
    const tasks = this.data.tasks;
    for (let i = 0; i < tasks.length; i++) lanes[tasks[i]!.worker]?.tasks.push(i);
    for (const lane of lanes) {
      let sorted = true;
      for (let k = 1; k < lane.tasks.length && sorted; k++) sorted = tasks[lane.tasks[k - 1]!]!.start <= tasks[lane.tasks[k]!]!.start;
      if (!sorted) lane.tasks.sort((a, b) => tasks[a]!.start - tasks[b]!.start);
    }
    this.lanes = lanes;
    [this.t0, this.t1] = timeDomain(this.data);
  }

  private x(t: number, plot: number): number {
    return GUTTER + ((t - this.t0) / (this.t1 - this.t0)) * plot;
  }

  private draw(): void {
    this.index();
    this.table();
    if (this.width <= GUTTER + PLOT_RIGHT + 10) return;
    const laneH = this.laneHeight();
    const count = this.lanes.length;
    const height = Math.max(laneH, laneH * count) + AXIS;
    const { dpr } = sizeCanvas(this.canvas, this.width, height);
    const ctx = this.canvas.getContext('2d');
    if (!ctx) return;
    const p = palette();
    const plot = this.width - GUTTER - PLOT_RIGHT;
    const px = 1 / dpr;
    const bar = laneH >= 10 ? laneH - 3 : laneH - 1;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, this.width, height);
    ctx.font = `${Math.min(11, p.fontSize)}px ${p.fontFamily}`;
    ctx.textBaseline = 'middle';
    ctx.textAlign = 'right';
    const labelEvery = Math.ceil(12 / laneH);
    const tasks = this.data.tasks;
    this.lanes.forEach((lane, l) => {
      const y = l * laneH;
      ctx.fillStyle = p.track;
      ctx.fillRect(GUTTER, y, plot, bar);
      if (l % labelEvery === 0) {
        ctx.fillStyle = p.foreground;
        ctx.fillText(workerLabel(lane.worker, l), GUTTER - 6, y + bar / 2);
      }
      // Runs of tasks closer than a device pixel are drawn as one rectangle.
      const spans = (colour: string, pick: (task: TaskRecord) => [number, number] | null, min = px) => {
        ctx.fillStyle = colour;
        let a = -1, b = -1;
        for (const i of lane.tasks) {
          const range = pick(tasks[i]!);
          if (!range) continue;
          const x0 = Math.max(GUTTER, this.x(range[0], plot));
          const x1 = Math.min(GUTTER + plot, Math.max(x0 + min, this.x(range[1], plot)));
          if (x1 <= GUTTER) continue;
          if (x0 <= b + px) { b = Math.max(b, x1); continue; }
          if (b > a) ctx.fillRect(a, y, b - a, bar);
          a = x0; b = x1;
        }
        if (b > a) ctx.fillRect(a, y, b - a, bar);
      };
      spans(p.workload, (t) => (t.ok === false ? null : [t.start, t.end]));
      spans(p.failed, (t) => (t.ok === false ? [t.start, t.end] : null));
      spans(p.pickle, (t) => (t.pickleSeconds > 0 && t.ok !== false ? [t.start, Math.min(t.end, t.start + t.pickleSeconds)] : null), MIN_PICKLE);
    });
    if (count === 0) {
      ctx.fillStyle = p.muted;
      ctx.textAlign = 'left';
      ctx.fillText(this.data.live ? 'Waiting for the first worker…' : 'No workers were recorded.', GUTTER, laneH / 2);
    }
    const focus = this.focus && document.activeElement === this.canvas ? this.focused() : null;
    if (focus) {
      const x0 = this.x(focus.start, plot);
      const x1 = Math.max(x0 + 2, this.x(focus.end, plot));
      ctx.strokeStyle = p.foreground;
      ctx.lineWidth = 2;
      ctx.strokeRect(x0 - 1, this.focus!.lane * laneH - 1, x1 - x0 + 2, bar + 2);
    }
    drawTimeAxis(ctx, [this.t0, this.t1], Math.max(laneH, laneH * count), this.width, p);
    this.canvas.setAttribute('aria-label', this.label());
  }

  private label(): string {
    const lanes = this.lanes.length;
    const done = this.data.tasks.length;
    const busy = this.data.workers.length ? this.data.workers.reduce((s, w) => s + (w.busyShare || 0), 0) / this.data.workers.length : 0;
    const failed = this.data.tasks.reduce((n, t) => n + (t.ok === false ? 1 : 0), 0);
    return `Worker lanes: ${plural(lanes, 'worker')}, ${plural(done, 'task')}` +
      (lanes ? `; workers were busy ${percent(busy)} of the time on average` : '') +
      (failed ? `; ${plural(failed, 'task')} failed` : '') + '.';
  }

  /** The text alternative, one row per worker (at most once a second while live). */
  private table(): void {
    const now = performance.now();
    if (this.data.live && now - this.lastTable < 1000 && this.rows.length === this.lanes.length) return;
    this.lastTable = now;
    this.lanes.forEach((lane, l) => {
      let row = this.rows[l];
      if (!row) {
        row = [text(), text(), text(), text(), text(), text()];
        this.rows.push(row);
        this.tbody.append(h('tr', {}, h('th', { scope: 'row' }, row[0]!), ...row.slice(1).map((cell) => h('td', {}, cell))));
      }
      let pickle = 0, failed = 0;
      for (const i of lane.tasks) { pickle += this.data.tasks[i]!.pickleSeconds || 0; if (this.data.tasks[i]!.ok === false) failed++; }
      const w = lane.worker;
      const values = [workerLabel(w, l), String(lane.tasks.length), percent(w.busyShare), seconds(w.cpuSeconds), seconds(pickle), String(failed)];
      values.forEach((v, k) => setText(row![k]!, v));
    });
  }

  private focused(): TaskRecord | null {
    if (!this.focus) return null;
    const index = this.lanes[this.focus.lane]?.tasks[this.focus.index];
    return index === undefined ? null : this.data.tasks[index] ?? null;
  }

  private hit(event: MouseEvent): Focus | null {
    const rect = this.canvas.getBoundingClientRect();
    const plot = rect.width - GUTTER - PLOT_RIGHT;
    const lane = Math.floor((event.clientY - rect.top) / this.laneHeight());
    const x = event.clientX - rect.left;
    const tasks = this.lanes[lane]?.tasks;
    if (!tasks || x < GUTTER) return null;
    let best: Focus | null = null;
    let bestDistance = 4; // px of slack around thin tasks
    for (let k = 0; k < tasks.length; k++) {
      const task = this.data.tasks[tasks[k]!]!;
      const x0 = this.x(task.start, plot);
      const x1 = this.x(task.end, plot);
      const distance = x < x0 ? x0 - x : x > x1 ? x - x1 : 0;
      if (distance < bestDistance) { bestDistance = distance; best = { lane, index: k }; }
      if (x0 > x + 4) break;
    }
    return best;
  }

  private hover(event: PointerEvent): void {
    const hit = this.hit(event);
    if (!hit) { if (document.activeElement !== this.canvas) this.tooltip.hidden = true; return; }
    this.show(hit, false);
  }

  /** Fills and places the tooltip for a task; `announce` also tells screen readers. */
  private show(focus: Focus, announce = true): void {
    const taskIndex = this.lanes[focus.lane]?.tasks[focus.index];
    const task = taskIndex === undefined ? undefined : this.data.tasks[taskIndex];
    const lane = this.lanes[focus.lane];
    if (!task || !lane) return;
    const total = lane.tasks.length;
    const duration = task.end - task.start;
    const lines = [
      `${workerLabel(lane.worker, focus.lane)}, task ${focus.index + 1} of ${total}`,
      `submitted at ${site(task.site)}${task.site?.function ? ` (${task.site.function})` : ''}`,
      `${seconds(duration)} from ${fixed(task.start, 2)} s` + (task.pickleSeconds > 0 ? `, pickling ${seconds(task.pickleSeconds)}` : ''),
      `arguments ${bytes(task.argBytes)} · result ${bytes(task.resultBytes)}`,
    ];
    if (task.ok === false) lines.push(`failed: ${task.error ?? 'error'}`);
    this.tooltip.replaceChildren(h('strong', {}, lines[0]!), ...lines.slice(1).map((line) => h('div', {}, line)));
    this.tooltip.hidden = false;
    const rect = this.canvas.getBoundingClientRect();
    const plot = rect.width - GUTTER - PLOT_RIGHT;
    place(this.tooltip, this.x(task.start, plot), (focus.lane + 1) * this.laneHeight() - 10, rect.width);
    if (announce) this.announcer.textContent = lines.join('; ');
  }

  private move(dLane: number, dIndex: number, to?: 'first' | 'last'): void {
    if (this.lanes.length === 0) return;
    const current = this.focus ?? { lane: 0, index: 0 };
    let lane = Math.max(0, Math.min(this.lanes.length - 1, current.lane + dLane));
    // Skip lanes without tasks in the direction of travel.
    while (this.lanes[lane]!.tasks.length === 0 && dLane !== 0) {
      const next = lane + Math.sign(dLane);
      if (next < 0 || next >= this.lanes.length) break;
      lane = next;
    }
    const tasks = this.lanes[lane]!.tasks;
    if (tasks.length === 0) { this.focus = null; this.announcer.textContent = 'This worker ran no tasks.'; return; }
    let index: number;
    if (to === 'first') index = 0;
    else if (to === 'last') index = tasks.length - 1;
    else if (dLane !== 0) {
      // Keep the time position when moving between lanes.
      const at = this.focused()?.start ?? 0;
      index = tasks.findIndex((i) => this.data.tasks[i]!.end >= at);
      if (index < 0) index = tasks.length - 1;
    } else index = Math.max(0, Math.min(tasks.length - 1, current.index + dIndex));
    this.focus = { lane, index };
    this.redraw();
    this.show(this.focus);
  }

  private key(event: KeyboardEvent): void {
    const moves: Record<string, () => void> = {
      ArrowRight: () => this.move(0, 1),
      ArrowLeft: () => this.move(0, -1),
      ArrowDown: () => this.move(1, 0),
      ArrowUp: () => this.move(-1, 0),
      Home: () => this.move(0, 0, 'first'),
      End: () => this.move(0, 0, 'last'),
      Enter: () => {
        const task = this.focused();
        if (task?.site) post({ type: 'openLocation', file: task.site.file, line: task.site.line });
      },
      Escape: () => { this.tooltip.hidden = true; },
    };
    const action = moves[event.key];
    if (!action) return;
    event.preventDefault();
    action();
  }
}
