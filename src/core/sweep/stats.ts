/** Small statistics for sweeps: median, spread, and the Amdahl serial-fraction fit. */

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** (max − min) ÷ median: 0 for one value; how far apart the repeats of one point landed. */
export function spread(values: readonly number[]): number {
  if (values.length < 2) return 0;
  const m = median(values);
  return m > 0 ? (Math.max(...values) - Math.min(...values)) / m : 0;
}

/**
 * Least-squares fit of Amdahl's law S(n) = 1 / (s + (1 − s)/n) to measured speedups.
 * Rearranged, 1/S − 1/n = s·(1 − 1/n): a line through the origin in x = 1 − 1/n, so
 * s = Σxy / Σx². Points at n = 1 carry no information (x = 0). Returns s clamped to [0, 1],
 * or null without a point at n > 1.
 */
export function amdahlSerialFraction(points: readonly { workers: number; speedup: number }[]): number | null {
  let sxy = 0;
  let sxx = 0;
  for (const { workers, speedup } of points) {
    if (workers <= 1 || !(speedup > 0) || !Number.isFinite(speedup)) continue;
    const x = 1 - 1 / workers;
    const y = 1 / speedup - 1 / workers;
    sxy += x * y;
    sxx += x * x;
  }
  if (sxx === 0) return null;
  return Math.min(1, Math.max(0, sxy / sxx));
}

/** Amdahl's predicted speedup at n workers for serial fraction s. */
export function amdahlSpeedup(serialFraction: number, workers: number): number {
  return 1 / (serialFraction + (1 - serialFraction) / workers);
}
