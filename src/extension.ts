/**
 * Entry point: construct the long-lived parts, wire them, push every disposable. No logic here,
 * and nothing heavy at activation (the Python parser loads on the first Python file).
 */
import * as vscode from 'vscode';
import { PANEL_VIEW_TYPE } from './host/commandIds';
import { registerCommands } from './host/commands';
import type { Services } from './host/services';
import { UtilizationPanel } from './panel/panel';
import { createApi, type ParascopeApi } from './host/api';

export function activate(context: vscode.ExtensionContext): ParascopeApi {
  const log = vscode.window.createOutputChannel('Parascope', { log: true });
  const panel = new UtilizationPanel(context, {
    stopRun: () => void vscode.commands.executeCommand('parascope.stop'),
    exportReport: () => void vscode.commands.executeCommand('parascope.export'),
    rerunSweep: () => void vscode.commands.executeCommand('parascope.sweep'),
  });
  const services: Services = { context, panel, log };
  context.subscriptions.push(
    log,
    panel,
    vscode.window.registerWebviewPanelSerializer(PANEL_VIEW_TYPE, panel.serializer()),
    ...registerCommands(services),
  );
  return createApi(services);
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
