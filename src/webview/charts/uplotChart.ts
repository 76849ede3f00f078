/**
 * uPlot inside the panel: sized to its container, themed from the palette, rebuilt when the
 * theme changes (options hold colours), and fed in place with `setData` on live updates.
 */
import uPlot from 'uplot';
import { onThemeChange, palette, type Palette } from '../theme';
import { WidthWatch } from './canvas';
import { errorBox } from '../dom';

export type OptionsFor = (p: Palette, width: number) => uPlot.Options;

export class UChart {
  private plot: uPlot | undefined;
  private width = 0;
  private readonly cleanup: (() => void)[] = [];
  private readonly watch: WidthWatch;
  private failed = false;

  constructor(private readonly target: HTMLElement, private readonly options: OptionsFor, private data: uPlot.AlignedData, private readonly what = 'the chart') {
    this.watch = new WidthWatch(target, (width) => {
      this.width = width;
      if (this.plot && !this.failed) this.plot.setSize({ width: this.options(palette(), width).width, height: this.plot.height });
      else this.build();
    });
    this.cleanup.push(() => this.watch.stop(), onThemeChange(() => this.build()));
  }

  /** Takes the width the page will give the chart (`hint`), or reads it; `mount` then builds the chart. */
  measure(hint?: number): void {
    this.watch.measure(hint);
  }

  mount(): void {
    this.watch.flush();
  }

  setData(data: uPlot.AlignedData): void {
    this.data = data;
    if (this.failed) return;
    try {
      this.plot?.setData(data);
    } catch (error) {
      this.fail(error);
    }
  }

  destroy(): void {
    for (const fn of this.cleanup) fn();
    this.plot?.destroy();
  }

  private build(): void {
    if (this.width <= 0 || this.failed) return;
    this.plot?.destroy();
    this.plot = undefined;
    try {
      this.plot = new uPlot(this.options(palette(), this.width), this.data, this.target);
    } catch (error) {
      this.fail(error);
    }
  }

  private fail(error: unknown): void {
    this.failed = true;
    this.plot?.destroy();
    this.plot = undefined;
    this.target.replaceChildren(errorBox(this.what, error));
  }
}

/** Axis colours and fonts from the theme. */
export function axis(p: Palette, extra: uPlot.Axis = {}): uPlot.Axis {
  return {
    stroke: p.foreground,
    font: `${Math.min(11, p.fontSize)}px ${p.fontFamily}`,
    labelFont: `${Math.min(12, p.fontSize)}px ${p.fontFamily}`,
    grid: { stroke: p.lines, width: 0.5 },
    ticks: { stroke: p.lines, width: 0.5 },
    ...extra,
  };
}
