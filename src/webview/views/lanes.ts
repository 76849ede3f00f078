/**
 * Worker lanes: one row per worker, its tasks left to right in time. Idle gaps are the bare
 * track; the share of each task spent pickling its arguments and result is a distinct segment
 * at its start; failed tasks are drawn in the error colour. Hover shows a task; the canvas is
 * focusable and the arrow keys move between tasks (Enter opens the line that submitted it).
 *
 * Drawing reads the task list field by field (a report's tasks arrive as columns) into one path
 * per layer; the per-lane task records that hovering and the keyboard need are built on first
 * use, and the table and label in the frame after the drawing. A live update draws only the tasks
 * that ended since the last one, on top of what is there; everything is redrawn when the time
 * axis steps, a worker appears, the width, the theme or the keyboard focus changes.
 */
import type { TaskRecord, WorkerSummary } from '../../core/report/model';
import { afterPaint, guarded, h, place, setText, text } from '../dom';
import { drawTimeAxis, PLOT_LEFT as GUTTER, PLOT_RIGHT, sizeCanvas, WidthWatch } from '../charts/canvas';
import { onThemeChange, palette, type Palette } from '../theme';
import { bytes, fixed, percent, plural, seconds, site } from '../format';
import { timeDomain, type RunData, type TaskList } from '../runData';
import { post } from '../vscodeApi';

const AXIS = 20;
/** Pickling segments shorter than this (css px) are widened to it, or they would vanish. */
const MIN_PICKLE = 2;

interface Lane { worker: WorkerSummary; tasks: TaskRecord[]; sorted: boolean }
interface Focus { lane: number; task: TaskRecord }

function workerLabel(worker: WorkerSummary, index: number): string {
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

/** Layers of a lane, bottom to top: running time, failed tasks, pickling. */
const RUNNING = 0, FAILED = 1, PICKLE = 2;

export class LanesView {
  readonly element: HTMLElement;
  private readonly canvas: HTMLCanvasElement;
  private readonly tooltip: HTMLElement;
  private readonly announcer: HTMLElement;
  private readonly tbody: HTMLTableSectionElement;
  private readonly rows: Text[][] = [];
  private data: RunData;
  /**
   * Each lane's task records, for hovering and the keyboard: built on first use, not to draw
   * (drawing reads the task list field by field). Dropped by a full redraw of other tasks.
   */
  private index: Lane[] | null = null;
  /** The task list `index` holds. */
  private indexed: TaskList | null = null;
  /** Per lane, from what was drawn: tasks, pickling seconds, failed tasks (the table and the label). */
  private stats = new Float64Array(0);
  /** Tasks counted in `stats` (it may count a few the store has already dropped). */
  private held = 0;
  /** `data.tasksAppended` when the canvas was last drawn. */
  private drawnAppended = 0;
  /** What the canvas shows; any difference means a full redraw. */
  private painted = '';
  private focus: Focus | null = null;
  private width = 0;
  private t0 = 0;
  private t1 = 1;
  private lastText = -Infinity;
  private readonly cleanup: (() => void)[] = [];
  private readonly watch: WidthWatch;
  private readonly redraw = guarded('the worker lanes', () => this.element, () => this.draw());
  /** The text alternative, in the frame after the one that drew (it is not needed to paint). */
  private readonly describeLater = afterPaint(guarded('the worker lanes', () => this.element, () => this.describe()));

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
    this.cleanup.push(() => this.watch.stop(), () => this.describeLater.cancel(), onThemeChange(() => { this.painted = ''; this.redraw(); }));
    this.canvas.addEventListener('pointermove', (event) => this.hover(event));
    this.canvas.addEventListener('pointerleave', () => { if (!this.focus || document.activeElement !== this.canvas) this.tooltip.hidden = true; });
    this.canvas.addEventListener('keydown', (event) => this.key(event));
    this.canvas.addEventListener('focus', () => { if (this.focus) this.refocus(); else this.move(0, 0, 'first'); });
    this.canvas.addEventListener('blur', () => { this.tooltip.hidden = true; this.painted = ''; this.redraw(); });
    this.canvas.addEventListener('click', (event) => {
      const hit = this.hit(event);
      if (hit) { this.focus = hit; this.refocus(); }
    });
  }

  /** Takes the width the page will give the lanes (`hint`), or reads it (one layout); `mount` then draws. */
  measure(hint?: number): void {
    this.watch.measure(hint);
  }

  mount(): void {
    this.watch.flush();
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

  /** Each lane's task records (built now if a redraw dropped them). */
  private lanes(): Lane[] {
    if (!this.index) {
      const lanes: Lane[] = this.data.workers.map((worker) => ({ worker, tasks: [], sorted: true }));
      const tasks = this.data.tasks;
      for (let i = 0; i < tasks.length; i++) add(lanes, tasks.record(i));
      this.index = lanes;
      this.indexed = tasks;
    }
    return this.index;
  }

  private sorted(lane: Lane): TaskRecord[] {
    if (!lane.sorted) {
      lane.tasks.sort((a, b) => a.start - b.start);
      lane.sorted = true;
    }
    return lane.tasks;
  }

  private x(t: number, plot: number): number {
    return GUTTER + ((t - this.t0) / (this.t1 - this.t0)) * plot;
  }

  private draw(): void {
    if (this.width <= GUTTER + PLOT_RIGHT + 10) return;
    const laneH = this.laneHeight();
    const count = this.data.workers.length;
    const height = Math.max(laneH, laneH * count) + AXIS;
    const { dpr } = sizeCanvas(this.canvas, this.width, height);
    [this.t0, this.t1] = timeDomain(this.data);
    const ctx = this.canvas.getContext('2d');
    if (!ctx) return;
    const p = palette();
    const plot = this.width - GUTTER - PLOT_RIGHT;
    const bar = laneH >= 10 ? laneH - 3 : laneH - 1;
    const tasks = this.data.tasks;
    const fresh = this.data.tasksAppended - this.drawnAppended;
    const key = `${this.canvas.width}x${this.canvas.height} ${this.t0}-${this.t1} ${count}`;
    const incremental = key === this.painted && fresh >= 0 && fresh <= tasks.length &&
      this.held + fresh <= tasks.length * 1.25 + 1000;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    const rects = new LaneRects(count, laneH, plot, this.t0, this.t1, dpr);
    if (incremental) {
      this.count(rects, tasks, tasks.length - fresh, tasks.length);
      this.held += fresh;
      if (this.index) {
        for (let i = tasks.length - fresh; i < tasks.length; i++) add(this.index, tasks.record(i));
        this.data.workers.forEach((worker, l) => { if (this.index?.[l]) this.index[l].worker = worker; });
        this.indexed = tasks;
      }
      rects.fill(ctx, p, bar);
    } else {
      this.painted = key;
      if (this.indexed !== tasks) this.index = null; // a finished run's stays (resize, theme, focus)
      this.stats = new Float64Array(count * 3);
      ctx.clearRect(0, 0, this.width, height);
      ctx.font = `${Math.min(11, p.fontSize)}px ${p.fontFamily}`;
      ctx.textBaseline = 'middle';
      ctx.textAlign = 'right';
      const labelEvery = Math.ceil(12 / laneH);
      ctx.fillStyle = p.track;
      for (let l = 0; l < count; l++) ctx.fillRect(GUTTER, l * laneH, plot, bar);
      ctx.fillStyle = p.foreground;
      for (let l = 0; l < count; l += labelEvery) ctx.fillText(workerLabel(this.data.workers[l]!, l), GUTTER - 6, l * laneH + bar / 2);
      this.count(rects, tasks, 0, tasks.length);
      this.held = tasks.length;
      rects.fill(ctx, p, bar);
      if (count === 0) {
        ctx.fillStyle = p.muted;
        ctx.textAlign = 'left';
        ctx.fillText(this.data.live ? 'Waiting for the first worker…' : 'No workers were recorded.', GUTTER, laneH / 2);
      }
      const focus = this.focus && document.activeElement === this.canvas ? this.focus : null;
      if (focus) {
        const x0 = this.x(focus.task.start, plot);
        const x1 = Math.max(x0 + 2, this.x(focus.task.end, plot));
        ctx.strokeStyle = p.foreground;
        ctx.lineWidth = 2;
        ctx.strokeRect(x0 - 1, focus.lane * laneH - 1, x1 - x0 + 2, bar + 2);
      }
      drawTimeAxis(ctx, [this.t0, this.t1], Math.max(laneH, laneH * count), this.width, p);
    }
    this.drawnAppended = this.data.tasksAppended;
    const now = performance.now();
    if (!this.data.live || now - this.lastText >= 1000) {
      this.lastText = now;
      this.describeLater();
    }
  }

  /** Tasks `from`…`to`: their rectangles, and the counts of their lanes. Reads columns directly when the tasks came as columns. */
  private count(rects: LaneRects, tasks: TaskList, from: number, to: number): void {
    const columns = tasks.columns();
    const stats = this.stats;
    for (let i = from; i < to; i++) {
      let lane: number, start: number, end: number, pickle: number, failed: boolean;
      if (columns) {
        lane = columns.worker[i]!;
        start = columns.start[i]!;
        end = columns.end[i]!;
        pickle = columns.pickleSeconds[i] || 0;
        failed = columns.ok[i] === 0;
      } else {
        const task = tasks.record(i);
        lane = task.worker;
        start = task.start;
        end = task.end;
        pickle = task.pickleSeconds || 0;
        failed = task.ok === false;
      }
      if (!(lane >= 0 && lane < rects.lanes)) continue;
      stats[lane * 3]! += 1;
      stats[lane * 3 + 1]! += pickle;
      if (failed) {
        stats[lane * 3 + 2]! += 1;
        rects.add(lane, FAILED, start, end, rects.px);
      } else {
        rects.add(lane, RUNNING, start, end, rects.px);
        if (pickle > 0) rects.add(lane, PICKLE, start, Math.min(end, start + pickle), MIN_PICKLE);
      }
    }
  }

  /** The label and the text alternative (at most once a second while live). */
  private describe(): void {
    const workers = this.data.workers;
    const lanes = Math.min(workers.length, this.stats.length / 3);
    let failedAll = 0;
    for (let l = 0; l < lanes; l++) {
      let row = this.rows[l];
      if (!row) {
        row = [text(), text(), text(), text(), text(), text()];
        this.rows.push(row);
        this.tbody.append(h('tr', {}, h('th', { scope: 'row' }, row[0]!), ...row.slice(1).map((cell) => h('td', {}, cell))));
      }
      const w = workers[l]!;
      const tasks = this.stats[l * 3]!, pickle = this.stats[l * 3 + 1]!, failed = this.stats[l * 3 + 2]!;
      failedAll += failed;
      const values = [workerLabel(w, l), String(w.tasks ?? tasks), percent(w.busyShare), seconds(w.cpuSeconds), seconds(pickle), String(failed)];
      values.forEach((v, k) => setText(row![k]!, v));
    }
    const busy = lanes ? workers.reduce((s, w) => s + (w.busyShare || 0), 0) / lanes : 0;
    this.canvas.setAttribute('aria-label', `Worker lanes: ${plural(lanes, 'worker')}, ${plural(this.data.tasksAppended, 'task')}` +
      (lanes ? `; workers were busy ${percent(busy)} of the time on average` : '') +
      (failedAll ? `; ${plural(failedAll, 'task')} failed` : '') + '.');
  }

  private hit(event: MouseEvent): Focus | null {
    const rect = this.canvas.getBoundingClientRect();
    const plot = rect.width - GUTTER - PLOT_RIGHT;
    const l = Math.floor((event.clientY - rect.top) / this.laneHeight());
    const x = event.clientX - rect.left;
    if (x < GUTTER || l < 0 || l >= this.data.workers.length) return null;
    const lane = this.lanes()[l];
    if (!lane) return null;
    const tasks = this.sorted(lane);
    // The first task that could be under the pointer, by bisection on start times.
    const t = this.t0 + ((x - 4 - GUTTER) / plot) * (this.t1 - this.t0);
    let lo = 0, hi = tasks.length;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (tasks[mid]!.end < t) lo = mid + 1; else hi = mid; }
    let best: Focus | null = null;
    let bestDistance = 4; // px of slack around thin tasks
    for (let k = Math.max(0, lo - 1); k < tasks.length; k++) {
      const task = tasks[k]!;
      const x0 = this.x(task.start, plot);
      const x1 = this.x(task.end, plot);
      if (x0 > x + 4) break;
      const distance = x < x0 ? x0 - x : x > x1 ? x - x1 : 0;
      if (distance < bestDistance) { bestDistance = distance; best = { lane: l, task }; }
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
    const lane = this.lanes()[focus.lane];
    if (!lane) return;
    const task = focus.task;
    const index = this.sorted(lane).indexOf(task);
    const duration = task.end - task.start;
    const lines = [
      `${workerLabel(lane.worker, focus.lane)}, task ${index + 1} of ${lane.tasks.length}`,
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

  /** Redraws with the focus ring and shows the focused task. */
  private refocus(): void {
    this.painted = '';
    this.redraw();
    if (this.focus) this.show(this.focus);
  }

  private move(dLane: number, dIndex: number, to?: 'first' | 'last'): void {
    const lanes = this.lanes();
    if (lanes.length === 0) return;
    const current = this.focus ?? { lane: 0, task: null };
    let l = Math.max(0, Math.min(lanes.length - 1, current.lane + dLane));
    // Skip lanes without tasks in the direction of travel.
    while (lanes[l]!.tasks.length === 0 && dLane !== 0) {
      const next = l + Math.sign(dLane);
      if (next < 0 || next >= lanes.length) break;
      l = next;
    }
    const tasks = this.sorted(lanes[l]!);
    if (tasks.length === 0) { this.focus = null; this.announcer.textContent = 'This worker ran no tasks.'; return; }
    let index: number;
    if (to === 'first') index = 0;
    else if (to === 'last') index = tasks.length - 1;
    else if (dLane !== 0) {
      // Keep the moment when moving between lanes: the task running then, or the next one.
      const at = current.task?.start ?? 0;
      index = tasks.findIndex((task) => task.end >= at);
      if (index < 0) index = tasks.length - 1;
    } else {
      const here = current.task ? tasks.indexOf(current.task) : 0;
      index = Math.max(0, Math.min(tasks.length - 1, Math.max(0, here) + dIndex));
    }
    this.focus = { lane: l, task: tasks[index]! };
    this.refocus();
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
        const task = this.focus?.task;
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

/** Adds a task to its lane's records (noting when they stop being in time order). */
function add(lanes: Lane[], task: TaskRecord): void {
  const lane = lanes[task.worker];
  if (!lane) return;
  const last = lane.tasks[lane.tasks.length - 1];
  if (last && last.start > task.start) lane.sorted = false;
  lane.tasks.push(task);
}

/**
 * The rectangles of tasks, per layer: a lane's neighbours closer than a device pixel become one
 * (in the order they come; a task that starts before the lane's last rectangle starts its own).
 * Filled layer by layer, so pickling and failures are drawn over the running time.
 */
class LaneRects {
  readonly px: number;
  private readonly scale: number;
  private readonly right: number;
  /** Per layer: x0, x1, y of each rectangle. */
  private readonly layers: number[][] = [[], [], []];
  /** Per lane and layer: where its last rectangle is in the layer's list (-1: none yet). */
  private readonly last: Int32Array;

  constructor(readonly lanes: number, private readonly laneH: number, plot: number, private readonly t0: number, t1: number, dpr: number) {
    this.px = 1 / dpr;
    this.scale = plot / (t1 - t0);
    this.right = GUTTER + plot;
    this.last = new Int32Array(lanes * 3).fill(-1);
  }

  add(lane: number, layer: number, from: number, to: number, min: number): void {
    const x0 = Math.max(GUTTER, GUTTER + (from - this.t0) * this.scale);
    const x1 = Math.min(this.right, Math.max(x0 + min, GUTTER + (to - this.t0) * this.scale));
    if (!(x1 > GUTTER && x0 < this.right)) return; // also NaN times
    const rects = this.layers[layer]!;
    const slot = lane * 3 + layer;
    const j = this.last[slot]!;
    if (j >= 0 && x0 >= rects[j]! && x0 <= rects[j + 1]! + this.px) {
      if (x1 > rects[j + 1]!) rects[j + 1] = x1;
      return;
    }
    this.last[slot] = rects.length;
    rects.push(x0, x1, lane * this.laneH);
  }

  fill(ctx: CanvasRenderingContext2D, p: Palette, bar: number): void {
    const colours = [p.workload, p.failed, p.pickle];
    this.layers.forEach((rects, layer) => {
      if (!rects.length) return;
      ctx.fillStyle = colours[layer]!;
      ctx.beginPath();
      for (let k = 0; k < rects.length; k += 3) ctx.rect(rects[k]!, rects[k + 2]!, rects[k + 1]! - rects[k]!, bar);
      ctx.fill();
    });
  }
}
