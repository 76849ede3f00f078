/**
 * Per-core sample buckets for the heatmap: each bucket sums `size` consecutive samples (a power
 * of two), aligned to the absolute sample index, so a live update only adds the new samples and
 * drops the buckets whose samples the store has dropped. Never more than `maxBuckets` buckets:
 * past that, neighbours merge and `size` doubles. Memory is bounded by `maxBuckets × cores`,
 * whatever the length of the run.
 *
 * `revision` changes whenever existing buckets move (merge, eviction): the painter then redraws
 * everything; otherwise it redraws from `takeDirty()` on.
 */
import { fractionScale } from '../../protocolCodec';
import type { RunData } from '../runData';

export class CoreBuckets {
  /** Samples per bucket. */
  size = 1;
  /** Absolute index of the first bucket held. */
  first = 0;
  /** Buckets held. */
  count = 0;
  /** Bumped when buckets merge or are dropped (their positions change). */
  revision = 0;
  readonly maxBuckets: number;
  /** Sums per bucket and core, bucket-major: `[slot * cores + core]`. */
  readonly work: Float32Array;
  readonly other: Float32Array;
  readonly steal: Float32Array;
  readonly samples: Uint32Array;
  /** Each bucket's span in seconds: from the start of its first sample's interval to its last sample. */
  readonly tStart: Float64Array;
  readonly tEnd: Float64Array;
  /** Absolute samples folded in so far. */
  private processed = 0;
  private dirtyFrom = Infinity;
  private slots = new Int32Array(0);

  constructor(readonly cores: number, maxBuckets: number) {
    this.maxBuckets = Math.max(2, Math.floor(maxBuckets));
    this.work = new Float32Array(this.maxBuckets * cores);
    this.other = new Float32Array(this.maxBuckets * cores);
    this.steal = new Float32Array(this.maxBuckets * cores);
    this.samples = new Uint32Array(this.maxBuckets);
    this.tStart = new Float64Array(this.maxBuckets);
    this.tEnd = new Float64Array(this.maxBuckets);
  }

  /** The first bucket changed since the last call (Infinity when none), and forgets it. */
  takeDirty(): number {
    const from = this.dirtyFrom;
    this.dirtyFrom = Infinity;
    return from;
  }

  /** Folds in the samples appended since the last call. */
  sync(data: RunData): void {
    const firstRetained = data.appended - data.t.length;
    if (this.processed < firstRetained) this.processed = firstRetained; // dropped before we saw them
    this.evict(firstRetained);
    const from = this.processed;
    const to = data.appended;
    if (to <= from) return;
    // Make room first, so every new sample's bucket is known before any is added.
    if (this.count === 0) this.first = Math.floor(from / this.size);
    while (Math.floor((to - 1) / this.size) - this.first >= this.maxBuckets) this.merge();
    const n = to - from;
    if (this.slots.length < n) this.slots = new Int32Array(Math.max(n, 64));
    const slots = this.slots;
    const dt = data.sampleIntervalMs > 0 ? data.sampleIntervalMs / 1000 : 0.1;
    for (let k = 0; k < n; k++) {
      const slot = Math.floor((from + k) / this.size) - this.first;
      slots[k] = slot;
      const t = data.t[from + k - firstRetained] ?? 0;
      if (slot >= this.count) {
        for (let s = this.count; s <= slot; s++) {
          this.clear(s);
          this.tStart[s] = s > 0 ? this.tEnd[s - 1]! : t - dt;
          this.tEnd[s] = this.tStart[s]!;
        }
        this.count = slot + 1;
      }
      this.tEnd[slot] = t;
      this.samples[slot]! += 1;
    }
    // Runs of new samples that share a bucket: sums are kept in locals per run and written to
    // the Float32 columns once per bucket, not once per sample.
    const runs: number[] = [];
    for (let k = 0; k < n; ) {
      let end = k + 1;
      while (end < n && slots[end] === slots[k]) end++;
      runs.push(slots[k]!, k, end);
      k = end;
    }
    const cores = Math.min(this.cores, data.cores.length);
    const offset = from - firstRetained;
    const work = this.work, other = this.other, stolen = this.steal;
    for (let c = 0; c < cores; c++) {
      const column = data.cores[c];
      if (!column) continue;
      const { busy, workload, steal } = column;
      if (busy instanceof Uint8Array && workload instanceof Uint8Array && steal instanceof Uint8Array) {
        foldBytes(busy, workload, steal, runs, offset, c, this.cores, work, other, stolen);
        continue;
      }
      // Plain fractions (JSON: the HTML report), or typed ones of another kind.
      const kb = fractionScale(busy), kw = fractionScale(workload), ks = fractionScale(steal);
      for (let r = 0; r < runs.length; r += 3) {
        let sw = 0, so = 0, ss = 0;
        for (let i = offset + runs[r + 1]!, end = offset + runs[r + 2]!; i < end; i++) {
          // Fractions 0–1; anything else (missing, NaN, out of range) is clamped.
          let b = busy[i]! * kb;
          b = b > 0 ? (b < 1 ? b : 1) : 0;
          let w = workload[i]! * kw;
          w = w > 0 ? (w < 1 ? w : 1) : 0;
          if (b > 0 && w > b) w = b;
          const s = steal[i]! * ks;
          sw += w;
          so += b > w ? b - w : 0;
          ss += s > 0 ? (s < 1 ? s : 1) : 0;
        }
        const index = runs[r]! * this.cores + c;
        work[index]! += sw;
        other[index]! += so;
        stolen[index]! += ss;
      }
    }
    this.dirtyFrom = Math.min(this.dirtyFrom, slots[0]!);
    this.processed = to;
  }

  /** Averages of bucket `slot` for `core`, written into `out`: workload, other programs, steal (0–1 each). */
  cell(slot: number, core: number, out: Float64Array): void {
    const n = this.samples[slot] || 1;
    const k = slot * this.cores + core;
    out[0] = this.work[k]! / n;
    out[1] = this.other[k]! / n;
    out[2] = this.steal[k]! / n;
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
  private evict(firstRetained: number): void {
    const keepFrom = Math.floor(firstRetained / this.size) - this.first;
    if (keepFrom <= 0 || this.count === 0) return;
    const drop = Math.min(keepFrom, this.count);
    for (const column of [this.work, this.other, this.steal]) column.copyWithin(0, drop * this.cores, this.count * this.cores);
    for (const column of [this.samples, this.tStart, this.tEnd]) column.copyWithin(0, drop, this.count);
    this.count -= drop;
    this.first += drop;
    this.revision++;
  }

  /** Pairs of neighbouring buckets become one; `size` doubles. */
  private merge(): void {
    this.revision++;
    const oldFirst = this.first;
    const newFirst = Math.floor(oldFirst / 2);
    if (this.count === 0) {
      this.size *= 2;
      this.first = newFirst;
      return;
    }
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

const BYTE = 1 / 255;

/**
 * One core's encoded samples (bytes, byte / 255, normalised so that workload ≤ busy; a column
 * that is 0 throughout may be empty: see protocolCodec.ts) folded into its buckets by plain sums —
 * other programs are Σbusy − Σworkload. `runs`: bucket, first and end sample (relative to
 * `offset`) of each run of new samples. The first render runs this over every sample of every core
 * before the JIT has warmed up, hence two or three loads and additions per sample. Values past a
 * short column count as 0.
 */
function foldBytes(busy: Uint8Array, workload: Uint8Array, steal: Uint8Array, runs: readonly number[], offset: number,
  core: number, cores: number, work: Float32Array, other: Float32Array, stolen: Float32Array): void {
  const nb = busy.length, nw = workload.length, ns = steal.length;
  for (let r = 0; r < runs.length; r += 3) {
    const from = offset + runs[r + 1]!, to = offset + runs[r + 2]!;
    let sb = 0, sw = 0, ss = 0;
    const both = Math.min(to, nb, nw);
    let i = from;
    for (; i < both; i++) {
      sb += busy[i]!;
      sw += workload[i]!;
    }
    for (let j = i, end = Math.min(to, nb); j < end; j++) sb += busy[j]!;
    for (let j = i, end = Math.min(to, nw); j < end; j++) sw += workload[j]!;
    for (let j = from, end = Math.min(to, ns); j < end; j++) ss += steal[j]!;
    const index = runs[r]! * cores + core;
    work[index]! += sw * BYTE;
    other[index]! += (sb > sw ? sb - sw : 0) * BYTE;
    stolen[index]! += ss * BYTE;
  }
}
