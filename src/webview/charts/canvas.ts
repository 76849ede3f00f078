/** A canvas that follows its container's width at the device's pixel ratio. */

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
 * Calls `onWidth` with the container's content width whenever it changes (including when a
 * hidden tab becomes visible). Returns the disconnect function.
 */
export function watchWidth(element: HTMLElement, onWidth: (width: number) => void): () => void {
  let last = -1;
  let frame = 0;
  // Drawing changes the page's height (and so, through the scrollbar, maybe its width): do it
  // in the next frame rather than inside the observer, which would report a resize loop.
  const observer = new ResizeObserver((entries) => {
    const width = Math.floor(entries[entries.length - 1]?.contentRect.width ?? 0);
    if (width <= 0 || width === last) return;
    last = width;
    cancelAnimationFrame(frame);
    frame = requestAnimationFrame(() => onWidth(width));
  });
  observer.observe(element);
  return () => { cancelAnimationFrame(frame); observer.disconnect(); };
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
