/**
 * The panel's own timings (bounded: the last 512 of each), read by `bench/webview-render`
 * through `window.__parascopeTimings`. Costs two array writes per frame.
 */
const SIZE = 512;

class Ring {
  private readonly values = new Float64Array(SIZE);
  private count = 0;
  push(value: number): void {
    this.values[this.count % SIZE] = value;
    this.count++;
  }
  list(): number[] {
    const n = Math.min(this.count, SIZE);
    return Array.from({ length: n }, (_, i) => this.values[(this.count - n + i) % SIZE]!);
  }
  clear(): void {
    this.count = 0;
  }
}

export const timings = { apply: new Ring(), render: new Ring() };

(globalThis as unknown as { __parascopeTimings: unknown }).__parascopeTimings = {
  apply: () => timings.apply.list(),
  render: () => timings.render.list(),
  clear: () => { timings.apply.clear(); timings.render.clear(); },
};
