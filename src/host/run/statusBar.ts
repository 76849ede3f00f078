/** The status-bar item: live cores used while a run is going, the last result after; click opens the panel. */
import * as vscode from 'vscode';
import { CommandId } from '../commandIds';

export class RunStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('parascope.run', vscode.StatusBarAlignment.Left, 50);

  constructor() {
    this.item.name = 'Parascope';
    this.item.command = CommandId.showPanel;
  }

  running(script: string, coresUsed: number | null, usable: number): void {
    const cores = coresUsed === null ? '…' : coresUsed.toFixed(1);
    this.item.text = `$(pulse) ${cores}/${usable} cores`;
    this.item.tooltip = `Parascope: ${script} is running — ${cores} of ${usable} usable cores in use by the workload. Click to show the panel.`;
    this.item.backgroundColor = undefined;
    this.item.show();
  }

  finished(text: string, tooltip: string, problem: boolean): void {
    this.item.text = `$(pulse) ${text}`;
    this.item.tooltip = tooltip;
    this.item.backgroundColor = problem ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
  }
}
