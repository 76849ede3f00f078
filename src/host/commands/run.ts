import * as vscode from 'vscode';
import { CommandId } from '../commandIds';
import { requireTrust } from '../trust';
import type { Services } from '../services';
import { defaultChoice, pickPool, type PoolChoice } from '../run/poolPicker';
import { resolveTarget, type RunCommandArgs } from '../run/target';

/**
 * `Parascope: Run Script with Pool…` — from the palette, the editor-title button (which passes the
 * file) or with arguments (a keybinding or a test: `{ pool: { kind: 'process', workers: 2 } }`
 * skips the pickers).
 */
export function registerRun(services: Services): vscode.Disposable {
  return vscode.commands.registerCommand(CommandId.run, async (uriOrArgs?: vscode.Uri | RunCommandArgs, maybeArgs?: RunCommandArgs) => {
    if (!requireTrust('run scripts')) return undefined;
    const uri = uriOrArgs instanceof vscode.Uri ? uriOrArgs : undefined;
    const args = (uriOrArgs instanceof vscode.Uri ? maybeArgs : uriOrArgs) ?? {};
    const resolved = await resolveTarget(uri, args, 'run');
    if (resolved === undefined) return undefined;
    if (typeof resolved === 'string') {
      void vscode.window.showErrorMessage(resolved);
      return undefined;
    }
    const given = args.pool ?? resolved.pool;
    const pool: PoolChoice | undefined = given
      ? { ...defaultChoice(resolved.resource), ...given }
      : await pickPool(services.context.workspaceState, resolved.resource);
    if (!pool) return undefined;
    return services.runs.start(resolved.target, pool, resolved.resource);
  });
}
