import * as vscode from 'vscode';
import { CommandId } from '../commandIds';
import { requireTrust } from '../trust';
import type { Services } from '../services';

/** Commands whose engines arrive with later issues: each says so plainly, never fakes output. */
export function registerPending(_services: Services): vscode.Disposable[] {
  const pending = (id: string, what: string, issue: number, needsTrust = false) =>
    vscode.commands.registerCommand(id, () => {
      if (needsTrust && !requireTrust('run scripts')) return;
      void vscode.window.showInformationMessage(`Parascope: ${what} is not available in this build yet (it arrives with issue #${issue}).`);
    });
  return [
    pending(CommandId.check, 'checking parallel safety', 6),
  ];
}
