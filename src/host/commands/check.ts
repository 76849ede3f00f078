import * as vscode from 'vscode';
import { CommandId } from '../commandIds';
import type { Services } from '../services';

/** `Parascope: Check Parallel Safety of Current File` — checks now and shows the Problems view. */
export function registerCheck(services: Services): vscode.Disposable {
  return vscode.commands.registerCommand(CommandId.check, async () => {
    const document = vscode.window.activeTextEditor?.document;
    if (!document || document.languageId !== 'python') {
      void vscode.window.showInformationMessage('Parascope: open a Python file to check it.');
      return;
    }
    if (!services.analysis) return;
    const name = vscode.workspace.asRelativePath(document.uri);
    try {
      const { findings, notes } = await services.analysis.checkNow(document);
      await vscode.commands.executeCommand('workbench.actions.view.problems');
      const python2 = notes.find((n) => n.kind === 'python2');
      if (python2) {
        void vscode.window.showInformationMessage(`Parascope: ${python2.message}`);
        return;
      }
      const count = (s: string) => findings.filter((f) => f.severity === s).length;
      const parts = [['error', count('error')], ['warning', count('warning')], ['hint', count('hint') + count('info')]]
        .filter(([, n]) => (n as number) > 0)
        .map(([s, n]) => `${n} ${s}${n === 1 ? '' : 's'}`);
      void vscode.window.showInformationMessage(
        findings.length
          ? `Parascope: ${findings.length} parallel-safety finding${findings.length === 1 ? '' : 's'} in ${name} (${parts.join(', ')}).`
          : `Parascope: no parallel-safety findings in ${name}.`,
      );
    } catch (error) {
      services.log.error(`check failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
      void vscode.window.showErrorMessage(`Parascope could not check ${name}: ${error instanceof Error ? error.message : String(error)}`);
    }
  });
}
