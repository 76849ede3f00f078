/**
 * The extension's long-lived parts, constructed once in `activate()` and handed to each
 * command. Commands receive what they need from here; nothing reaches for globals.
 */
import type * as vscode from 'vscode';
import type { UtilizationPanel } from '../panel/panel';
import type { RunController } from './run/controller';
import type { SweepController } from './sweep/controller';
import type { AnalysisService } from './analysis/service';

export interface Services {
  context: vscode.ExtensionContext;
  panel: UtilizationPanel;
  log: vscode.LogOutputChannel;
  runs: RunController;
  sweeps: SweepController;
  /** Static checks (diagnostics, quick fixes, hovers); absent in tests that do not need them. */
  analysis?: AnalysisService;
}
