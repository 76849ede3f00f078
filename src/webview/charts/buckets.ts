/**
 * Per-core sample buckets for the heatmap: each bucket sums `size` consecutive samples (a power
 * of two), aligned to the absolute sample index, so a live update only adds the new samples and
 * drops the buckets whose samples the store has dropped. Never more than `maxBuckets` buckets
 * (one per device pixel column): past that, neighbours merge and `size` doubles. Memory is
 * bounded by `maxBuckets × cores`, whatever the length of the run.
 */
import type { RunData } from '../runData';

export class CoreBuckets {
  /** Samples per bucket. */
  size = 1;
  /** Absolute index of the first bucket held. */
  first = 0;
  /** Buckets held. */
  count = 0;
  /** Absolute samples folded in so far. */
  private processed = 0;
  work: Float32Array;
  other: Float32Array;
  steal: Float32Array;
  samples: Uint32Array;
  /** Each bucket's span in seconds: from the start of its first sample's interval to its last sample. */
  tStart: Float64Array;
  tEnd: Float64Array;

  constructor(readonly cores: number, readonly maxBuckets: number) {
    this.maxBuckets = Math.max(2, Math.floor(maxBuckets));
    this.work = new Float32Array(this.maxBuckets * cores);
    this.other = new Float32Array(this.maxBuckets * cores);
    this.steal = new Float32Array(this.maxBuckets * cores);
    this.samples = new Uint32Array(this.maxBuckets);
    this.tStart = new Float64Array(this.maxBuckets);
    this.tEnd = new Float64Array(this.maxBuckets);
  }

  /** Folds in the samples appended since the last call; returns whether anything changed. */
  sync(data: RunData): boolean {
    const retained = data.t.length;
    const firstRetained = data.appended - retained;
    if (this.processed < firstRetained) this.processed = firstRetained; // dropped before we saw them
    let changed = this.evict(firstRetained);
    const cores = Math.min(this.cores, data.cores.length);
    const dt = data.sampleIntervalMs > 0 ? data.sampleIntervalMs / 1000 : 0.1;
    for (let a = this.processed; a < data.appended; a++) {
      const i = a - firstRetained;
      let slot = Math.floor(a / this.size) - this.first;
      if (this.count === 0) {
        this.first = Math.floor(a / this.size);
        slot = 0;
      }
      while (slot >= this.maxBuckets) {
        this.merge();
        slot = Math.floor(a / this.size) - this.first;
      }
      const t = data.t[i] ?? 0;
      if (slot >= this.count) {
        for (let s = this.count; s <= slot; s++) {
          this.clear(s);
          this.tStart[s] = s > 0 ? this.tEnd[s - 1]! : t - dt;
          this.tEnd[s] = this.tStart[s]!;
        }
        this.count = slot + 1;
      }
      this.tEnd[slot] = t;
      const base = slot * this.cores;
      for (let c = 0; c < cores; c++) {
        const column = data.cores[c];
        if (!column) continue;
        const busy = clamp(column.busy[i]);
        const work = Math.min(clamp(column.workload[i]), busy || 1);
        this.work[base + c] += work;
        this.other[base + c] += Math.max(0, busy - work);
        this.steal[base + c] += clamp(column.steal[i]);
      }
      this.samples[slot]! += 1;
      changed = true;
    }
    if (data.appended > this.processed) this.processed = data.appended;
    return changed;
  }

  /** Averages of bucket `slot` for `core`: workload, other programs, steal (0–1 each). */
  cell(slot: number, core: number): [number, number, number] {
    const n = this.samples[slot] || 1;
    const k = slot * this.cores + core;
    return [this.work[k]! / n, this.other[k]! / n, this.steal[k]! / n];
  }

  /** Mean over everything held, per core: workload, other programs, steal. */
  coreMeans(core: number): [number, number, number] {
    let w = 0, o = 0, s = 0, n = 0;
    for (let slot = 0; slot < this.count; slot++) {
      const k = slot * this.cores + core;
      w += this.work[k]!; o += this.other[k]!; s += this.steal[k]!; n += this.samples[slot]!;
    }
    return n ? [w / n, o / n, s / n] : [0, 0, 0];
  }

  private clear(slot: number): void {
    this.work.fill(0, slot * this.cores, (slot + 1) * this.cores);
    this.other.fill(0, slot * this.cores, (slot + 1) * this.cores);
    this.steal.fill(0, slot * this.cores, (slot + 1) * this.cores);
    this.samples[slot] = 0;
  }

  /** Drops buckets whose samples are all older than `firstRetained`. */
  private evict(firstRetained: number): boolean {
    const keepFrom = Math.floor(firstRetained / this.size) - this.first;
    if (keepFrom <= 0 || this.count === 0) return false;
    const drop = Math.min(keepFrom, this.count);
    for (const column of [this.work, this.other, this.steal]) column.copyWithin(0, drop * this.cores, this.count * this.cores);
    this.samples.copyWithin(0, drop, this.count);
    this.tStart.copyWithin(0, drop, this.count);
    this.tEnd.copyWithin(0, drop, this.count);
    this.count -= drop;
    this.first += drop;
    return true;
  }

  /** Pairs of neighbouring buckets become one; `size` doubles. */
  private merge(): void {
    const oldFirst = this.first;
    const newFirst = Math.floor(oldFirst / 2);
    const newCount = Math.floor((oldFirst + this.count - 1) / 2) - newFirst + 1;
    for (let slot = 0; slot < this.count; slot++) {
      const target = Math.floor((oldFirst + slot) / 2) - newFirst;
      const from = slot * this.cores;
      const to = target * this.cores;
      const fresh = (oldFirst + slot) % 2 === 0 || slot === 0;
      for (const column of [this.work, this.other, this.steal]) {
        for (let c = 0; c < this.cores; c++) column[to + c] = (fresh ? 0 : column[to + c]!) + column[from + c]!;
      }
      this.samples[target] = (fresh ? 0 : this.samples[target]!) + this.samples[slot]!;
      if (fresh) this.tStart[target] = this.tStart[slot]!;
      this.tEnd[target] = this.tEnd[slot]!;
    }
    for (let s = newCount; s < this.count; s++) this.clear(s);
    this.first = newFirst;
    this.count = newCount;
    this.size *= 2;
  }
}

function clamp(value: number | undefined): number {
  return value === undefined || !(value > 0) ? 0 : value > 1 ? 1 : value;
}
