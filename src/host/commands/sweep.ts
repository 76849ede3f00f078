import * as vscode from 'vscode';
import { CommandId } from '../commandIds';
import { requireTrust } from '../trust';
import type { Services } from '../services';
import { resolveTarget, type RunCommandArgs } from '../run/target';
import type { PoolKind } from '../../core/report/model';

interface SweepCommandArgs extends RunCommandArgs {
  workers?: number[];
  pools?: PoolKind[];
  repeat?: number;
}

/**
 * `Parascope: Sweep Pool Sizes…` — the current file (or a profile, or the CodeLens's file) at
 * several pool kinds and sizes, with the settings' worker counts, pools and repeats (arguments
 * override them, for keybindings and tests).
 */
export function registerSweep(services: Services): vscode.Disposable {
  return vscode.commands.registerCommand(CommandId.sweep, async (uriOrArgs?: vscode.Uri | SweepCommandArgs, maybeArgs?: SweepCommandArgs) => {
    if (!requireTrust('run sweeps')) return undefined;
    if (services.runs.running) {
      void vscode.window.showWarningMessage('Parascope: a run is in progress; a sweep measures the machine alone. Stop the run first.');
      return undefined;
    }
    const uri = uriOrArgs instanceof vscode.Uri ? uriOrArgs : undefined;
    const args = (uriOrArgs instanceof vscode.Uri ? maybeArgs : uriOrArgs) ?? {};
    const resolved = !uri && !args.script && !args.profile && !vscode.window.activeTextEditor && services.sweeps.last
      ? services.sweeps.last
      : await resolveTarget(uri, args, 'sweep');
    if (resolved === undefined) return undefined;
    if (typeof resolved === 'string') {
      void vscode.window.showErrorMessage(resolved);
      return undefined;
    }
    return services.sweeps.start(resolved.target, resolved.resource, { workers: args.workers, pools: args.pools, repeat: args.repeat });
  });
}
