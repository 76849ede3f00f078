/** The sweep in plain text: the table of points, notes, and the recommendation with its reason. */
import { busiestElsewhere, type SweepReport } from '../report/model';

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length);
}

export function sweepSummary(sweep: SweepReport): string {
  const rows = [['pool', 'workers', 'median', 'spread', 'speedup', 'vs serial', 'efficiency', 'notes']];
  for (const p of sweep.points) {
    rows.push([
      p.pool, String(p.workers), `${p.median.toFixed(2)} s`, `${Math.round(p.spread * 100)} %`,
      p.failure ? '—' : `${p.speedup.toFixed(2)}×`, p.failure || p.speedupVsSerial === null ? '—' : `${p.speedupVsSerial.toFixed(2)}×`,
      p.failure ? '—' : `${Math.round(p.efficiency * 100)} %`,
      p.failure ? `failed: ${p.failure.message}${p.failure.line > 0 ? ` (${p.failure.file}:${p.failure.line})` : ''}` : p.gilBound ? 'GIL-bound' : '',
    ]);
  }
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  const lines = rows.map((r) => r.map((cell, c) => pad(cell, widths[c])).join('  ').trimEnd());
  lines.splice(1, 0, widths.map((w) => '─'.repeat(w)).join('  '));
  if (sweep.serialFraction !== null) lines.push('', `Amdahl serial fraction: ${(sweep.serialFraction * 100).toFixed(0)} %`);
  for (const note of sweep.stoppedEarly) lines.push(`Stopped early — ${note}`);
  const busiest = busiestElsewhere(sweep.points);
  if (busiest) {
    lines.push(`Busy machine: other programs kept up to ${(busiest.busyElsewhere as number).toFixed(2)} cores busy (during ${busiest.pool} × ${busiest.workers}); speedups measured meanwhile are lower than on a quiet machine.`);
  }
  if (sweep.noisy) lines.push('Noisy: the repeats of some points differ by more than 20 %; close other programs or raise --repeat.');
  if (sweep.cancelled) lines.push('Cancelled: the table holds the points measured before.');
  lines.push(
    '',
    sweep.recommendation
      ? `Recommendation: ${sweep.recommendation.pool === 'serial' ? 'run serially' : `${sweep.recommendation.pool} × ${sweep.recommendation.workers}`} — ${sweep.recommendation.reason}`
      : 'No recommendation: no configuration ran successfully.',
  );
  return lines.join('\n');
}
