/**
 * The last sweep's result on the line that creates the pool ("processes ×2: 1.8× · threads:
 * GIL-bound"); clicking it sweeps again. Pool lines come from the sweep's own runs (the harness
 * records where each pool was created), so the lens sits exactly where the code makes the pool.
 */
import * as vscode from 'vscode';
import { CommandId } from '../commandIds';
import type { PoolKind, SweepPoint, SweepReport } from '../../core/report/model';
import type { SweepController } from './controller';

const NAMES: Record<PoolKind, string> = { serial: 'serial', thread: 'threads', process: 'processes', interpreter: 'interpreters' };

/** "processes ×2: 1.8× · threads: GIL-bound" */
export function lensTitle(sweep: SweepReport): string {
  const kinds = [...new Set(sweep.points.map((p) => p.pool))].filter((k) => k !== 'serial');
  const parts = kinds.map((kind) => {
    const own = sweep.points.filter((p) => p.pool === kind);
    const ok = own.filter((p) => !p.failure);
    if (ok.length === 0) return `${NAMES[kind]}: fail (${own[0]?.failure?.rule ?? 'error'})`;
    const best = ok.reduce((a: SweepPoint, b: SweepPoint) => (b.speedup > a.speedup ? b : a));
    if (best.speedup < 1.25 && ok.some((p) => p.workers > 1 && p.gilBound)) return `${NAMES[kind]}: GIL-bound`;
    return `${NAMES[kind]} ×${best.workers}: ${best.speedup.toFixed(1)}×`;
  });
  const recommended = sweep.recommendation && sweep.recommendation.pool !== 'serial' ? NAMES[sweep.recommendation.pool] : null;
  // The recommended kind first: it is the answer.
  parts.sort((a, b) => Number(recommended !== null && b.startsWith(recommended)) - Number(recommended !== null && a.startsWith(recommended)));
  return `$(graph-line) ${parts.join(' · ')}${sweep.cancelled ? ' (cancelled)' : ''}`;
}

export class SweepCodeLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly sweeps: SweepController) {
    this.subscription = sweeps.onDidFinishSweep(() => this.changed.fire());
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const sweep = this.sweeps.lastByScript.get(document.uri.fsPath);
    if (!sweep) return [];
    const lines = new Set((sweep.poolSites ?? []).filter((s) => s.file === document.uri.fsPath).map((s) => s.line - 1));
    if (lines.size === 0) lines.add(0); // pools created elsewhere: show it at the top of the script
    const title = lensTitle(sweep);
    const tooltip = sweep.recommendation ? `Recommended: ${sweep.recommendation.pool} × ${sweep.recommendation.workers} — ${sweep.recommendation.reason}. Click to sweep again.` : 'Click to sweep again.';
    return [...lines].filter((line) => line < document.lineCount).map((line) =>
      new vscode.CodeLens(document.lineAt(line).range, { title, tooltip, command: CommandId.sweep, arguments: [document.uri] }));
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
