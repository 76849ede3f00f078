/**
 * Theme colours for canvases. A canvas cannot use CSS variables, so the `--vscode-*` values are
 * read with `getComputedStyle` and read again whenever VS Code switches theme (it changes the
 * body's class: `vscode-light` / `vscode-dark` / `vscode-high-contrast`, and the variables).
 */

export interface Rgba { r: number; g: number; b: number; a: number }

export interface Palette {
  kind: 'light' | 'dark' | 'high-contrast';
  background: string;
  foreground: string;
  muted: string;
  lines: string;
  workload: string;
  other: string;
  /** Busy time of unknown owner (a sampler that cannot split workload from other programs). */
  busy: string;
  steal: string;
  pickle: string;
  failed: string;
  workers: string;
  usable: string;
  /** Per pool kind in the sweep charts. */
  pools: Record<'thread' | 'process' | 'interpreter' | 'serial', string>;
  /** Faint track behind each heatmap row / lane, already blended onto the background. */
  track: string;
  fontFamily: string;
  fontSize: number;
}

const FALLBACK: Record<string, string> = {
  '--vscode-editor-background': '#1e1e1e',
  '--vscode-foreground': '#cccccc',
  '--vscode-descriptionForeground': '#9d9d9d',
  '--vscode-charts-foreground': '#cccccc',
  '--vscode-charts-lines': '#cccccc80',
  '--vscode-charts-blue': '#3794ff',
  '--vscode-charts-orange': '#d18616',
  '--vscode-charts-red': '#f14c4c',
  '--vscode-charts-green': '#89d185',
  '--vscode-charts-purple': '#b180d7',
  '--vscode-charts-yellow': '#cca700',
  '--vscode-font-family': 'system-ui, sans-serif',
  '--vscode-font-size': '13px',
};

function variable(style: CSSStyleDeclaration, name: string): string {
  return style.getPropertyValue(name).trim() || FALLBACK[name] || '';
}

let probe: CanvasRenderingContext2D | null | undefined;

/** Any CSS colour → RGBA (0–255, alpha 0–1), using the canvas's own colour parser. */
export function parseColor(color: string): Rgba {
  probe ??= document.createElement('canvas').getContext('2d');
  if (!probe) return { r: 128, g: 128, b: 128, a: 1 };
  probe.fillStyle = '#000000';
  probe.fillStyle = color;
  const normal = String(probe.fillStyle);
  if (normal.startsWith('#')) {
    return { r: parseInt(normal.slice(1, 3), 16), g: parseInt(normal.slice(3, 5), 16), b: parseInt(normal.slice(5, 7), 16), a: 1 };
  }
  const parts = /rgba?\(([^)]*)\)/.exec(normal)?.[1]?.split(',').map((p) => Number(p.trim())) ?? [];
  return { r: parts[0] ?? 0, g: parts[1] ?? 0, b: parts[2] ?? 0, a: parts[3] ?? 1 };
}

/** `color` at `alpha` (times its own alpha) composited onto the opaque `background`. */
export function blend(color: string, background: string, alpha = 1): Rgba {
  const c = parseColor(color);
  const b = parseColor(background);
  const a = Math.max(0, Math.min(1, c.a * alpha));
  return { r: Math.round(c.r * a + b.r * (1 - a)), g: Math.round(c.g * a + b.g * (1 - a)), b: Math.round(c.b * a + b.b * (1 - a)), a: 1 };
}

export function css({ r, g, b, a }: Rgba): string {
  return a >= 1 ? `rgb(${r}, ${g}, ${b})` : `rgba(${r}, ${g}, ${b}, ${a})`;
}

/** Little-endian RGBA packed for a `Uint32Array` view on `ImageData`. */
export function packed({ r, g, b }: Rgba): number {
  return ((255 << 24) | (b << 16) | (g << 8) | r) >>> 0;
}

function readPalette(): Palette {
  const body = document.body;
  const style = getComputedStyle(body);
  const kind = body.classList.contains('vscode-high-contrast') || body.classList.contains('vscode-high-contrast-light')
    ? 'high-contrast'
    : body.classList.contains('vscode-light') ? 'light' : 'dark';
  const background = css(blend(variable(style, '--vscode-editor-background'), '#808080'));
  const foreground = variable(style, '--vscode-charts-foreground') || variable(style, '--vscode-foreground');
  const fontSize = parseFloat(variable(style, '--vscode-font-size')) || 13;
  return {
    kind,
    background,
    foreground,
    muted: variable(style, '--vscode-descriptionForeground'),
    lines: variable(style, '--vscode-charts-lines'),
    workload: variable(style, '--vscode-charts-blue'),
    other: variable(style, '--vscode-charts-orange'),
    busy: css(blend(foreground, background, 0.55)),
    steal: variable(style, '--vscode-charts-red'),
    pickle: variable(style, '--vscode-charts-purple'),
    failed: variable(style, '--vscode-charts-red'),
    workers: variable(style, '--vscode-charts-green'),
    usable: variable(style, '--vscode-charts-yellow'),
    pools: {
      process: variable(style, '--vscode-charts-blue'),
      thread: variable(style, '--vscode-charts-orange'),
      interpreter: variable(style, '--vscode-charts-purple'),
      serial: variable(style, '--vscode-charts-green'),
    },
    track: css(blend(foreground, background, kind === 'high-contrast' ? 0.22 : kind === 'light' ? 0.07 : 0.09)),
    fontFamily: variable(style, '--vscode-font-family'),
    fontSize,
  };
}

type Listener = (palette: Palette) => void;
const listeners = new Set<Listener>();
let current: Palette | undefined;
let observer: MutationObserver | undefined;

/** The current colours (read once, then kept until the theme changes). */
export function palette(): Palette {
  current ??= readPalette();
  return current;
}

/** Calls `listener` after every theme change; returns the unsubscribe function. */
export function onThemeChange(listener: Listener): () => void {
  listeners.add(listener);
  if (!observer) {
    observer = new MutationObserver(() => {
      const next = readPalette();
      if (current && JSON.stringify(next) === JSON.stringify(current)) return;
      current = next;
      for (const l of [...listeners]) l(next);
    });
    observer.observe(document.body, { attributes: true, attributeFilter: ['class'] });
    observer.observe(document.documentElement, { attributes: true, attributeFilter: ['style', 'class'] });
  }
  return () => listeners.delete(listener);
}
