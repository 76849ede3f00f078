/**
 * What a sweep measures: worker counts 1, 2, 4, … up to the usable CPUs (the usable count itself
 * included), and pool kinds thread and process (plus interpreter on Python 3.14+). Pools whose
 * tasks mostly wait are extended to twice the usable CPUs once their first points show it.
 */
import type { PoolKind } from '../report/model';

/** 1, 2, 4, … ≤ limit, plus the limit itself. */
export function powersUpTo(limit: number, from = 1): number[] {
  const counts: number[] = [];
  for (let n = from; n <= limit; n *= 2) counts.push(n);
  if (limit >= from && counts[counts.length - 1] !== limit) counts.push(limit);
  return counts;
}

export function defaultWorkerCounts(usableCpus: number): number[] {
  return powersUpTo(Math.max(1, Math.floor(usableCpus)));
}

/** Worker counts that extend a waiting pool beyond the usable CPUs, up to twice that. */
export function waitingExtension(usableCpus: number, measured: readonly number[]): number[] {
  const top = Math.max(...measured, 1);
  return powersUpTo(2 * Math.max(1, Math.floor(usableCpus)), 1).filter((n) => n > top);
}

export function defaultPools(pythonVersion: readonly [number, number, number]): PoolKind[] {
  const [major, minor] = pythonVersion;
  return major > 3 || (major === 3 && minor >= 14) ? ['thread', 'process', 'interpreter'] : ['thread', 'process'];
}

/** A point whose cores used stay under half its workers: its tasks mostly wait (I/O, sleeps). */
export function tasksMostlyWait(coresUsed: number, workers: number): boolean {
  return workers >= 2 && coresUsed < 0.5 * workers;
}

/** Adding workers stopped paying: the larger count is not at least 5 % faster. */
export const PAYING_GAIN = 1.05;
export function stillPays(previousMedian: number, nextMedian: number): boolean {
  return nextMedian * PAYING_GAIN <= previousMedian;
}
