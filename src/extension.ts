/**
 * Entry point: construct the long-lived parts, wire them, push every disposable. No logic here,
 * and nothing heavy at activation (the Python parser loads on the first Python file).
 */
import * as vscode from 'vscode';
import { CommandId, PANEL_VIEW_TYPE } from './host/commandIds';
import { RunController } from './host/run/controller';
import { SweepController } from './host/sweep/controller';
import { SweepCodeLensProvider } from './host/sweep/codeLens';
import { registerCommands } from './host/commands';
import type { Services } from './host/services';
import { UtilizationPanel } from './panel/panel';
import { createApi, type ParascopeApi } from './host/api';
import { AnalysisService } from './host/analysis/service';

export function activate(context: vscode.ExtensionContext): ParascopeApi {
  const log = vscode.window.createOutputChannel('Parascope', { log: true });
  const panel = new UtilizationPanel(context, {
    stopRun: () => void vscode.commands.executeCommand(CommandId.stop),
    exportReport: (format, target) => void vscode.commands.executeCommand(CommandId.export, format, target),
    rerunSweep: () => void vscode.commands.executeCommand(CommandId.sweep),
  });
  const runs = new RunController(panel, log);
  const sweeps = new SweepController(panel, log);
  const analysis = new AnalysisService(log);
  const services: Services = { context, panel, log, runs, sweeps, analysis };
  const lenses = new SweepCodeLensProvider(sweeps);
  context.subscriptions.push(
    log,
    panel,
    runs,
    sweeps,
    analysis,
    lenses,
    vscode.window.registerWebviewPanelSerializer(PANEL_VIEW_TYPE, panel.serializer()),
    vscode.languages.registerCodeLensProvider({ language: 'python', scheme: 'file' }, lenses),
    ...registerCommands(services),
  );
  return createApi(services);
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
