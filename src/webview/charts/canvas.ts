/** A canvas that follows its container's width at the device's pixel ratio. */
import type { Palette } from '../theme';

/**
 * Every time chart (cores used, heatmap, lanes) puts its plot between the same margins, so one
 * instant lines up vertically across the three.
 */
export const PLOT_LEFT = 92;
export const PLOT_RIGHT = 14;

export interface CanvasSize { width: number; height: number; dpr: number }

export function sizeCanvas(canvas: HTMLCanvasElement, width: number, height: number): CanvasSize {
  const dpr = Math.max(1, Math.min(3, window.devicePixelRatio || 1));
  const w = Math.max(1, Math.round(width * dpr));
  const hgt = Math.max(1, Math.round(height * dpr));
  if (canvas.width !== w) canvas.width = w;
  if (canvas.height !== hgt) canvas.height = hgt;
  canvas.style.width = `${width}px`;
  canvas.style.height = `${height}px`;
  return { width, height, dpr };
}

/**
 * Follows an element's width: `onWidth` runs whenever it changes (including when a hidden tab
 * becomes visible). Observer notifications are handled in the next frame — drawing changes the
 * page's height, and through the scrollbar maybe its width, which inside the observer would be
 * reported as a resize loop. `now()` measures at once, so a view can be complete in the frame
 * that mounted it.
 */
export class WidthWatch {
  private last = -1;
  private frame = 0;
  private readonly observer: ResizeObserver;

  constructor(private readonly element: HTMLElement, private readonly onWidth: (width: number) => void) {
    this.observer = new ResizeObserver((entries) => {
      const width = Math.floor(entries[entries.length - 1]?.contentRect.width ?? 0);
      if (width <= 0 || width === this.last) return;
      cancelAnimationFrame(this.frame);
      this.frame = requestAnimationFrame(() => this.apply(width));
    });
    this.observer.observe(element);
  }

  private measured = 0;

  /**
   * Takes `hint` as the width — what the page will give the element, known without a layout
   * (the observer corrects it a frame later if the page disagrees) — or reads the element's width
   * now (one layout). Several views measure first and draw after, so drawing one does not force
   * the page to lay out again for the next.
   */
  measure(hint?: number): void {
    if (hint !== undefined && hint > 0) this.measured = Math.floor(hint);
    else this.measured = this.element.isConnected ? Math.floor(this.element.getBoundingClientRect().width) : 0;
  }

  /** Draws with the measured width if it is new. */
  flush(): void {
    this.apply(this.measured);
  }

  stop(): void {
    cancelAnimationFrame(this.frame);
    this.observer.disconnect();
  }

  private apply(width: number): void {
    if (width <= 0 || width === this.last) return;
    this.last = width;
    this.onWidth(width);
  }
}

/** Round numbers for a time axis: about `target` ticks between `from` and `to` seconds. */
export function timeTicks(from: number, to: number, target: number): number[] {
  const span = Math.max(to - from, 1e-9);
  const raw = span / Math.max(1, target);
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? raw;
  const ticks: number[] = [];
  for (let v = Math.ceil(from / step) * step; v <= to + step * 1e-6; v += step) ticks.push(Number(v.toFixed(6)));
  return ticks;
}

export function tickLabel(value: number): string {
  if (value === 0) return '0';
  if (value >= 60 && value % 60 === 0) return `${value / 60} min`;
  return `${Number(value.toPrecision(4))} s`;
}

/** Ticks and labels under a time plot spanning `domain` (css px, context already scaled). */
export function drawTimeAxis(ctx: CanvasRenderingContext2D, domain: [number, number], top: number, width: number, p: Palette): void {
  const [from, to] = domain;
  const plot = width - PLOT_LEFT - PLOT_RIGHT;
  const span = Math.max(to - from, 1e-9);
  ctx.strokeStyle = p.lines;
  ctx.fillStyle = p.foreground;
  ctx.lineWidth = 1;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  for (const tick of timeTicks(from, to, Math.max(2, Math.floor(plot / 90)))) {
    const x = PLOT_LEFT + ((tick - from) / span) * plot;
    ctx.beginPath();
    ctx.moveTo(Math.round(x) + 0.5, top);
    ctx.lineTo(Math.round(x) + 0.5, top + 4);
    ctx.stroke();
    ctx.fillText(tickLabel(tick), Math.min(x, width - 16), top + 5);
  }
}
