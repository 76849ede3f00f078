/** Workspace Trust: nothing runs in an untrusted workspace; static checks still work. */
import * as vscode from 'vscode';

/** True when running code is allowed; otherwise tells the user why not and returns false. */
export function requireTrust(action: string): boolean {
  if (vscode.workspace.isTrusted) return true;
  void vscode.window
    .showWarningMessage(
      `Parascope does not ${action} in an untrusted workspace: running a script executes its code. Static checks still work.`,
      'Manage Workspace Trust',
    )
    .then((choice) => {
      if (choice) void vscode.commands.executeCommand('workbench.trust.manage');
    });
  return false;
}
