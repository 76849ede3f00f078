import * as vscode from 'vscode';
import { CommandId } from '../commandIds';
import type { Services } from '../services';

/** `Parascope: Show Utilization Panel` — opens or reveals the panel with whatever the host holds. */
export function registerShowPanel(services: Services): vscode.Disposable {
  return vscode.commands.registerCommand(CommandId.showPanel, () => services.panel.show());
}
