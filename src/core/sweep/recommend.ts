/**
 * From measured points to a recommendation with its reason in words, e.g.
 * "threads stay at 1.0× — GIL-bound; processes reach 1.8× with 2 workers".
 */
import type { PoolKind, SweepPoint, SweepReport } from '../report/model';

const PLURAL: Record<PoolKind, string> = { serial: 'serial', thread: 'threads', process: 'processes', interpreter: 'interpreters' };

/** Within this factor of the fastest, fewer workers win (they leave cores for everything else). */
const NEAR_BEST = 1.05;
/** Among equals, the cheaper kind wins: no pickling, no extra interpreters, less memory. */
const COST: Record<PoolKind, number> = { serial: 0, thread: 1, interpreter: 2, process: 3 };

function times(value: number): string {
  return `${value.toFixed(1)}×`;
}

function where(failure: NonNullable<SweepPoint['failure']>): string {
  const file = failure.file.split(/[\\/]/).pop() ?? failure.file;
  return failure.line > 0 ? ` (${file}:${failure.line})` : '';
}

/** One phrase per pool kind: how it scaled, or why it failed. */
export function describePool(kind: PoolKind, points: readonly SweepPoint[]): string | null {
  const own = points.filter((p) => p.pool === kind);
  if (own.length === 0) return null;
  const ok = own.filter((p) => !p.failure);
  if (ok.length === 0) {
    const failure = own[0].failure!;
    return `${PLURAL[kind]} fail: ${failure.message}${where(failure)}`;
  }
  const best = ok.reduce((a, b) => (b.speedup > a.speedup ? b : a));
  const multi = ok.filter((p) => p.workers > 1);
  if (kind === 'serial') return null;
  if (multi.length > 0 && best.speedup < 1.25) {
    const gil = multi.some((p) => p.gilBound);
    return `${PLURAL[kind]} stay at ${times(best.speedup)}${gil ? ' — GIL-bound' : ' — adding workers does not help'}`;
  }
  return `${PLURAL[kind]} reach ${times(best.speedup)} with ${best.workers} worker${best.workers === 1 ? '' : 's'}`;
}

export function recommend(points: readonly SweepPoint[]): SweepReport['recommendation'] {
  const candidates = points.filter((p) => !p.failure && Number.isFinite(p.median) && p.median > 0);
  if (candidates.length === 0) return null;
  const fastest = candidates.reduce((a, b) => (b.median < a.median ? b : a));
  const chosen = candidates
    .filter((p) => p.median <= fastest.median * NEAR_BEST)
    .sort((a, b) => a.workers - b.workers || COST[a.pool] - COST[b.pool] || a.median - b.median)[0];
  const kinds = [...new Set(points.map((p) => p.pool))].filter((k) => k !== 'serial');
  // The chosen kind's phrase last, so the sentence ends on the answer.
  const order = [...kinds.filter((k) => k !== chosen.pool), ...kinds.filter((k) => k === chosen.pool)];
  const phrases = order.map((kind) => describePool(kind, points)).filter((p): p is string => p !== null);
  const serial = points.find((p) => p.pool === 'serial' && !p.failure);
  let reason = phrases.join('; ');
  if (chosen.pool === 'serial') {
    reason = `${reason}${reason ? '; ' : ''}no pool beats running the tasks serially`;
  } else if (serial && chosen.speedupVsSerial !== null) {
    reason = `${reason} (${times(chosen.speedupVsSerial)} against serial)`;
  }
  return { pool: chosen.pool, workers: chosen.workers, reason };
}
