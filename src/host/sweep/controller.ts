/**
 * A sweep from the editor: one at a time, with a progress notification (Cancel keeps what was
 * measured), the panel's Sweep view fed as each point lands, and the result on the pool lines
 * as a CodeLens. Runs of a sweep never overlap a live run.
 */
import * as vscode from 'vscode';
import { basename } from 'node:path';
import { runSweep } from '../../core/sweep/run';
import { sweepSummary } from '../../core/sweep/summary';
import { describeError, UserFacingError } from '../../core/errors';
import type { PoolKind, SweepReport } from '../../core/report/model';
import type { UtilizationPanel } from '../../panel/panel';
import { setting } from '../settings';
import { chooseInterpreter } from '../run/interpreterChoice';
import type { RunTarget } from '../run/controller';

export class SweepController implements vscode.Disposable {
  private abort: AbortController | undefined;
  private readonly didFinish = new vscode.EventEmitter<SweepReport>();
  readonly onDidFinishSweep = this.didFinish.event;
  /** The last sweep per script path (the CodeLens reads it). */
  readonly lastByScript = new Map<string, SweepReport>();
  private lastTarget: { target: RunTarget; resource: vscode.Uri } | undefined;

  constructor(
    private readonly panel: UtilizationPanel,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  get running(): boolean {
    return this.abort !== undefined;
  }

  get last(): { target: RunTarget; resource: vscode.Uri } | undefined {
    return this.lastTarget;
  }

  async start(target: RunTarget, resource: vscode.Uri, overrides: { workers?: number[]; pools?: PoolKind[]; repeat?: number } = {}): Promise<SweepReport | undefined> {
    if (this.abort) {
      void vscode.window.showWarningMessage('Parascope is already sweeping; stop it first (Parascope: Stop Run).');
      return undefined;
    }
    this.lastTarget = { target, resource };
    const abort = new AbortController();
    this.abort = abort;
    void this.panel.show(true);
    try {
      const interpreter = await chooseInterpreter(resource);
      const configuredWorkers = setting('sweep.workers', resource);
      const sweep = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Parascope: sweeping ${basename(target.script)}`, cancellable: true },
        async (progress, token) => {
          const cancel = token.onCancellationRequested(() => abort.abort());
          let reported = 0;
          try {
            return await runSweep(
              {
                script: target.script, args: target.args, cwd: target.cwd, env: target.env, python: interpreter.path,
                workers: overrides.workers ?? (configuredWorkers.length ? configuredWorkers : null),
                pools: overrides.pools ?? setting('sweep.pools', resource), repeat: overrides.repeat ?? setting('sweep.repeats', resource),
                intervalMs: setting('sampling.intervalMs', resource), hangGraceSeconds: setting('run.hangGraceSeconds', resource),
                signal: abort.signal,
              },
              {
                onProgress: (p) => {
                  this.panel.post({ type: 'sweepProgress', progress: p });
                  const share = p.planned > 0 ? (100 * p.done) / p.planned : 0;
                  progress.report({ message: p.current ? `${p.current} (${p.done}/${p.planned} points)` : undefined, increment: share - reported });
                  reported = share;
                },
              },
            );
          } finally {
            cancel.dispose();
          }
        },
      );
      this.lastByScript.set(sweep.script, sweep);
      this.panel.post({ type: 'sweepFinished', sweep });
      this.log.info(`Sweep of ${sweep.script}\n${sweepSummary(sweep)}`);
      this.didFinish.fire(sweep);
      void this.announce(sweep);
      return sweep;
    } catch (error) {
      if (!(error instanceof UserFacingError)) this.log.error(error instanceof Error ? error.stack ?? error.message : String(error));
      void vscode.window.showErrorMessage(`Parascope: the sweep could not run — ${describeError(error)}`);
      return undefined;
    } finally {
      this.abort = undefined;
    }
  }

  private async announce(sweep: SweepReport): Promise<void> {
    const best = sweep.recommendation;
    const text = sweep.cancelled
      ? `Parascope: sweep cancelled after ${sweep.points.length} points.`
      : best
        ? `Parascope: use ${best.pool === 'serial' ? 'no pool' : `${best.pool} × ${best.workers}`} — ${best.reason}.`
        : 'Parascope: no configuration of the sweep ran successfully; see the panel.';
    if ((await vscode.window.showInformationMessage(text, 'Show Panel')) === 'Show Panel') await this.panel.show();
  }

  /** Cancels the sweep in progress; true when there was one. */
  async stop(): Promise<boolean> {
    if (!this.abort) return false;
    this.abort.abort();
    return true;
  }

  dispose(): void {
    this.abort?.abort();
    this.didFinish.dispose();
  }
}
