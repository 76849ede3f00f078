import * as vscode from 'vscode';
import { CommandId } from '../commandIds';
import type { Services } from '../services';

/** `Parascope: Stop Run` — ends the live run's whole process tree (or the sweep in progress). */
export function registerStop(services: Services): vscode.Disposable {
  return vscode.commands.registerCommand(CommandId.stop, async () => {
    const stopped = (await services.sweeps.stop()) || (await services.runs.stop());
    if (!stopped) void vscode.window.showInformationMessage('Parascope: nothing is running.');
    return stopped;
  });
}
